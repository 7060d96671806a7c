/** The two-sample t test with pooled variance (R: t.test(var.equal = TRUE)): difference in means. */
import { pooledTTest } from '../stats/t-test.js';
import type { AnalysisMethod } from './method.js';
import { differenceInMeansTruth } from './truths.js';
import { compareByTTest, DIFFERENCE_IN_MEANS } from './two-sample-t.js';

export const pooledTTestMethod: AnalysisMethod<'pooled_t_test'> = {
  id: 'pooled_t_test',
  endpoint: 'continuous',
  measure: DIFFERENCE_IN_MEANS,
  scale: 'difference',
  adjusts: false,
  docs: { estimate: 'difference in means', test: '`t.test(var.equal = TRUE)`' },
  compare: compareByTTest(pooledTTest),
  truth: differenceInMeansTruth,
};
