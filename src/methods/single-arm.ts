/**
 * Per-arm estimates of a protocol without a control arm, by endpoint type: the mean with its t
 * interval, the proportion with Clopper-Pearson's, the Kaplan-Meier median with its interval;
 * and their truths on the arm's counterfactual outcomes (the mean; for time to event the median
 * latent event time).
 */
import { clopperPearson } from '../stats/clopper-pearson.js';
import { pt, qt } from '../stats/distributions.js';
import { kmMedian } from '../stats/km-median.js';
import { countOnes, meanOf, unestimable, type EndpointKind, type Outcome } from './method.js';

export const singleArmMeasure = (kind: EndpointKind): string => (kind === 'time_to_event' ? 'median' : kind === 'responder' ? 'proportion' : 'mean');

/** @param value continuous values or 0/1 responses; time and event for time to event. */
export function estimateSingleArm(kind: EndpointKind, value: Float64Array, time: Float64Array, event: Float64Array, conf: number): Outcome {
  if (kind === 'time_to_event') {
    const km = kmMedian(time, event, conf);
    return { measure: 'median', estimate: km.median, ci: km.medianCi, note: Number.isNaN(km.median) ? 'median not reached' : '' };
  }
  const v = value;
  if (kind === 'responder') {
    const cp = clopperPearson(countOnes(v), v.length, conf);
    return { measure: 'proportion', estimate: cp.estimate, ci: cp.ci };
  }
  const m = meanOf(v);
  if (v.length < 2) return unestimable({ measure: 'mean' }, 'fewer than two subjects with data');
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += (v[i]! - m) ** 2;
  const sd = Math.sqrt(ss / (v.length - 1));
  if (!Number.isFinite(m) || !Number.isFinite(sd)) return unestimable({ measure: 'mean' }, 'the values are too large: their sums of squares overflow');
  const se = sd / Math.sqrt(v.length);
  let scale = 1;
  for (let i = 0; i < v.length; i++) if (Math.abs(v[i]!) > scale) scale = Math.abs(v[i]!);
  if (se <= 1e-10 * scale) return unestimable({ measure: 'mean' }, 'no variance');
  const q = qt(1 - (1 - conf) / 2, v.length - 1);
  return { measure: 'mean', estimate: m, se, ci: [m - q * se, m + q * se], statistic: m / se, p: 2 * pt(-Math.abs(m / se), v.length - 1) };
}

/** The arm's counterfactual mean, or for time to event the median latent event time. */
export function singleArmTruth(kind: EndpointKind, ya: Float64Array): number {
  if (kind !== 'time_to_event') return meanOf(ya);
  const sorted = Float64Array.from(ya).sort();
  const m = sorted.length;
  return m % 2 ? sorted[(m - 1) / 2]! : (sorted[m / 2 - 1]! + sorted[m / 2]!) / 2;
}
