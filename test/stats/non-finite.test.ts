/**
 * Statistics take finite numbers only and say when a quantity cannot be estimated: a NaN time
 * used to stall the survival loops (times[i] === t is never true for NaN) until memory ran out;
 * a Cox fit under perfect separation reported a finite hazard ratio; values near 1e308 gave p = 1.
 */
import { describe, expect, it } from 'vitest';
import { ancova } from '../../src/stats/ancova.js';
import { coxPh } from '../../src/stats/cox.js';
import { kaplanMeier } from '../../src/stats/kaplan-meier.js';
import { linearModel } from '../../src/stats/linear-model.js';
import { logRank } from '../../src/stats/log-rank.js';
import { estimated, isNotEstimable, NotEstimable } from '../../src/stats/not-estimable.js';
import { pooledTTest, welchTTest } from '../../src/stats/t-test.js';

const times = [3, 5, NaN, 8, 9, 12];
const status = [1, 0, 1, 1, 0, 1];
const arm = [1, 1, 1, 0, 0, 0];

describe('non-finite input is rejected at once, naming the function and the entry', () => {
  it.each([
    ['kaplanMeier', () => kaplanMeier(times, status), /kaplanMeier: times\[2\] is NaN/],
    ['logRank', () => logRank(times, status, arm.map(String)), /logRank: times\[2\] is NaN/],
    ['coxPh', () => coxPh(times, status, { TRT: arm }), /coxPh: time\[2\] is NaN/],
    ['coxPh covariate', () => coxPh([1, 2, 3, 4], [1, 1, 0, 1], { TRT: [1, 0, 1, 0], AGE: [50, Infinity, 40, 30] }), /coxPh: AGE\[1\] is Infinity/],
    ['welchTTest', () => welchTTest([1, 2, NaN], [3, 4, 5]), /welchTTest: x\[2\] is NaN/],
    ['pooledTTest', () => pooledTTest([1, 2, 3], [3, -Infinity, 5]), /pooledTTest: y\[1\] is -Infinity/],
    ['ancova', () => ancova([1, 2, 3, NaN, 5, 6], arm, { BASE: [1, 2, 3, 4, 5, 6] }), /ancova: y\[3\] is NaN/],
    ['ancova covariate', () => ancova([1, 2, 3, 4, 5, 6], arm, { BASE: [1, 2, NaN, 4, 5, 6] }), /ancova: BASE\[2\] is NaN/],
    ['linearModel', () => linearModel([1, 2, NaN, 4], { x: [1, 2, 3, 4] }), /linearModel: y\[2\] is NaN/],
  ])('%s', (_, call, message) => {
    const t0 = performance.now();
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
    expect(performance.now() - t0).toBeLessThan(2000); // a limit for hang detection, not a timing test
  });
  it('event indicators other than 0/1 are rejected (CNSR = 2 once counted as an event)', () => {
    expect(() => kaplanMeier([1, 2, 3], [1, -1, 0])).toThrow(/kaplanMeier: events\[1\] is -1 \(0 or 1 is required\)/);
    expect(() => coxPh([1, 2, 3, 4], [1, 2, 0, 1], { TRT: [1, 0, 1, 0] })).toThrow(/coxPh: status\[1\] is 2/);
  });
});

describe('not estimable: a typed result with a reason, never a finite but meaningless number', () => {
  it('Cox under perfect separation (every treated subject fails before every control)', () => {
    const time = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const trt = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const fit = coxPh(time, time.map(() => 1), { TRT: trt });
    expect(fit).toBeInstanceOf(NotEstimable);
    expect((fit as NotEstimable).reason).toBe('the coefficient of TRT may be infinite (perfect separation: the likelihood converged before that variable did)');
    expect((fit as NotEstimable).estimate).toBeNaN();
  });
  it('Cox with ordinary data still converges and is estimable', () => {
    const fit = estimated(coxPh([1, 2, 3, 4, 5, 6, 7, 8], [1, 1, 0, 1, 1, 1, 0, 1], { TRT: [1, 0, 1, 0, 0, 1, 1, 0] }));
    expect(Number.isFinite(fit.coefficients.TRT!.hr)).toBe(true);
    expect(fit.coefficients.TRT!.se).toBeGreaterThan(0);
  });
  it('Cox without events', () => {
    expect(coxPh([1, 2, 3], [0, 0, 0], { TRT: [1, 0, 1] })).toEqual(new NotEstimable('no events (all censored)'));
  });
  it('ANCOVA on values near 1e308: the sums of squares overflow', () => {
    const y = [1.7e308, 1.6e308, 1.5e308, -1.7e308, -1.2e308, 1.1e308];
    const r = ancova(y, arm, {});
    expect(isNotEstimable(r)).toBe(true);
    expect((r as NotEstimable).reason).toMatch(/overflow/);
  });
  it('t-tests on values near 1e308', () => {
    const r = welchTTest([1.7e308, -1.6e308, 1.5e308], [-1.7e308, 1.2e308, 1.1e308]);
    expect((r as NotEstimable).reason).toMatch(/overflow/);
  });
  it('t-test without variance keeps the exact difference in means, and nothing else', () => {
    const r = welchTTest([2, 2, 2], [1, 1, 1]);
    expect(r).toEqual(new NotEstimable('no variance in either arm', 1));
    expect(pooledTTest([2], [1, 1])).toEqual(new NotEstimable('fewer than two values in the first group'));
  });
  it('ANCOVA with a constant treatment or too few subjects', () => {
    expect(ancova([1, 2, 3, 4], [1, 1, 1, 1])).toEqual(new NotEstimable('every subject has the same treatment'));
    expect((ancova([1, 2], [1, 0]) as NotEstimable).reason).toBe('2 observations cannot estimate 2 coefficients');
  });
  it('log-rank without events has no statistic (NA), not a number', () => {
    const r = logRank([1, 2, 3, 4], [0, 0, 0, 0], ['a', 'b', 'a', 'b']);
    expect(r.chisq).toBeNaN();
    expect(r.p).toBeNaN();
  });
});
