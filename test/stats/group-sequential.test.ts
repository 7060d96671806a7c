/** Group-sequential designs against rpact 3.3.4's getDesignGroupSequential (the reference's group_sequential.designs, inputs read from it). */
import { describe, expect, it } from 'vitest';
import { alphaSpending, crossingProbabilities, groupSequentialDesign, type DesignInput } from '../../src/stats/group-sequential.js';
import { pnorm } from '../../src/stats/distributions.js';
import { powerMeans, sampleSizeMeans } from '../../src/stats/group-sequential-means.js';
import { sampleSizeSurvival } from '../../src/stats/group-sequential-survival.js';
import { expectAllR, expectR, R } from './reference.js';

const designs = R.group_sequential.designs as Record<string, { inputs: Record<string, unknown>; informationRates: number[]; criticalValues: number[]; alphaSpent: number[]; stageLevels: number[] }>;

describe('groupSequentialDesign against rpact', () => {
  it.each(Object.keys(designs))('design %s: critical values, cumulative alpha spent, stage levels', (key) => {
    const d = designs[key]!;
    const i = d.inputs as { typeOfDesign: DesignInput['typeOfDesign']; kMax: number; alpha: number; sided: 1 | 2; informationRates?: number[]; gammaA?: number };
    const ours = groupSequentialDesign({ typeOfDesign: i.typeOfDesign, kMax: i.kMax, alpha: i.alpha, sided: i.sided, informationRates: i.informationRates, gammaA: i.gammaA });
    expectAllR(ours.informationRates, d.informationRates, 'information rates');
    expectAllR(ours.criticalValues, d.criticalValues, 'critical values');
    expectAllR(ours.alphaSpent, d.alphaSpent, 'alpha spent');
    expectAllR(ours.stageLevels, d.stageLevels, 'stage levels');
  });
});

describe('crossing probabilities', () => {
  it('one stage is the normal tail', () => {
    const p = crossingProbabilities([1], [1.96], [-Infinity], 0.5);
    expect(p.upper[0]).toBeCloseTo(pnorm(0.5 - 1.96), 14);
  });
  it('two stages at the same boundary: the bivariate normal with correlation sqrt(t1/t2), against a brute-force integral', () => {
    // P(Z1 < c, Z2 >= c) with corr rho = sqrt(0.5): integrate phi(z1) * P(Z2 >= c | z1) on a fine grid.
    const c = 2;
    const rho = Math.sqrt(0.5);
    let brute = 0;
    const n = 200_000;
    const step = (c + 10) / n;
    for (let i = 0; i < n; i++) {
      const z1 = -10 + (i + 0.5) * step;
      brute += step * (Math.exp(-0.5 * z1 * z1) / Math.sqrt(2 * Math.PI)) * pnorm(-(c - rho * z1) / Math.sqrt(1 - rho * rho));
    }
    const p = crossingProbabilities([0.5, 1], [c, c], [-Infinity, -Infinity], 0);
    expect(Math.abs(p.upper[1]! - brute)).toBeLessThan(1e-9);
  });
  it('spending functions reach alpha at t = 1', () => {
    for (const type of ['asOF', 'asP', 'asHSD'] as const) expect(alphaSpending(type, 0.025, 1, -4)(1)).toBeCloseTo(0.025, 15);
    expect(alphaSpending('asOF', 0.05, 2)(1)).toBeCloseTo(0.05, 15);
  });
});

describe('power and sample size of two means against rpact (getPowerMeans, getSampleSizeMeans)', () => {
  const designOf = (key: string) => {
    const i = designs[key]!.inputs as { typeOfDesign: DesignInput['typeOfDesign']; kMax: number; alpha: number; sided: 1 | 2; informationRates?: number[]; futilityBounds?: number[] };
    return groupSequentialDesign({ ...i });
  };
  const P = R.group_sequential.power_means;
  const S = R.group_sequential.sample_size_means;
  for (const key of Object.keys(P)) {
    for (const mode of ['normal_approximation', 't_approximation'] as const) {
      it(`power, design ${key}, ${mode}`, () => {
        const inp = P[key].inputs;
        const r = powerMeans(designOf(inp.design), { alternative: inp.alternative, stDev: inp.stDev, allocationRatioPlanned: inp.allocationRatioPlanned, maxNumberOfSubjects: inp.maxNumberOfSubjects, normalApproximation: mode === 'normal_approximation' });
        const x = P[key][mode];
        expectR(r.overallReject, x.overallReject, 'overallReject');
        expectAllR(r.rejectPerStage, x.rejectPerStage, 'rejectPerStage');
        expectR(r.earlyStop, x.earlyStop, 'earlyStop');
        expectR(r.expectedNumberOfSubjects, x.expectedNumberOfSubjects, 'expected N');
        if (x.futilityPerStage) expectAllR(r.futilityPerStage, x.futilityPerStage, 'futilityPerStage');
      });
    }
  }
  for (const key of Object.keys(S)) {
    for (const mode of ['normal_approximation', 't_approximation'] as const) {
      it(`sample size, design ${key}, ${mode}`, () => {
        const inp = S[key].inputs;
        const r = sampleSizeMeans(designOf(inp.design), { alternative: inp.alternative, stDev: inp.stDev, allocationRatioPlanned: inp.allocationRatioPlanned, beta: inp.beta, normalApproximation: mode === 'normal_approximation' });
        const x = S[key][mode];
        expectR(r.maxNumberOfSubjects, x.maxNumberOfSubjects, 'max N');
        expectAllR(r.numberOfSubjects, x.numberOfSubjects, 'N per stage');
        expectR(r.expectedNumberOfSubjectsH0, x.expectedNumberOfSubjectsH0, 'E[N] under H0');
        expectR(r.expectedNumberOfSubjectsH1, x.expectedNumberOfSubjectsH1, 'E[N] under H1');
        expectAllR(r.rejectPerStage, x.rejectPerStage, 'rejectPerStage');
        expectR(r.earlyStop, x.earlyStop, 'earlyStop');
        expectR(r.nFixed, x.nFixed, 'nFixed');
        if (x.futilityPerStage) expectAllR(r.futilityPerStage, x.futilityPerStage, 'futilityPerStage');
      });
    }
  }
});

