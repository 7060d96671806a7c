/**
 * Sample size for comparing two proportions with the normal approximation, as rpact's
 * getSampleSizeRates(normalApproximation = TRUE): n1 = [z_{1-alpha/s} sqrt(pbar (1 - pbar)
 * (1 + a)) + z_{1-beta} sqrt(pi1 (1 - pi1) + a pi2 (1 - pi2))]^2 / (pi1 - pi2)^2 with pbar =
 * (a pi1 + pi2) / (1 + a), n2 = n1 / a (a = n1 / n2).
 *
 * @example sampleSizeRates({ pi1: 0.3, pi2: 0.45, alpha: 0.05, sided: 2, beta: 0.2 }).nFixed // 324.669
 */
import { qnorm } from './distributions.js';

export function sampleSizeRates(o: { pi1: number; pi2: number; alpha: number; sided: 1 | 2; beta: number; allocation?: number }): { nFixed: number; nFixed1: number; nFixed2: number } {
  const a = o.allocation ?? 1;
  const pbar = (a * o.pi1 + o.pi2) / (1 + a);
  const n1 = (qnorm(1 - o.alpha / o.sided) * Math.sqrt(pbar * (1 - pbar) * (1 + a)) + qnorm(1 - o.beta) * Math.sqrt(o.pi1 * (1 - o.pi1) + a * o.pi2 * (1 - o.pi2))) ** 2 / (o.pi1 - o.pi2) ** 2;
  const n2 = n1 / a;
  return { nFixed: n1 + n2, nFixed1: n1, nFixed2: n2 };
}
