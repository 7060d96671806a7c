/** Welch's two-sample t test (R: t.test(var.equal = FALSE)): difference in means. */
import { welchTTest } from '../stats/t-test.js';
import type { AnalysisMethod } from './method.js';
import { differenceInMeansTruth } from './truths.js';
import { compareByTTest, DIFFERENCE_IN_MEANS } from './two-sample-t.js';

export const welchTTestMethod: AnalysisMethod<'welch_t_test'> = {
  id: 'welch_t_test',
  endpoint: 'continuous',
  measure: DIFFERENCE_IN_MEANS,
  scale: 'difference',
  adjusts: false,
  docs: { estimate: 'difference in means', test: '`t.test` (Welch)' },
  compare: compareByTTest(welchTTest),
  truth: differenceInMeansTruth,
};
