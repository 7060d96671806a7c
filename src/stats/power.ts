/**
 * Analytic power and sample size, as R's power.t.test and power.prop.test (two-sided,
 * two-sample, strict = FALSE: only the tail in the direction of the effect counts).
 *
 *   t-test:     power = P(T' > qt(1 - alpha/2, 2(n-1)))  with T' non-central t,
 *               ncp = sqrt(n/2) delta / sd
 *   two props:  power = pnorm((sqrt(n) |p1 - p2| - qnorm(1 - alpha/2) sqrt((p1 + p2)(1 - (p1 + p2)/2)))
 *                             / sqrt(p1 (1 - p1) + p2 (1 - p2)))
 * Sample size solves power(n) = target with R's uniroot over [2, 1e7] and R's tolerance.
 *
 * @example powerTTest({ n: 64, delta: 0.5, sd: 1 }) // 0.8015
 */
import { pnorm, ptNoncentralUpper, qnorm, qt } from './distributions.js';
import { uniroot } from './zeroin.js';

export interface TPowerInput {
  /** per group */
  n: number;
  delta: number;
  sd: number;
  alpha?: number;
}

export function powerTTest({ n, delta, sd, alpha = 0.05 }: TPowerInput): number {
  const df = 2 * (n - 1);
  return ptNoncentralUpper(qt(1 - alpha / 2, df), df, Math.sqrt(n / 2) * (Math.abs(delta) / sd));
}

/** Per-group n (not rounded) giving the target power, as power.t.test(power = ...)$n. */
export function sampleSizeTTest({ power, delta, sd, alpha = 0.05 }: { power: number; delta: number; sd: number; alpha?: number }): number {
  return uniroot((n) => powerTTest({ n, delta, sd, alpha }) - power, 2, 1e7);
}

export function powerPropTest({ n, p1, p2, alpha = 0.05 }: { n: number; p1: number; p2: number; alpha?: number }): number {
  const q = qnorm(1 - alpha / 2);
  return pnorm((Math.sqrt(n) * Math.abs(p1 - p2) - q * Math.sqrt((p1 + p2) * (1 - (p1 + p2) / 2))) / Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)));
}