describe('sample size of a group-sequential survival design against rpact (getSampleSizeSurvival)', () => {
  it('events, analysis times, subjects, expected events and rejection per stage', () => {
    const x = R.group_sequential.survival;
    const inp = x.inputs;
    const di = designs[inp.design]!.inputs as { typeOfDesign: DesignInput['typeOfDesign']; kMax: number; alpha: number; sided: 1 | 2; informationRates?: number[]; beta: number };
    const r = sampleSizeSurvival(groupSequentialDesign(di), { ...inp, beta: di.beta });
    expectR(r.maxNumberOfEvents, x.maxNumberOfEvents, 'max events');
    expectAllR(r.cumulativeEventsPerStage, x.cumulativeEventsPerStage, 'events per stage');
    expectAllR(r.analysisTime, x.analysisTime, 'analysis time');
    expectR(r.maxNumberOfSubjects, x.maxNumberOfSubjects, 'subjects');
    expectR(r.expectedEventsH1, x.expectedEventsH1, 'E[events] H1');
    expectR(r.expectedEventsH0, x.expectedEventsH0, 'E[events] H0');
    expectR(r.accrualIntensity, x.accrualIntensity, 'accrual intensity');
    expectAllR(r.rejectPerStage, x.rejectPerStage, 'reject per stage');
    expectR(r.eventsFixed, x.eventsFixed, 'fixed-design events');
  });
});

describe('group-sequential edge cases', () => {
  it('two-sided: the sample size counts rejections on the side of the alternative only (rpact twoSidedPower = FALSE: 159.066994371)', () => {
    const d = groupSequentialDesign({ typeOfDesign: 'asP', kMax: 3, alpha: 0.05, sided: 2 });
    expectR(sampleSizeMeans(d, { alternative: 0.3, stDev: 1, beta: 0.6, normalApproximation: true }).maxNumberOfSubjects, 159.066994371, 'max N');
  });
  it('one stage: the group-sequential events are those of the fixed design', () => {
    const d = groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 1, alpha: 0.025, sided: 1 });
    const r = sampleSizeSurvival(d, { lambda2: 0.05, hazardRatio: 0.7, accrualTime: [0, 12], followUpTime: 12, dropoutRate1: 0, dropoutRate2: 0, dropoutTime: 12, beta: 0.2 });
    expectR(r.maxNumberOfEvents, r.eventsFixed, 'events');
    expectR(d.criticalValues[0]!, 1.959963984540054, 'critical value');
  });
  it.each([
    [{ kMax: 3, informationRates: [0.5, 0.5, 1] }, /increase strictly/],
    [{ kMax: 3, informationRates: [0.6, 0.3, 1] }, /increase strictly/],
    [{ kMax: 3, informationRates: [0.3, 0.6, 0.9] }, /last information rate must be 1/],
    [{ kMax: 0 }, /kMax must be an integer/],
    [{ kMax: 2, alpha: 0.7 }, /alpha must lie in/],
    [{ kMax: 2, typeOfDesign: 'asHSD' as const }, /asHSD needs gammaA/],
  ])('refuses %j', (over, why) => {
    expect(() => groupSequentialDesign({ typeOfDesign: 'asOF', alpha: 0.025, sided: 1, ...over })).toThrow(why);
  });
  it('a stage that spends no alpha has an infinite boundary', () => {
    // O'Brien-Fleming-type spending at t = 0.01: 2 (1 - Phi(2.24 / 0.1)) is 0 in double precision.
    const d = groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 2, alpha: 0.025, sided: 1, informationRates: [0.01, 1] });
    expect(d.criticalValues[0]).toBe(Infinity);
    expectR(d.criticalValues[1]!, 1.959963984540054, 'last boundary');
  });
});
