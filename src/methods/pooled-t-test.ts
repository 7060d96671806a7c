/** The two-sample t test with pooled variance (R: t.test(var.equal = TRUE)): difference in means. */
import { pooledTTest } from '../stats/t-test.js';
import { isNotEstimable } from '../stats/not-estimable.js';
import { armPart, controlPart, meanOf, unestimable, type AnalysisMethod } from './method.js';
import { differenceInMeansTruth } from './truths.js';

export const pooledTTestMethod: AnalysisMethod<'pooled_t_test'> = {
  id: 'pooled_t_test',
  endpoint: 'continuous',
  measure: 'difference in means',
  scale: 'difference',
  adjusts: false,
  docs: { estimate: 'difference in means', test: '`t.test(var.equal = TRUE)`' },
  compare(c, _item, conf) {
    const [va, vc] = [armPart(c, c.value), controlPart(c, c.value)];
    const base = { measure: this.measure, armSummary: meanOf(va), controlSummary: meanOf(vc) };
    const r = pooledTTest(va, vc, conf);
    if (isNotEstimable(r)) return unestimable(base, r);
    return { ...base, estimate: r.estimate, se: r.se, ci: r.ci, statistic: r.t, p: r.p };
  },
  truth: differenceInMeansTruth,
};
