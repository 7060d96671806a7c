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
