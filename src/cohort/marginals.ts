/**
 * Covariate marginals. Continuous marginals are drawn by transforming a standard-normal score z
 * through the marginal's quantile function, x = F^-1(Phi(z)): with independent z this is plain
 * inverse-CDF sampling, and with correlated z it is a Gaussian copula whose marginals stay exact.
 * Quantile functions come from stdlib; discrete samplers take a uniform `source()`.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import gammaQuantile from '@stdlib/stats-base-dists-gamma-quantile';
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import { randomPoisson } from 'd3-random';
import type { Source } from '../random/stream.js';

export const Phi = (z: number): number => normalCdf(z, 0, 1);
export const PhiInv = (p: number): number => normalQuantile(p, 0, 1);

export const fromZ = {
  normal: (z: number, mean: number, sd: number) => mean + sd * z,
  lognormal: (z: number, meanlog: number, sdlog: number) => Math.exp(meanlog + sdlog * z),
  uniform: (z: number, min: number, max: number) => min + (max - min) * Phi(z),
  gamma: (z: number, shape: number, rate: number) => gammaQuantile(Phi(z), shape, rate),
  beta: (z: number, shape1: number, shape2: number) => betaQuantile(Phi(z), shape1, shape2),
  truncnormal: (z: number, mean: number, sd: number, lower: number, upper: number): number => {
    const a = (lower - mean) / sd;
    const b = (upper - mean) / sd;
    // In the upper tail, work on the mirrored distribution so Phi keeps its precision.
    if (a > 0) {
      const pa = Phi(-a);
      const pb = Phi(-b);
      const x = -PhiInv(pb + Phi(-z) * (pa - pb));
      return clamp(mean + sd * x, lower, upper);
    }
    const pa = Phi(a);
    const pb = Phi(b);
    return clamp(mean + sd * PhiInv(pa + Phi(z) * (pb - pa)), lower, upper);
  },
};

/** Probability mass of N(mean, sd) between the bounds; the spec check rejects (near-)empty windows. */
export function truncatedMass(mean: number, sd: number, lower: number, upper: number): number {
  const a = (lower - mean) / sd;
  const b = (upper - mean) / sd;
  return a > 0 ? Phi(-a) - Phi(-b) : Phi(b) - Phi(a);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Index of the category a uniform draw falls in, given cumulative probabilities. */
export function categoricalIndex(u: number, cumulative: readonly number[]): number {
  for (let i = 0; i < cumulative.length - 1; i++) if (u < cumulative[i]!) return i;
  return cumulative.length - 1;
}

export function poissonDraw(source: Source, lambda: number): number {
  return lambda === 0 ? 0 : randomPoisson.source(source)(lambda)();
}
