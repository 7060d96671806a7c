import { describe, expect, it } from 'vitest';
import { powerPropTest, powerTTest, SampleSizeUnreachable, sampleSizeTTest } from '../../src/stats/power.js';
import { procovaPower, procovaSampleSize } from '../../src/stats/procova-sample-size.js';
import { expectR, R } from './reference.js';

describe('analytic power and sample size match R', () => {
  const P = R.power;
  it('power.t.test power', () => {
    expectR(powerTTest({ n: P.t_test_power.n_per_arm, delta: P.t_test_power.delta, sd: P.t_test_power.sd, alpha: P.t_test_power.alpha_two_sided }), P.t_test_power.power);
  });
  it('power.t.test n', () => {
    expectR(sampleSizeTTest({ power: P.t_test_n.power, delta: P.t_test_n.delta, sd: P.t_test_n.sd, alpha: P.t_test_n.alpha_two_sided }), P.t_test_n.n_per_arm);
  });
  it('power.prop.test power', () => {
    expectR(powerPropTest({ n: P.prop_test_power.n_per_arm, p1: P.prop_test_power.p1, p2: P.prop_test_power.p2 }), P.prop_test_power.power);
  });
});

describe('sample size: a number only where the power there is the target', () => {
  it.each([
    [1, 1, 0.05, 0.8],
    [1, 1, 1e-10, 0.8],
    [0.5, 1, 0.05, 0.9999999999],
    [0.01, 1, 0.05, 0.8],
    [0.35, 1.22, 0.01, 0.9],
  ])('delta %s sd %s alpha %s power %s: power at n is the target', (delta, sd, alpha, power) => {
    const n = sampleSizeTTest({ power, delta, sd, alpha });
    expect(Math.abs(powerTTest({ n, delta, sd, alpha }) - power)).toBeLessThan(1e-5);
    const m = procovaSampleSize({ delta, sd, rho: 0.5, alpha, power });
    expect(Math.abs(procovaPower(m, { delta, sd, rho: 0.5, alpha }) - power)).toBeLessThan(1e-5);
  });
  it.each([
    ['alpha 1e-16 (1 - alpha/2 rounds to 1)', { delta: 1, sd: 1, alpha: 1e-16, power: 0.8 }],
    ['tiny effect', { delta: 0.001, sd: 100, alpha: 0.05, power: 0.8 }],
    ['delta 1e-300', { delta: 1e-300, sd: 1, alpha: 0.05, power: 0.8 }],
    ['huge effect', { delta: 100, sd: 1, alpha: 0.05, power: 0.8 }],
  ])('%s: SampleSizeUnreachable, not a number', (_what, o) => {
    expect(() => sampleSizeTTest(o)).toThrow(SampleSizeUnreachable);
    expect(() => procovaSampleSize({ ...o, rho: 0.5 })).toThrow(SampleSizeUnreachable);
  });
  it('1000 covariates: no design is small enough', () => {
    expect(() => procovaSampleSize({ delta: 1, sd: 1, rho: 0.5, covariates: 1000, power: 0.8 })).toThrow(/smallest design \(502 per arm\)/);
  });
});
