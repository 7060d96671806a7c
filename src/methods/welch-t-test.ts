/** Welch's two-sample t test (R: t.test(var.equal = FALSE)): difference in means. */
import { welchTTest } from '../stats/t-test.js';
import { isNotEstimable } from '../stats/not-estimable.js';
import { armPart, controlPart, meanOf, unestimable, type AnalysisMethod } from './method.js';
import { differenceInMeansTruth } from './truths.js';

export const welchTTestMethod: AnalysisMethod<'welch_t_test'> = {
  id: 'welch_t_test',
  endpoint: 'continuous',
  measure: 'difference in means',
  scale: 'difference',
  adjusts: false,
  docs: { estimate: 'difference in means', test: '`t.test` (Welch)' },
  compare(c, _item, conf) {
    const [va, vc] = [armPart(c, c.value), controlPart(c, c.value)];
    const base = { measure: this.measure, armSummary: meanOf(va), controlSummary: meanOf(vc) };
    const r = welchTTest(va, vc, conf);
    if (isNotEstimable(r)) return unestimable(base, r);
    return { ...base, estimate: r.estimate, se: r.se, ci: r.ci, statistic: r.t, p: r.p };
  },
  truth: differenceInMeansTruth,
};
