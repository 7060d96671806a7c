/**
 * The Kaplan-Meier median survival time and its confidence interval, bit for bit as
 * kaplanMeier(times, status, conf).median and .medianCi, without building the curve's step
 * objects: the replicate engine needs only these, twice per trial. The curve lives in reused
 * module-private typed arrays; a caller that already has the ascending order of the times (for
 * instance the arm's part of a joint order) passes it and nothing is sorted.
 *
 * @example kmMedian([1, 2, 2, 3], [1, 1, 0, 1]).median // 2.5, as R survfit (S is exactly 0.5 from t = 2 to 3)
 */
import { qnorm } from './distributions.js';
import { requireBinary, requireFinite, requireSameLength } from './not-estimable.js';
import { capacity, requireOrder, sortAscending } from './survival-order.js';

export interface KmMedian {
  n: number;
  events: number;
  /** NaN when the curve never reaches 0.5 (R: NA). */
  median: number;
  medianCi: [number, number];
}

let orderBuf = new Int32Array(0);
let stepTime = new Float64Array(0);
let survAt = new Float64Array(0);
let lowerAt = new Float64Array(0);
let upperAt = new Float64Array(0);

export function kmMedian(times: ArrayLike<number>, status: ArrayLike<number>, conf = 0.95, order?: ArrayLike<number>): KmMedian {
  requireSameLength('kmMedian', times, status, 'times and events');
  requireFinite('kmMedian', 'times', times);
  requireBinary('kmMedian', 'events', status);
  const n = times.length;
  let idx: ArrayLike<number>;
  if (order) {
    requireOrder('kmMedian', times, order);
    idx = order;
  } else {
    if (orderBuf.length < n) orderBuf = new Int32Array(capacity(orderBuf.length, n));
    idx = sortAscending(times, orderBuf);
  }
  if (stepTime.length < n) {
    const m = capacity(stepTime.length, n);
    stepTime = new Float64Array(m);
    survAt = new Float64Array(m);
    lowerAt = new Float64Array(m);
    upperAt = new Float64Array(m);
  }
  // The same arithmetic as kaplanMeier, step by step.
  const z = qnorm(1 - (1 - conf) / 2);
  let steps = 0;
  let nRisk = n;
  let surv = 1;
  let varSum = 0;
  let events = 0;
  for (let k = 0; k < n; ) {
    const t = times[idx[k]!]!;
    let d = 0;
    let c = 0;
    while (k < n && times[idx[k]!] === t) {
      if (status[idx[k]!]) d++;
      else c++;
      k++;
    }
    events += d;
    if (d > 0) {
      surv *= 1 - d / nRisk;
      varSum += nRisk === d ? Infinity : d / (nRisk * (nRisk - d));
    }
    const se = Math.sqrt(varSum);
    const ok = surv > 0 && Number.isFinite(se);
    stepTime[steps] = t;
    survAt[steps] = surv;
    lowerAt[steps] = ok ? surv * Math.exp(-z * se) : NaN;
    upperAt[steps] = ok ? Math.min(1, surv * Math.exp(z * se)) : NaN;
    steps++;
    nRisk -= d + c;
  }
  return { n, events, median: firstAtOrBelow(survAt, steps, 0.5), medianCi: [firstAtOrBelow(lowerAt, steps, 0.5), firstAtOrBelow(upperAt, steps, 0.5)] };
}

/** kaplan-meier.ts's findQuantile on a typed curve: the first time at or below p; the midpoint where it sits exactly at p. */
function firstAtOrBelow(curve: Float64Array, steps: number, p: number): number {
  const tol = Math.sqrt(2.220446049250313e-16);
  let j = 0;
  while (j < steps && !(curve[j]! <= p + tol)) j++;
  if (j === steps) return NaN;
  const yj = curve[j]!;
  if (Math.abs(yj - p) < tol) {
    let next = j + 1;
    while (next < steps && !(curve[next]! < yj - tol)) next++;
    return next === steps ? stepTime[j]! : (stepTime[j]! + stepTime[next]!) / 2;
  }
  return stepTime[j]!;
}
