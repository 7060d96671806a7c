/**
 * The Kaplan-Meier median survival time and its confidence interval, bit for bit as
 * kaplanMeier(times, status, conf).median and .medianCi, without building the curve's step
 * objects (the same curve, kaplan-meier-curve.ts, in typed arrays): the replicate engine needs
 * only these, twice per trial. A caller that already has the ascending order of the times (for
 * instance the arm's part of a joint order) passes it and nothing is sorted.
 *
 * @example kmMedian([1, 2, 2, 3], [1, 1, 0, 1]).median // 2.5, as R survfit (S is exactly 0.5 from t = 2 to 3)
 */
import { curveMedian, kaplanMeierCurve } from './kaplan-meier-curve.js';

export interface KmMedian {
  n: number;
  events: number;
  /** NaN when the curve never reaches 0.5 (R: NA). */
  median: number;
  medianCi: [number, number];
}

export function kmMedian(times: ArrayLike<number>, status: ArrayLike<number>, conf = 0.95, order?: ArrayLike<number>): KmMedian {
  const c = kaplanMeierCurve('kmMedian', times, status, conf, order);
  return { n: times.length, events: c.events, ...curveMedian(c) };
}
