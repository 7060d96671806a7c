/** Pearson's chi-square test of a 2x2 table (R: chisq.test(correct = FALSE)) and the risk difference with its Wald CI. */
import { isNotEstimable } from '../stats/not-estimable.js';
import { pearsonChiSquare, riskDifference } from '../stats/two-by-two.js';
import { armPart, controlPart, countOnes, type AnalysisMethod } from './method.js';
import { riskDifferenceTruth } from './truths.js';

export const chisqMethod: AnalysisMethod<'chisq'> = {
  id: 'chisq',
  endpoint: 'responder',
  measure: 'risk difference',
  scale: 'difference',
  adjusts: false,
  docs: { estimate: 'risk difference with Wald CI', test: 'Pearson chi-square, no continuity correction' },
  compare(c, _item, conf) {
    const [ea, ec] = [countOnes(armPart(c, c.value)), countOnes(controlPart(c, c.value))];
    const base = { measure: this.measure, armSummary: ea / c.nArm, controlSummary: ec / c.nControl };
    const rd = riskDifference(ea, c.nArm, ec, c.nControl, conf);
    const chi = pearsonChiSquare(ea, c.nArm, ec, c.nControl);
    // Every subject with the same response: the difference is exact (0), but there is neither a test nor a Wald interval.
    if (Number.isNaN(chi.p)) return { ...base, estimate: rd.estimate, ci: [NaN, NaN], note: 'no test: every subject has the same response' };
    // Complete separation (0% against 100%): Pearson's test stands, the Wald interval does not.
    if (isNotEstimable(rd)) return { ...base, estimate: rd.estimate, ci: [NaN, NaN], statistic: chi.statistic, p: chi.p, note: `risk difference interval not estimable: ${rd.reason}` };
    return { ...base, estimate: rd.estimate, se: rd.se, ci: rd.ci, statistic: chi.statistic, p: chi.p };
  },
  truth: riskDifferenceTruth,
};
