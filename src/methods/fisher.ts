/** Fisher's exact test (R: fisher.test): the conditional maximum-likelihood odds ratio with its exact CI. */
import { fisherExact } from '../stats/fisher-exact.js';
import { armPart, controlPart, countOnes, type AnalysisMethod } from './method.js';
import { oddsRatioTruth } from './truths.js';

export const fisherMethod: AnalysisMethod<'fisher'> = {
  id: 'fisher',
  endpoint: 'responder',
  measure: 'odds ratio (conditional MLE)',
  scale: 'ratio',
  adjusts: false,
  docs: { estimate: 'conditional MLE odds ratio with its exact CI', test: '`fisher.test` two-sided' },
  compare(c, _item, conf) {
    const [ea, ec] = [countOnes(armPart(c, c.value)), countOnes(controlPart(c, c.value))];
    const f = fisherExact(ea, c.nArm - ea, ec, c.nControl - ec, conf);
    return { measure: this.measure, armSummary: ea / c.nArm, controlSummary: ec / c.nControl, estimate: f.estimate, ci: f.ci, p: f.p, note: Number.isFinite(f.estimate) && f.estimate > 0 ? '' : 'odds ratio at the edge of its range (a zero cell)' };
  },
  truth: oddsRatioTruth,
};
