/**
 * Kaplan-Meier estimate with R survfit's defaults: Greenwood standard error of the cumulative
 * hazard and a log-transformed confidence interval, exp(log S +- z se), upper limit capped at 1;
 * median and its CI found as survival's quantile.survfit does (the first time the curve is at
 * or below 0.5; where it is exactly 0.5 over an interval, the interval's midpoint).
 *
 * One pass over the sorted times (the sort permutation lives in a reused module-private buffer);
 * at(t) and the quantiles search the steps without copying them.
 *
 * @example kaplanMeier([1, 2, 2, 3], [1, 1, 0, 1]).median // 2.5 (R: survfit gives median 2.5: S is exactly 0.5 from t = 2 to 3)
 */
import { qnorm } from './distributions.js';
import { requireBinary, requireFinite, requireSameLength } from './not-estimable.js';
import { capacity, sortAscending } from './survival-order.js';

export interface KmStep {
  time: number;
  nRisk: number;
  events: number;
  censored: number;
  surv: number;
  /** Greenwood SE of the cumulative hazard (log survival). */
  se: number;
  lower: number;
  upper: number;
}

export interface KaplanMeier {
  steps: KmStep[];
  n: number;
  events: number;
  /** NaN when not estimable (R: NA). */
  median: number;
  medianCi: [number, number];
  /** Survival, CI and number at risk at a time, as summary(fit, times = t). */
  at(t: number): { surv: number; lower: number; upper: number; nRisk: number };
}

let orderBuf = new Int32Array(0);

export function kaplanMeier(times: ArrayLike<number>, status: ArrayLike<number>, conf = 0.95): KaplanMeier {
  requireSameLength('kaplanMeier', times, status, 'times and events');
  requireFinite('kaplanMeier', 'times', times);
  requireBinary('kaplanMeier', 'events', status);
  const z = qnorm(1 - (1 - conf) / 2);
  const n = times.length;
  if (orderBuf.length < n) orderBuf = new Int32Array(capacity(orderBuf.length, n));
  const order = sortAscending(times, orderBuf);
  const steps: KmStep[] = [];
  let nRisk = n;
  let surv = 1;
  let varSum = 0;
  let events = 0;
  for (let k = 0; k < n; ) {
    const t = times[order[k]!]!;
    let d = 0;
    let c = 0;
    while (k < n && times[order[k]!] === t) {
      if (status[order[k]!]) d++;
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
    steps.push({ time: t, nRisk, events: d, censored: c, surv, se, lower: ok ? surv * Math.exp(-z * se) : NaN, upper: ok ? Math.min(1, surv * Math.exp(z * se)) : NaN });
    nRisk -= d + c;
  }
  return {
    steps,
    n,
    events,
    median: findQuantile(steps, 'surv', 0.5),
    // The lower band reaches 0.5 first: it gives the lower limit of the median.
    medianCi: [findQuantile(steps, 'lower', 0.5), findQuantile(steps, 'upper', 0.5)],
    at(t: number) {
      // The last step at or before t; the first step at or after t holds the number at risk at t
      // (every distinct time is a step, so no subject's time lies between t and that step).
      let lo = 0;
      let hi = steps.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (steps[mid]!.time <= t) lo = mid + 1;
        else hi = mid;
      }
      const last = steps[lo - 1];
      const atOrAfter = last && last.time === t ? last : steps[lo];
      const nAt = atOrAfter ? atOrAfter.nRisk : 0;
      if (!last) return { surv: 1, lower: 1, upper: 1, nRisk: nAt };
      return { surv: last.surv, lower: last.lower, upper: last.upper, nRisk: nAt };
    },
  };
}

/** First time the (decreasing) curve reaches p; the midpoint where it sits exactly at p. */
function findQuantile(steps: readonly KmStep[], curve: 'surv' | 'lower' | 'upper', p: number): number {
  const tol = Math.sqrt(2.220446049250313e-16);
  let j = 0;
  while (j < steps.length && !(steps[j]![curve] <= p + tol)) j++;
  if (j === steps.length) return NaN;
  const yj = steps[j]![curve];
  if (Math.abs(yj - p) < tol) {
    let next = j + 1;
    while (next < steps.length && !(steps[next]![curve] < yj - tol)) next++;
    return next === steps.length ? steps[j]!.time : (steps[j]!.time + steps[next]!.time) / 2;
  }
  return steps[j]!.time;
}
