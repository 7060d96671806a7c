/** The comparison both t-test methods make: the two arms' means and the test's difference in means. */
import { isNotEstimable, type NotEstimable } from '../stats/not-estimable.js';
import type { TTestResult } from '../stats/t-test.js';
import { armPart, controlPart, meanOf, unestimable, type Comparison, type Outcome } from './method.js';

export const DIFFERENCE_IN_MEANS = 'difference in means';

export function compareByTTest(test: (x: Float64Array, y: Float64Array, conf: number) => TTestResult | NotEstimable): (c: Comparison, _item: unknown, conf: number) => Outcome {
  return (c, _item, conf) => {
    const [va, vc] = [armPart(c, c.value), controlPart(c, c.value)];
    const base = { measure: DIFFERENCE_IN_MEANS, armSummary: meanOf(va), controlSummary: meanOf(vc) };
    const r = test(va, vc, conf);
    if (isNotEstimable(r)) return unestimable(base, r);
    return { ...base, estimate: r.estimate, se: r.se, ci: r.ci, statistic: r.t, p: r.p };
  };
}
