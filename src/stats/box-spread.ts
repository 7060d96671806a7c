/**
 * The spread a box-and-whisker mark draws: the count and R's type-7 quantiles at 5, 25, 50, 75
 * and 95% of sorted values (NaN quantiles for none).
 *
 * @example boxSpread([1, 2, 3, 4]) gives n 4, q05 1.15, q25 1.75, median 2.5, q75 3.25, q95 3.85 (as R's quantile)
 */
import { quantile7 } from './quantile7.js';

export interface BoxSpread {
  n: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
}

export function boxSpread(sorted: ArrayLike<number>): BoxSpread {
  return { n: sorted.length, q05: quantile7(sorted, 0.05), q25: quantile7(sorted, 0.25), median: quantile7(sorted, 0.5), q75: quantile7(sorted, 0.75), q95: quantile7(sorted, 0.95) };
}
