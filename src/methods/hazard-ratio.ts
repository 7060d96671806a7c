/**
 * The two time-to-event methods share one pipeline: Kaplan-Meier medians per arm, one sort of
 * the times for both the log-rank test and every Cox step, and Cox's hazard ratio (with the
 * item's covariates for `cox`; the unadjusted one for `logrank`, whose p-value is the log-rank
 * test's), both stratified by the item's strata when it has them (the medians are per arm).
 */
import { coxPh } from '../stats/cox.js';
import { kmMedian } from '../stats/km-median.js';
import { logRank } from '../stats/log-rank.js';
import { isNotEstimable, NotEstimable } from '../stats/not-estimable.js';
import { survivalOrder } from '../stats/survival-order.js';
import type { AnalysisItem } from '../spec/analysis-schema.js';
import { armPart, controlPart, unestimable, type Comparison, type Outcome } from './method.js';

export const HAZARD_RATIO = 'hazard ratio';

export function compareHazards(c: Comparison, item: AnalysisItem, conf: number, adjusted: boolean): Outcome {
  const measure = HAZARD_RATIO;
  const n = c.nArm + c.nControl;
  // One sort for the Kaplan-Meier medians, the log-rank test and every Cox step.
  const order = survivalOrder(c.time);
  const armOrder = new Int32Array(c.nArm);
  const controlOrder = new Int32Array(c.nControl);
  for (let k = 0, a = 0, b = 0; k < n; k++) {
    const i = order[k]!;
    if (i < c.nArm) armOrder[a++] = i;
    else controlOrder[b++] = i - c.nArm;
  }
  const ka = kmMedian(armPart(c, c.time), armPart(c, c.event), 0.95, armOrder);
  const kc = kmMedian(controlPart(c, c.time), controlPart(c, c.event), 0.95, controlOrder);
  if (ka.events + kc.events === 0) return unestimable({ measure }, 'no events in either arm (all censored)');
  const base = { measure, armSummary: ka.median, controlSummary: kc.median };
  const groups = new Array<string>(n);
  for (let i = 0; i < n; i++) groups[i] = i < c.nArm ? 'arm' : 'control';
  const lr = logRank(c.time, c.event, groups, ['arm', 'control'], { timeOrder: order, strata: c.strata });
  let fit: ReturnType<typeof coxPh>;
  if (ka.events === 0 || kc.events === 0) fit = new NotEstimable(`no events in the ${ka.events === 0 ? 'active' : 'control'} arm`);
  else {
    const covs = adjusted ? Object.fromEntries(item.covariates.map((k) => [k, c.covariates[k]!])) : {};
    fit = coxPh(c.time, c.event, { TRT: c.treatment, ...covs }, item.ties, conf, { order, strata: c.strata });
  }
  if (isNotEstimable(fit)) {
    if (adjusted) return unestimable(base, fit);
    // The log-rank test stands without a hazard ratio.
    return { ...base, estimate: NaN, ci: [NaN, NaN], statistic: lr.chisq, p: lr.p, note: `hazard ratio not estimable: ${fit.reason}`, sign: Math.sign(lr.observed[0]! - lr.expected[0]!) };
  }
  const t = fit.coefficients.TRT!;
  return adjusted ? { ...base, estimate: t.hr, se: t.se, ci: t.ci, statistic: t.z, p: t.p } : { ...base, estimate: t.hr, se: t.se, ci: t.ci, statistic: lr.chisq, p: lr.p };
}
