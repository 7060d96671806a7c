/** Cox proportional hazards (R: coxph, Efron ties by default): the hazard ratio of treatment, with covariates; Wald test. */
import { type AnalysisMethod } from './method.js';
import { compareHazards, HAZARD_RATIO } from './hazard-ratio.js';
import { hazardRatioTruth } from './truths.js';

export const coxMethod: AnalysisMethod<'cox'> = {
  id: 'cox',
  endpoint: 'time_to_event',
  measure: HAZARD_RATIO,
  scale: 'ratio',
  stratifies: true,
  adjusts: true,
  docs: { estimate: 'hazard ratio from `coxph` (Efron ties by default), with covariates and `strata` (`+ strata()`)', test: 'Wald' },
  compare: (c, item, conf) => compareHazards(c, item, conf, true),
  truth: (cf, item) => hazardRatioTruth(cf, item, true),
};
