import { describe, it } from 'vitest';
import { powerPropTest, powerTTest, sampleSizeTTest } from '../../src/stats/power.js';
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
