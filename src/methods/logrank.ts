/** The log-rank test (R: survdiff), with the unadjusted Cox hazard ratio as the estimate. */
import { type AnalysisMethod } from './method.js';
import { compareHazards, HAZARD_RATIO } from './hazard-ratio.js';
import { hazardRatioTruth } from './truths.js';

export const logrankMethod: AnalysisMethod<'logrank'> = {
  id: 'logrank',
  endpoint: 'time_to_event',
  measure: HAZARD_RATIO,
  scale: 'ratio',
  stratifies: true,
  adjusts: false,
  docs: { estimate: 'Cox hazard ratio without covariates (stratified with `strata`)', test: 'log-rank (`survdiff`, `+ strata()` with `strata`)' },
  compare: (c, item, conf) => compareHazards(c, item, conf, false),
  truth: (cf, item) => hazardRatioTruth(cf, item, false),
};
