/**
 * Exact (Clopper-Pearson) confidence interval of a binomial proportion, as R's binom.test:
 * [qbeta(a/2, x, n - x + 1), qbeta(1 - a/2, x + 1, n - x)], with 0 and 1 at the edges.
 *
 * @example clopperPearson(42, 100).ci // [0.3221, 0.5227]
 */
import { qbeta } from './distributions.js';

export function clopperPearson(x: number, n: number, conf = 0.95): { estimate: number; ci: [number, number] } {
  const a = 1 - conf;
  const lower = x === 0 ? 0 : qbeta(a / 2, x, n - x + 1);
  const upper = x === n ? 1 : qbeta(1 - a / 2, x + 1, n - x);
  return { estimate: x / n, ci: [lower, upper] };
}
