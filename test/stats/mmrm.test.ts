import { describe, expect, it } from 'vitest';
import { estimated, isNotEstimable } from '../../src/stats/not-estimable.js';
import { mmrm, type MmrmData } from '../../src/stats/mmrm.js';
import { dataset, expectAllR, expectR, R } from './reference.js';

const VISITS = ['Week 4', 'Week 8', 'Week 12', 'Week 16'];

/** longitudinal.csv as MMRM columns (subjects numbered in order of appearance). */
function longitudinal(byVisit: boolean): MmrmData {
  const rows = dataset('longitudinal');
  const ids = new Map<string, number>();
  for (const r of rows) if (!ids.has(r.USUBJID!)) ids.set(r.USUBJID!, ids.size);
  return {
    subject: Int32Array.from(rows, (r) => ids.get(r.USUBJID!)!),
    visit: Int32Array.from(rows, (r) => VISITS.indexOf(r.AVISIT!)),
    y: Float64Array.from(rows, (r) => Number(r.CHG)),
    treatment: Float64Array.from(rows, (r) => (r.ARM === 'ACTIVE' ? 1 : 0)),
    nSubjects: ids.size,
    nVisits: 4,
    covariates: [{ name: 'BASE', values: Float64Array.from(rows, (r) => Number(r.BASE)), byVisit }],
    visitNames: VISITS,
  };
}

describe('MMRM matches nlme::gls (REML, corSymm + varIdent) and emmeans on longitudinal.csv', () => {
  for (const [section, byVisit] of [['mmrm', true], ['mmrm_base_main', false]] as const) {
    it(`${section}: ${R[section].model}`, () => {
      const e = R[section];
      const r = estimated(mmrm(longitudinal(byVisit)));
      const v = r.visits;
      expectAllR(v.map((x) => x.estimate), e.estimate, 'estimate');
      expectAllR(v.map((x) => x.se), e.se, 'se');
      expectAllR(v.map((x) => x.df), e.df, 'df');
      expectAllR(v.map((x) => x.t), e.t, 't');
      expectAllR(v.map((x) => x.p), e.p, 'p');
      expectAllR(v.map((x) => x.ci[0]), e.ci_lower, 'ci lower');
      expectAllR(v.map((x) => x.ci[1]), e.ci_upper, 'ci upper');
      expectAllR(v.map((x) => x.lsmeanControl), e.lsmean_placebo, 'lsmean placebo');
      expectAllR(v.map((x) => x.lsmeanArm), e.lsmean_active, 'lsmean active');
      expectAllR(v.map((x) => x.lsmeanControlSe), e.lsmean_placebo_se, 'lsmean placebo se');
      expectAllR(v.map((x) => x.lsmeanArmSe), e.lsmean_active_se, 'lsmean active se');
      expectR(r.logLik, e.reml_loglik, 'REML logLik');
      expectAllR([...r.covariance], e.covariance, 'covariance');
      expectR(r.covariateMeans.BASE, e.base_at, 'BASE mean');
      expect([r.nSubjects, r.nObs, r.nCoef]).toEqual([e.n_patients, e.n_obs, e.n_coef]);
    });
  }
});

describe('MMRM edge cases', () => {
  it("Week 4 is complete and comes first, so its Satterthwaite df is n - 3 (the README's check)", () => {
    expect(estimated(mmrm(longitudinal(true))).visits[0]!.df).toBeCloseTo(197, 5);
  });
  it('a visit without observations in one arm is NA with a note naming it', () => {
    const d = longitudinal(true);
    const keep = [...d.y.keys()].filter((i) => !(d.visit[i] === 2 && d.treatment[i] === 0));
    const r = mmrm(subset(d, keep));
    expect(isNotEstimable(r) && r.reason).toBe('Week 12 has no observations in the control arm');
  });
  it('a subject with one observation contributes through its 1×1 block of the covariance', () => {
    const d = longitudinal(true);
    // Subject 0 keeps only Week 16 (a pattern nobody else has).
    const keep = [...d.y.keys()].filter((i) => d.subject[i] !== 0 || d.visit[i] === 3);
    const r = estimated(mmrm(subset(d, keep)));
    expect(r.nSubjects).toBe(200);
    expect(r.nObs).toBe(714);
    const full = estimated(mmrm(d));
    expect(Math.abs(r.visits[3]!.estimate - full.visits[3]!.estimate)).toBeGreaterThan(0);
    expect(Math.abs(r.visits[3]!.estimate - full.visits[3]!.estimate)).toBeLessThan(0.05);
  });
  it('a fit that does not converge is NA with a note, never a number', () => {
    const r = mmrm(longitudinal(true), { maxIterations: 2 });
    expect(isNotEstimable(r) && r.reason).toBe('REML did not converge in 2 iterations');
  });
  it('a constant covariate makes the design singular: NA with a note', () => {
    const d = longitudinal(false);
    const r = mmrm({ ...d, covariates: [{ name: 'K', values: d.y.map(() => 5), byVisit: false }] });
    expect(isNotEstimable(r) && r.reason).toMatch(/design is singular/);
  });
  it('does not depend on the order of the observations', () => {
    const d = longitudinal(true);
    const order = [...d.y.keys()].reverse();
    const a = estimated(mmrm(d));
    const b = estimated(mmrm(subset(d, order)));
    a.visits.forEach((v, i) => {
      expectR(b.visits[i]!.estimate, v.estimate, 'estimate');
      expectR(b.visits[i]!.df, v.df, 'df');
    });
  });
  it('rejects two observations of a subject at one visit and non-binary treatment', () => {
    const d = longitudinal(true);
    const dup = subset(d, [0, 0, ...[...d.y.keys()].slice(1)]);
    expect(() => mmrm(dup)).toThrow(/two observations at visit 0/);
    expect(() => mmrm({ ...d, treatment: d.treatment.map((t) => t * 2) })).toThrow(/0 or 1 is required/);
  });
});

function subset(d: MmrmData, rows: number[]): MmrmData {
  return {
    ...d,
    subject: Int32Array.from(rows, (i) => d.subject[i]!),
    visit: Int32Array.from(rows, (i) => d.visit[i]!),
    y: Float64Array.from(rows, (i) => d.y[i]!),
    treatment: Float64Array.from(rows, (i) => d.treatment[i]!),
    covariates: d.covariates!.map((c) => ({ ...c, values: Float64Array.from(rows, (i) => c.values[i]!) })),
  };
}
