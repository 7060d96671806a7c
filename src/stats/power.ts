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

/** The largest per-arm n the solvers search (R's power.t.test searches up to 1e7 too). */
export const MAX_N_PER_ARM = 1e7;

/**
 * No per-arm n in [lower, MAX_N_PER_ARM] has exactly the target power: the smallest design is
 * already more powerful, or even the largest is not powerful enough (or the power cannot be
 * computed). Never a number then: a number outside the searched range would be wrong.
 */
export class SampleSizeUnreachable extends Error {
  override name = 'SampleSizeUnreachable';
}

/**
 * Solves powerAt(n) = target over [lower, MAX_N_PER_ARM] with R's uniroot, checking both ends
 * first and the power at the root afterwards (within uniroot's tolerance in n), so an input
 * where the power function degenerates (alpha so small that 1 - alpha/2 rounds to 1, a
 * non-centrality that underflows) is an error, never a root of a constant.
 */
export function solvePerArmN(powerAt: (n: number) => number, target: number, lower: number): number {
  const atLower = powerAt(lower);
  const atUpper = powerAt(MAX_N_PER_ARM);
  if (!Number.isFinite(atLower) || !Number.isFinite(atUpper)) throw new SampleSizeUnreachable(`the power cannot be computed for these inputs (power ${atLower} at n = ${lower}, ${atUpper} at n = ${MAX_N_PER_ARM})`);
  if (atLower >= target) throw new SampleSizeUnreachable(`the smallest design (${lower} per arm) already has power ${atLower.toPrecision(6)} >= ${target}, so no n reaches exactly that power (a smaller effect, or fewer covariates)`);
  if (atUpper < target) throw new SampleSizeUnreachable(`no per-arm n below ${MAX_N_PER_ARM} reaches power ${target} for these inputs (power ${atUpper.toPrecision(6)} at n = ${MAX_N_PER_ARM})`);
  const n = uniroot((m) => powerAt(m) - target, lower, MAX_N_PER_ARM);
  // uniroot stops within about 1e-4 of the root in n; the power there must be the target.
  const slope = Math.abs(powerAt(n + 1e-3) - powerAt(n)) / 1e-3;
  if (!Number.isFinite(n) || !(Math.abs(powerAt(n) - target) <= 1e-6 + 2e-4 * slope)) throw new SampleSizeUnreachable(`the root finder did not converge for these inputs (power ${powerAt(n)} at n = ${n}, target ${target})`);
  return n;
}

/** Per-group n (not rounded) giving the target power, as power.t.test(power = ...)$n. */
export function sampleSizeTTest({ power, delta, sd, alpha = 0.05 }: { power: number; delta: number; sd: number; alpha?: number }): number {
  return solvePerArmN((n) => powerTTest({ n, delta, sd, alpha }), power, 2);
}

export function powerPropTest({ n, p1, p2, alpha = 0.05 }: { n: number; p1: number; p2: number; alpha?: number }): number {
  const q = qnorm(1 - alpha / 2);
  return pnorm((Math.sqrt(n) * Math.abs(p1 - p2) - q * Math.sqrt((p1 + p2) * (1 - (p1 + p2) / 2))) / Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2)));
}
