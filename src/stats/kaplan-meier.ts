/**
 * Kaplan-Meier estimate with R survfit's defaults: Greenwood standard error of the cumulative
 * hazard and a log-transformed confidence interval, exp(log S +- z se), upper limit capped at 1;
 * median and its CI found as survival's quantile.survfit does (the first time the curve is at
 * or below 0.5; where it is exactly 0.5 over an interval, the interval's midpoint).
 *
 * @example kaplanMeier([1, 2, 2, 3], [1, 1, 0, 1]).median // 2
 */
import { qnorm } from './distributions.js';
import { requireBinary, requireFinite, requireSameLength } from './not-estimable.js';

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

export function kaplanMeier(times: readonly number[], events: readonly number[], conf = 0.95): KaplanMeier {
  requireSameLength('kaplanMeier', times, events, 'times and events');
  requireFinite('kaplanMeier', 'times', times);
  requireBinary('kaplanMeier', 'events', events);
  const z = qnorm(1 - (1 - conf) / 2);
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  const steps: KmStep[] = [];
  let nRisk = times.length;
  let surv = 1;
  let varSum = 0;
  for (let k = 0; k < order.length; ) {
    const t = times[order[k]!]!;
    let d = 0;
    let c = 0;
    while (k < order.length && times[order[k]!] === t) {
      if (events[order[k]!]) d++;
      else c++;
      k++;
    }
    if (d > 0) {
      surv *= 1 - d / nRisk;
      varSum += nRisk === d ? Infinity : d / (nRisk * (nRisk - d));
    }
    const se = Math.sqrt(varSum);
    const ok = surv > 0 && Number.isFinite(se);
    steps.push({ time: t, nRisk, events: d, censored: c, surv, se, lower: ok ? surv * Math.exp(-z * se) : NaN, upper: ok ? Math.min(1, surv * Math.exp(z * se)) : NaN });
    nRisk -= d + c;
  }
  const quantileOf = (curve: (s: KmStep) => number, p = 0.5): number => findQuantile(steps.map((s) => s.time), steps.map(curve), p);
  return {
    steps,
    n: times.length,
    events: events.reduce((s, e) => s + (e ? 1 : 0), 0),
    median: quantileOf((s) => s.surv),
    // The lower band reaches 0.5 first: it gives the lower limit of the median.
    medianCi: [quantileOf((s) => s.lower), quantileOf((s) => s.upper)],
    at(t: number) {
      let last: KmStep | undefined;
      for (const s of steps) if (s.time <= t) last = s;
      const nAt = times.filter((x) => x >= t).length;
      if (!last) return { surv: 1, lower: 1, upper: 1, nRisk: nAt };
      return { surv: last.surv, lower: last.lower, upper: last.upper, nRisk: nAt };
    },
  };
}

/** First time the (decreasing) curve y reaches p; the midpoint where it sits exactly at p. */
function findQuantile(x: readonly number[], y: readonly number[], p: number): number {
  const tol = Math.sqrt(2.220446049250313e-16);
  const j = y.findIndex((v) => !Number.isNaN(v) && v <= p + tol);
  if (j < 0) return NaN;
  if (Math.abs(y[j]! - p) < tol) {
    const next = y.findIndex((v, i) => i > j && !Number.isNaN(v) && v < y[j]! - tol);
    return next < 0 ? x[j]! : (x[j]! + x[next]!) / 2;
  }
  return x[j]!;
}
