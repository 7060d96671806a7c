import { describe, expect, it } from 'vitest';
import { logisticRegression, profileCi } from '../../src/stats/logistic-regression.js';
import { isNotEstimable, type NotEstimable } from '../../src/stats/not-estimable.js';
import { dataset, expectR, R } from './reference.js';

const d = dataset('binary_cov');
const y = d.map((r) => Number(r.RESP));
const covs = { TRT: d.map((r) => (r.ARM === 'ACTIVE' ? 1 : 0)), AGE: d.map((r) => Number(r.AGE)), BASE: d.map((r) => Number(r.BASE)) };
const L = R.logistic;

describe('logisticRegression against R glm(RESP ~ TRT + AGE + BASE, family = binomial)', () => {
  const fit = logisticRegression(y, covs);
  if (isNotEstimable(fit)) throw new Error(fit.reason);
  it('every coefficient and its SE', () => {
    (L.coefficients.names as string[]).forEach((name, j) => {
      expectR(fit.coefficients[name]!.estimate, L.coefficients.estimate[j], `${name} estimate`);
      expectR(fit.coefficients[name]!.se, L.coefficients.se[j], `${name} se`);
    });
  });
  it("TRT's Wald z, p, odds ratio and CI", () => {
    const t = fit.coefficients.TRT!;
    expectR(t.z, L.z, 'z');
    expectR(t.p, L.p, 'p');
    expectR(t.oddsRatio, L.odds_ratio, 'odds ratio');
    expectR(t.waldCi[0], L.wald_ci_or[0], 'Wald lower');
    expectR(t.waldCi[1], L.wald_ci_or[1], 'Wald upper');
  });
  it('deviance, null deviance, residual df, AIC and the number of Fisher scoring iterations', () => {
    expectR(fit.deviance, L.deviance, 'deviance');
    expectR(fit.nullDeviance, L.null_deviance, 'null deviance');
    expect(fit.dfResidual).toBe(L.df_residual);
    expectR(fit.aic, L.aic, 'aic');
    expect(fit.iterations).toBe(L.fisher_scoring_iterations);
    expect(fit.n).toBe(L.n);
  });
  it('the profile-likelihood CI of TRT (exact roots; MASS confint.glm interpolates to about 1e-5)', () => {
    const ci = profileCi(y, covs, 'TRT') as [number, number];
    expectR(ci[0], L.profile_ci_coef_exact[0], 'profile lower');
    expectR(ci[1], L.profile_ci_coef_exact[1], 'profile upper');
    expectR(Math.exp(ci[0]), L.profile_ci_or_exact[0], 'profile OR lower');
    expect(Math.abs(ci[1] - L.profile_ci_coef_mass[1]) / L.profile_ci_coef_mass[1]).toBeLessThan(1e-4);
  });
});

describe('logisticRegression: the doc example and what cannot be estimated', () => {
  it('one binary covariate: the odds ratio of the 2x2 table', () => {
    const f = logisticRegression([0, 0, 1, 1, 0, 1], { X: [0, 0, 0, 1, 1, 1] });
    if (isNotEstimable(f)) throw new Error(f.reason);
    expect(f.coefficients.X!.estimate).toBeCloseTo(Math.log(4), 10);
    expect(f.coefficients['(Intercept)']!.estimate).toBeCloseTo(Math.log(1 / 2), 10);
  });
  it.each([
    ['complete separation', [0, 0, 0, 1, 1, 1], { X: [1, 2, 3, 4, 5, 6] }, /separation|converge|overflow/],
    ['a zero cell: 6 of 20 against 0 of 20 (quasi-complete separation; R returns OR 1.35e8 with p 0.994)', [...Array(6).fill(1), ...Array(34).fill(0)], { TRT: [...Array(20).fill(1), ...Array(20).fill(0)] }, /quasi-complete separation, e.g. a zero cell/],
    ['every subject a responder', [1, 1, 1, 1], { X: [1, 2, 3, 4] }, /every subject is a responder/],
    ['a constant covariate', [0, 1, 0, 1, 1, 0], { X: [1, 2, 3, 4, 5, 6], C: [2, 2, 2, 2, 2, 2] }, /C is constant or collinear/],
    ['collinear covariates', [0, 1, 0, 1, 1, 0], { X: [1, 2, 3, 4, 5, 6], Z: [2, 4, 6, 8, 10, 12] }, /Z is constant or collinear/],
    ['too few subjects', [0, 1], { X: [1, 2] }, /2 observations cannot estimate 2 coefficients/],
  ])('%s is not estimable, with the reason', (_name, yy, cc, why) => {
    const f = logisticRegression(yy, cc);
    expect(isNotEstimable(f)).toBe(true);
    expect((f as NotEstimable).reason).toMatch(why);
  });
});
