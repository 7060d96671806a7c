/** ANCOVA (R: lm(y ~ TRT + covariates)): the treatment coefficient, adjusted for the covariates. */
import { ancova } from '../stats/ancova.js';
import { isNotEstimable } from '../stats/not-estimable.js';
import { armPart, controlPart, meanOf, unestimable, type AnalysisMethod } from './method.js';
import { differenceInMeansTruth } from './truths.js';

export const ancovaMethod: AnalysisMethod<'ancova'> = {
  id: 'ancova',
  endpoint: 'continuous',
  measure: 'difference in means (adjusted)',
  scale: 'difference',
  adjusts: true,
  docs: { estimate: "adjusted difference in means: coefficient of treatment in `lm(y ~ TRT + covariates)`; covariates are `BASE` (the endpoint's baseline value) or numeric ADSL covariates", test: 't test of the coefficient' },
  compare(c, item, conf) {
    const base = { measure: this.measure, armSummary: meanOf(armPart(c, c.value)), controlSummary: meanOf(controlPart(c, c.value)) };
    const covs = Object.fromEntries(item.covariates.map((k) => [k, c.covariates[k]!]));
    const r = ancova(c.value, c.treatment, covs, conf);
    if (isNotEstimable(r)) return unestimable(base, r);
    const note = r.aliased.length ? `${r.aliased.join(', ')} dropped: constant or collinear (R's lm reports NA)` : '';
    return { ...base, estimate: r.estimate, se: r.se, ci: r.ci, statistic: r.t, p: r.p, note };
  },
  truth: differenceInMeansTruth,
};
