/**
 * R's default sample quantile (type 7) of sorted values: linear interpolation between the order
 * statistics at h = (n - 1) p. NaN for no values.
 *
 * @example quantile7([1, 2, 3, 4], 0.5) === 2.5; quantile7([1, 2, 3, 4], 0.05) === 1.15 (as R's quantile)
 */
export function quantile7(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
