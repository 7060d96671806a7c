/**
 * Kaplan-Meier estimate with R survfit's defaults: Greenwood standard error of the cumulative
 * hazard and a log-transformed confidence interval, exp(log S +- z se), upper limit capped at 1;
 * median and its CI found as survival's quantile.survfit does (the first time the curve is at
 * or below 0.5; where it is exactly 0.5 over an interval, the interval's midpoint).
 *
 * The curve comes from kaplan-meier-curve.ts (one pass over the sorted times, shared with
 * kmMedian); here it becomes step objects, which at(t) searches without copying.
 *
 * @example kaplanMeier([1, 2, 2, 3], [1, 1, 0, 1]).median // 2.5 (R: survfit gives median 2.5: S is exactly 0.5 from t = 2 to 3)
 */
import { curveMedian, kaplanMeierCurve } from './kaplan-meier-curve.js';

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

export function kaplanMeier(times: ArrayLike<number>, status: ArrayLike<number>, conf = 0.95): KaplanMeier {
  const c = kaplanMeierCurve('kaplanMeier', times, status, conf);
  const n = times.length;
  const events = c.events;
  const { median, medianCi } = curveMedian(c);
  const steps: KmStep[] = new Array(c.steps);
  for (let j = 0; j < c.steps; j++) {
    steps[j] = { time: c.time[j]!, nRisk: c.nRisk[j]!, events: c.deaths[j]!, censored: c.censored[j]!, surv: c.surv[j]!, se: c.se[j]!, lower: c.lower[j]!, upper: c.upper[j]! };
  }
  return {
    steps,
    n,
    events,
    median,
    medianCi,
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

