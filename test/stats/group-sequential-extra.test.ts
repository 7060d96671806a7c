/**
 * Kim-DeMets spending and binding futility against rpact 3.3.4 (test/fixtures/r-extra: figures
 * generated once by the R script beside them; the shared reference has neither).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alphaSpending, groupSequentialDesign, type DesignInput } from '../../src/stats/group-sequential.js';
import { sampleSizeMeans } from '../../src/stats/group-sequential-means.js';
import { REPO } from '../adversarial/harness.js';
import { expectAllR, expectR } from './reference.js';

const X = JSON.parse(readFileSync(join(REPO, 'test/fixtures/r-extra/group-sequential-extra.json'), 'utf8'));
type Ref = { inputs: DesignInput; informationRates: number[]; criticalValues: number[]; alphaSpent: number[]; stageLevels: number[] };
const designs = X.designs as Record<string, Ref>;

describe('Kim-DeMets spending and binding futility against rpact', () => {
  it.each(Object.keys(designs))('design %s: critical values, cumulative alpha spent, stage levels', (key) => {
    const d = designs[key]!;
    const ours = groupSequentialDesign(d.inputs);
    expectAllR(ours.informationRates, d.informationRates, 'information rates');
    expectAllR(ours.criticalValues, d.criticalValues, 'critical values');
    expectAllR(ours.alphaSpent, d.alphaSpent, 'alpha spent');
    expectAllR(ours.stageLevels, d.stageLevels, 'stage levels');
  });
  it('binding futility lowers the later boundaries of the same spending (the first is unchanged)', () => {
    const base = { typeOfDesign: 'asOF', kMax: 3, alpha: 0.025, sided: 1, futilityBounds: [0, 0] } as const;
    const nb = groupSequentialDesign(base);
    const b = groupSequentialDesign({ ...base, bindingFutility: true });
    expect(b.criticalValues[0]).toBe(nb.criticalValues[0]);
    expect(b.criticalValues[1]!).toBeLessThan(nb.criticalValues[1]!);
    expect(b.criticalValues[2]!).toBeLessThan(nb.criticalValues[2]!);
    expect(b.bindingFutility).toBe(true);
  });
  it('the sample size of a binding design: getSampleSizeMeans (maximum and expected N, rejection and futility per stage)', () => {
    const ref = X.sample_size_means_of_binding;
    const d = groupSequentialDesign({ ...designs.of_binding!.inputs });
    const s = sampleSizeMeans(d, { alternative: 2, stDev: 5, beta: 0.2 });
    expectR(s.maxNumberOfSubjects, ref.maxNumberOfSubjects, 'max N');
    expectR(s.expectedNumberOfSubjectsH0, ref.expectedNumberOfSubjectsH0, 'E N H0');
    expectR(s.expectedNumberOfSubjectsH1, ref.expectedNumberOfSubjectsH1, 'E N H1');
    expectAllR(s.rejectPerStage, ref.rejectPerStage, 'reject per stage');
    expectAllR(s.futilityPerStage, ref.futilityPerStage, 'futility per stage');
  });
  it('Kim-DeMets spends alpha t^rho; asKD without a positive rho and two-sided binding designs are refused', () => {
    expect(alphaSpending('asKD', 0.025, 1, 2)(0.5)).toBeCloseTo(0.00625, 15);
    expect(() => groupSequentialDesign({ typeOfDesign: 'asKD', kMax: 3, alpha: 0.025, sided: 1 })).toThrow(/asKD needs a positive rho \(gammaA\), found undefined/);
    expect(() => groupSequentialDesign({ typeOfDesign: 'asKD', kMax: 3, alpha: 0.025, sided: 1, gammaA: -1 })).toThrow(/found -1/);
    expect(() => groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 3, alpha: 0.05, sided: 2, futilityBounds: [0, 0], bindingFutility: true })).toThrow(/binding futility bounds are for one-sided designs/);
  });
});
