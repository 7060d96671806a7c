import { describe, expect, it } from 'vitest';
import { ancova } from '../../src/stats/ancova.js';
import { linearModel, RankDeficientError } from '../../src/stats/linear-model.js';
import { dataset, expectAllR, expectR, R } from './reference.js';

const data = dataset('continuous');
const col = (k: string) => data.map((r) => Number(r[k]));
const trt = data.map((r) => (r.ARM === 'ACTIVE' ? 1 : 0));

describe('ANCOVA matches R lm on continuous.csv', () => {
  it('CHG ~ TRT + BASE', () => {
    const r = ancova(col('CHG'), trt, { BASE: col('BASE') });
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
    const r = ancova(col('CHG'), trt, { BASE: col('BASE'), PROG: col('PROG') });
    const e = R.continuous.ancova_base_prog;
    expectR(r.estimate, e.estimate, 'estimate');
    expectR(r.se, e.se, 'se');
    expectR(r.p, e.p, 'p');
    expectAllR(r.ci, e.ci, 'ci');
    expectR(r.residualSd, e.residual_sd, 'residual sd');
  });
  it('is numerically stable with a large offset (QR on centred data)', () => {
    const shifted = ancova(col('CHG'), trt, { BASE: col('BASE').map((b) => b + 1e8) });
    expectR(shifted.estimate, R.continuous.ancova_base.estimate, 'estimate');
    expectR(shifted.se, R.continuous.ancova_base.se, 'se');
  });
  it('a constant covariate is a clear error, not NaN', () => {
    expect(() => linearModel([1, 2, 3, 5], { x: [1, 1, 1, 1] })).toThrow(RankDeficientError);
    expect(() => linearModel([1, 2, 3, 5], { x: [1, 2, 3, 4], y: [2, 4, 6, 8] })).toThrow(/combination of the others/);
  });
  it('a hand-checkable regression', () => {
    const fit = linearModel([1, 2, 4, 4], { x: [1, 2, 3, 4] });
    expect(fit.coefficients.x!.estimate).toBeCloseTo(1.1, 12);
    expect(fit.coefficients['(Intercept)']!.estimate).toBeCloseTo(0, 12);
  });
});
