import { describe, expect, it } from 'vitest';
import { estimated } from '../../src/stats/not-estimable.js';
import { ancova } from '../../src/stats/ancova.js';
import { linearModel, RankDeficientError } from '../../src/stats/linear-model.js';
import { dataset, expectAllR, expectR, R } from './reference.js';

const data = dataset('continuous');
const col = (k: string) => data.map((r) => Number(r[k]));
const trt = data.map((r) => (r.ARM === 'ACTIVE' ? 1 : 0));

describe('ANCOVA matches R lm on continuous.csv', () => {
  it('CHG ~ TRT + BASE', () => {
    const r = estimated(ancova(col('CHG'), trt, { BASE: col('BASE') }));
    const e = R.continuous.ancova_base;
    expectR(r.estimate, e.estimate, 'estimate');
    expectR(r.se, e.se, 'se');
    expectR(r.t, e.t, 't');
    expectR(r.p, e.p, 'p');
    expectAllR(r.ci, e.ci, 'ci');
    expectR(r.residualSd, e.residual_sd, 'residual sd');
    expect(r.df).toBe(e.df);
  });
  it('CHG ~ TRT + BASE + PROG (prognostic score)', () => {
    const r = estimated(ancova(col('CHG'), trt, { BASE: col('BASE'), PROG: col('PROG') }));
    const e = R.continuous.ancova_base_prog;
    expectR(r.estimate, e.estimate, 'estimate');
    expectR(r.se, e.se, 'se');
    expectR(r.p, e.p, 'p');
    expectAllR(r.ci, e.ci, 'ci');
    expectR(r.residualSd, e.residual_sd, 'residual sd');
  });
  it('is numerically stable with a large offset (QR on centred data)', () => {
    const shifted = estimated(ancova(col('CHG'), trt, { BASE: col('BASE').map((b) => b + 1e8) }));
    expectR(shifted.estimate, R.continuous.ancova_base.estimate, 'estimate');
    expectR(shifted.se, R.continuous.ancova_base.se, 'se');
  });
  it('aliased covariates are dropped with NA coefficients, as R lm does', () => {
    // R: coef(lm(c(1, 2, 3, 5) ~ x)) with x constant gives (Intercept) 2.75 and x NA.
    const c = linearModel([1, 2, 3, 5], { x: [1, 1, 1, 1] });
    expect(c.aliased).toEqual(['x']);
    expect(c.coefficients['(Intercept)']!.estimate).toBeCloseTo(2.75, 12);
    expect(Number.isNaN(c.coefficients.x!.estimate)).toBe(true);
    const lin = linearModel([1, 2, 3, 5], { x: [1, 2, 3, 4], y: [2, 4, 6, 8] });
    expect(lin.aliased).toEqual(['y']);
    expect(lin.coefficients.x!.estimate).toBeCloseTo(1.3, 12);
    // An ANCOVA with a constant covariate gives the unadjusted-by-it estimate, not an error.
    const a = estimated(ancova(col('CHG'), trt, { BASE: col('BASE'), K: col('BASE').map(() => 3) }));
    expectR(a.estimate, R.continuous.ancova_base.estimate, 'estimate');
    expect(a.aliased).toEqual(['K']);
    expect(() => linearModel([1, 2], { x: [1, 2] })).toThrow(RankDeficientError);
  });
  it('a hand-checkable regression', () => {
    const fit = linearModel([1, 2, 4, 4], { x: [1, 2, 3, 4] });
    expect(fit.coefficients.x!.estimate).toBeCloseTo(1.1, 12);
    expect(fit.coefficients['(Intercept)']!.estimate).toBeCloseTo(0, 12);
  });
});
