/**
 * The Kaplan-Meier curve as survfit computes it, in one pass over the times in ascending order:
 * per distinct time the number at risk, events, censored, survival, the Greenwood SE of the
 * cumulative hazard and the log-transformed CI (upper limit capped at 1); and the quantile rule of
 * quantile.survfit. Shared by kaplanMeier (the curve as step objects) and kmMedian (the median
 * only, no objects). The curve lives in module-private typed arrays, reused across calls: read it
 * before the next call.
 */
import { qnorm } from './distributions.js';
import { requireBinary, requireFinite, requireSameLength } from './not-estimable.js';
import { capacity, requireOrder, sortAscending } from './survival-order.js';

export interface Curve {
  /** Number of steps (distinct times). */
  steps: number;
  events: number;
  time: Float64Array;
  nRisk: Float64Array;
  deaths: Float64Array;
  censored: Float64Array;
  surv: Float64Array;
  se: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

let orderBuf = new Int32Array(0);
const C: Curve = { steps: 0, events: 0, time: new Float64Array(0), nRisk: new Float64Array(0), deaths: new Float64Array(0), censored: new Float64Array(0), surv: new Float64Array(0), se: new Float64Array(0), lower: new Float64Array(0), upper: new Float64Array(0) };

/** @param fn the caller's name, for messages; @param order the ascending order of the times, when the caller has it. */
export function kaplanMeierCurve(fn: string, times: ArrayLike<number>, status: ArrayLike<number>, conf: number, order?: ArrayLike<number>): Curve {
  requireSameLength(fn, times, status, 'times and events');
  requireFinite(fn, 'times', times);
  requireBinary(fn, 'events', status);
  const n = times.length;
  let idx: ArrayLike<number>;
  if (order) {
    requireOrder(fn, times, order);
    idx = order;
  } else {
    if (orderBuf.length < n) orderBuf = new Int32Array(capacity(orderBuf.length, n));
    idx = sortAscending(times, orderBuf);
  }
  if (C.time.length < n) {
    const m = capacity(C.time.length, n);
    for (const k of ['time', 'nRisk', 'deaths', 'censored', 'surv', 'se', 'lower', 'upper'] as const) C[k] = new Float64Array(m);
  }
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
    C.time[steps] = t;
    C.nRisk[steps] = nRisk;
    C.deaths[steps] = d;
    C.censored[steps] = c;
    C.surv[steps] = surv;
    C.se[steps] = se;
    C.lower[steps] = ok ? surv * Math.exp(-z * se) : NaN;
    C.upper[steps] = ok ? Math.min(1, surv * Math.exp(z * se)) : NaN;
    steps++;
    nRisk -= d + c;
  }
  C.steps = steps;
  C.events = events;
  return C;
}

/** quantile.survfit on one band of the curve: the first time it is at or below p; the midpoint where it sits exactly at p. */
export function curveQuantile(c: Curve, band: Float64Array, p: number): number {
  const tol = Math.sqrt(2.220446049250313e-16);
  const steps = c.steps;
  let j = 0;
  while (j < steps && !(band[j]! <= p + tol)) j++;
  if (j === steps) return NaN;
  const yj = band[j]!;
  if (Math.abs(yj - p) < tol) {
    let next = j + 1;
    while (next < steps && !(band[next]! < yj - tol)) next++;
    return next === steps ? c.time[j]! : (c.time[j]! + c.time[next]!) / 2;
  }
  return c.time[j]!;
}

/** The median and its CI (the lower band reaches 0.5 first: it gives the lower limit). */
export function curveMedian(c: Curve): { median: number; medianCi: [number, number] } {
  return { median: curveQuantile(c, c.surv, 0.5), medianCi: [curveQuantile(c, c.lower, 0.5), curveQuantile(c, c.upper, 0.5)] };
}
