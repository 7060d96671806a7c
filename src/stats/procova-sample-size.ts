/**
 * Sample size with prognostic covariate adjustment (PROCOVA; Schuler A, et al. Int J Biostat
 * 2022;18(2):329-56): the variance of the adjusted treatment estimate is about (1 - rho^2) times
 * the unadjusted one, rho the correlation between prognostic score and outcome, so with n per arm
 *   power(n) = P(T' > qt(1 - alpha/2, df)),  T' non-central t with df = 2n - 2 - p and
 *   ncp = sqrt(n/2) delta / (sd sqrt(1 - rho^2)),
 * p the number of adjustment covariates. For conservative planning rho may be deflated (e.g. by
 * 0.9: the score will correlate less in the new trial than where it was fitted). With rho = 0 and
 * p = 0 this is power.t.test.
 *
 * @example procovaSampleSize({ delta: 0.5, sd: 1, rho: 0.6, power: 0.9 }) // about 55 per arm
 */
import { ptNoncentralUpper, qt } from './distributions.js';
import { solvePerArmN } from './power.js';

export interface ProcovaInput {
  delta: number;
  sd: number;
  rho: number;
  alpha?: number;
  /** Number of adjustment covariates (the score counts as one). */
  covariates?: number;
  /** Multiply rho by this factor (<= 1) for conservative planning. */
  deflate?: number;
}

export function procovaPower(n: number, o: ProcovaInput): number {
  const rho = o.rho * (o.deflate ?? 1);
  const df = 2 * n - 2 - (o.covariates ?? 1);
  const alpha = o.alpha ?? 0.05;
  return ptNoncentralUpper(qt(1 - alpha / 2, df), df, (Math.sqrt(n / 2) * Math.abs(o.delta)) / (o.sd * Math.sqrt(1 - rho * rho)));
}

/** Per-arm n (not rounded) giving the target power. */
export function procovaSampleSize(o: ProcovaInput & { power: number }): number {
  const lower = 2 + (o.covariates ?? 1) / 2; // keeps df positive
  return solvePerArmN((n) => procovaPower(n, o), o.power, lower);
}
