import { describe, expect, it } from 'vitest';
import { estimated } from '../../src/stats/not-estimable.js';
import { coxPh } from '../../src/stats/cox.js';
import { kaplanMeier } from '../../src/stats/kaplan-meier.js';
import { logRank } from '../../src/stats/log-rank.js';
import { dataset, expectAllR, expectR, R } from './reference.js';

const data = dataset('survival');
const S = R.survival;
const arm = (a: string) => data.filter((r) => r.ARM === a);
const km = (a: string) => kaplanMeier(arm(a).map((r) => Number(r.AVAL)), arm(a).map((r) => 1 - Number(r.CNSR)));

describe('Kaplan-Meier matches R survfit (log CI)', () => {
  for (const a of ['ACTIVE', 'PLACEBO']) {
    it(`${a}: median and its CI`, () => {
      const fit = km(a);
      expectR(fit.median, S.km.median[a], 'median');
      expectR(fit.medianCi[0], S.km.median_lcl[a], 'median lcl');
      expectR(fit.medianCi[1], S.km.median_ucl[a], 'median ucl');
    });
    it(`${a}: survival, CI and number at risk at 6, 12, 18, 24 months`, () => {
      const fit = km(a);
      for (const e of S.km.survival_at.filter((x: { strata: string }) => x.strata === a)) {
        const r = fit.at(e.time);
        expectR(r.surv, e.surv, `surv@${e.time}`);
        expectR(r.lower, e.lower, `lower@${e.time}`);
        expectR(r.upper, e.upper, `upper@${e.time}`);
        expect(r.nRisk).toBe(e.n_risk);
      }
    });
  }
  it('edge cases: all censored (survival 1, median NA); an arm where everyone has the event', () => {
    const none = kaplanMeier([1, 2, 3], [0, 0, 0]);
    expect(none.at(5).surv).toBe(1);
    expect(Number.isNaN(none.median)).toBe(true);
    const all = kaplanMeier([1, 2, 3, 4], [1, 1, 1, 1]);
    expect(all.median).toBe(2.5); // S = 0.5 on [2, 3): midpoint
    expect(all.at(4).surv).toBe(0);
    expect(Number.isNaN(all.at(4).lower)).toBe(true);
  });
});

describe('log-rank test matches R survdiff', () => {
  it('observed, expected, chi-square and p', () => {
    const r = logRank(data.map((x) => Number(x.AVAL)), data.map((x) => 1 - Number(x.CNSR)), data.map((x) => x.ARM!), S.logrank.strata_order);
    expectAllR(r.observed, S.logrank.observed, 'observed');
    expectAllR(r.expected, S.logrank.expected, 'expected');
    expectR(r.chisq, S.logrank.chisq, 'chisq');
    expectR(r.p, S.logrank.p, 'p');
  });
  it('an arm with no events still gives a statistic', () => {
    const r = logRank([1, 2, 3, 4, 5, 6], [1, 1, 1, 0, 0, 0], ['a', 'a', 'a', 'b', 'b', 'b']);
    expect(r.observed).toEqual([3, 0]);
    expect(r.chisq).toBeGreaterThan(0);
    expect(r.p).toBeLessThan(0.1);
  });
});

describe('Cox proportional hazards matches R coxph', () => {
  const time = data.map((x) => Number(x.AVAL));
  const status = data.map((x) => 1 - Number(x.CNSR));
  const trt = data.map((x) => (x.ARM === 'ACTIVE' ? 1 : 0));
  const age = data.map((x) => Number(x.AGE));
  for (const [ties, key] of [['efron', 'cox_efron'], ['breslow', 'cox_breslow']] as const) {
    it(`${ties} ties`, () => {
      const r = estimated(coxPh(time, status, { TRT: trt }, ties));
      const c = r.coefficients.TRT!;
      const e = S[key];
      expectR(c.coef, e.coef, 'coef');
      expectR(c.hr, e.hr, 'hr');
      expectR(c.se, e.se, 'se');
      expectR(c.p, e.wald_p, 'wald p');
      expectAllR(c.ci, e.ci, 'ci');
      expectAllR(r.loglik, e.loglik, 'loglik');
    });
  }
  it('adjusted for age (Efron), the treatment row', () => {
    const r = estimated(coxPh(time, status, { TRT: trt, AGE: age }, 'efron'));
    const c = r.coefficients.TRT!;
    const e = S.cox_efron_adjusted_age;
    expectR(c.coef, e.coef, 'coef');
    expectR(c.hr, e.hr, 'hr');
    expectR(c.se, e.se, 'se');
    expectR(c.p, e.wald_p, 'wald p');
    expectAllR(c.ci, e.ci, 'ci');
    expectAllR(r.loglik, e.loglik, 'loglik');
  });
});
