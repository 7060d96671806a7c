/** Stratified log-rank and Cox against R: survdiff / coxph(Surv(AVAL, 1 - CNSR) ~ TRT + strata(STRATUM)) on survival_strat.csv. */
import { describe, expect, it } from 'vitest';
import { coxPh } from '../../src/stats/cox.js';
import { logRank } from '../../src/stats/log-rank.js';
import { isNotEstimable } from '../../src/stats/not-estimable.js';
import { survivalOrder, stratifyOrder } from '../../src/stats/survival-order.js';
import { dataset, expectR, R } from './reference.js';

const d = dataset('survival_strat');
const time = d.map((r) => Number(r.AVAL));
const status = d.map((r) => 1 - Number(r.CNSR));
const trt = d.map((r) => (r.ARM === 'ACTIVE' ? 1 : 0));
const arm = d.map((r) => r.ARM!);
const S = R.stratified;
const strata = d.map((r) => (S.strata as string[]).indexOf(r.STRATUM!));

describe('stratified survival analyses against R', () => {
  it('log-rank stratified by STRATUM: chi-square, p, observed and expected per arm', () => {
    const lr = logRank(time, status, arm, ['PLACEBO', 'ACTIVE'], { strata });
    expectR(lr.chisq, S.logrank_stratified.chisq, 'chisq');
    expectR(lr.p, S.logrank_stratified.p, 'p');
    expect(lr.observed).toEqual([S.logrank_stratified.observed.PLACEBO, S.logrank_stratified.observed.ACTIVE]);
    expectR(lr.expected[0], S.logrank_stratified.expected.PLACEBO, 'expected PLACEBO');
    expectR(lr.expected[1], S.logrank_stratified.expected.ACTIVE, 'expected ACTIVE');
  });
  it('the same test without strata is the unstratified one (the strata matter here)', () => {
    const lr = logRank(time, status, arm, ['PLACEBO', 'ACTIVE']);
    expectR(lr.chisq, S.logrank_unstratified.chisq, 'chisq');
    expectR(lr.expected[0], S.logrank_unstratified.expected.PLACEBO, 'expected PLACEBO');
    const one = logRank(time, status, arm, ['PLACEBO', 'ACTIVE'], { strata: strata.map(() => 0), timeOrder: survivalOrder(time) });
    expect(one.chisq).toBe(lr.chisq);
  });
  it('Cox (Efron) stratified by STRATUM: coefficient, HR, SE, Wald p, CI and log-likelihoods', () => {
    const fit = coxPh(time, status, { TRT: trt }, 'efron', 0.95, { strata });
    if (isNotEstimable(fit)) throw new Error(fit.reason);
    const t = fit.coefficients.TRT!;
    const c = S.cox_stratified_efron;
    expectR(t.coef, c.coef, 'coef');
    expectR(t.hr, c.hr, 'hr');
    expectR(t.se, c.se, 'se');
    expectR(t.p, c.wald_p, 'p');
    expectR(t.ci[0], c.ci[0], 'lower');
    expectR(t.ci[1], c.ci[1], 'upper');
    expectR(fit.loglik[0], c.loglik[0], 'loglik at 0');
    expectR(fit.loglik[1], c.loglik[1], 'loglik at the estimate');
  });
  it('Cox without strata equals the unstratified reference, and one stratum for all is the same fit bit for bit', () => {
    const fit = coxPh(time, status, { TRT: trt }, 'efron');
    const one = coxPh(time, status, { TRT: trt }, 'efron', 0.95, { strata: strata.map(() => 0) });
    if (isNotEstimable(fit) || isNotEstimable(one)) throw new Error('not estimable');
    expectR(fit.coefficients.TRT!.coef, S.cox_unstratified_efron.coef, 'coef');
    expect(one.coefficients.TRT!.coef).toBe(fit.coefficients.TRT!.coef);
    expect(one.loglik).toEqual(fit.loglik);
  });
  it('stratifyOrder keeps the time order within each stratum and returns the blocks', () => {
    const order = Int32Array.from([4, 0, 3, 1, 2]);
    const out = new Int32Array(5);
    const starts = stratifyOrder(order, [1, 0, 1, 0, 2], out);
    expect([...out]).toEqual([3, 1, 0, 2, 4]);
    expect([...starts]).toEqual([0, 2, 4, 5]);
    expect(() => stratifyOrder(order, [0, 1, -1, 0, 0], out)).toThrow(/strata\[2\] is -1/);
  });
});
