/**
 * The difference of two means from paired per-replicate values, as common random numbers give
 * them: replicate r of both designs sees the same twins, so d_r = b_r - a_r has Monte Carlo SE
 * sqrt(var(d) / n), usually far below the SE independent runs would have, sqrt(var(a) / n +
 * var(b) / n). Variances have divisor n, as a power's own MC SE sqrt(p (1 - p) / n) has; only the
 * replicates where both values are finite count (an estimate that was not estimable is NaN).
 *
 * @example pairedDifference([1, 1, 0, 0], [1, 1, 1, 0]) // { diff: 0.25, mcse: 0.2165, mcseIndependent: 0.3307 }
 */

export interface Difference {
  diff: number | null;
  mcse: number | null;
  mcseIndependent: number | null;
}

export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): Difference {
  const R = Math.min(a.length, b.length);
  let n = 0;
  let sa = 0;
  let sb = 0;
  for (let r = 0; r < R; r++) {
    if (Number.isFinite(a[r]!) && Number.isFinite(b[r]!)) {
      n++;
      sa += a[r]!;
      sb += b[r]!;
    }
  }
  if (n === 0) return { diff: null, mcse: null, mcseIndependent: null };
  const ma = sa / n;
  const mb = sb / n;
  let va = 0;
  let vb = 0;
  let vd = 0;
  for (let r = 0; r < R; r++) {
    if (!(Number.isFinite(a[r]!) && Number.isFinite(b[r]!))) continue;
    va += (a[r]! - ma) ** 2;
    vb += (b[r]! - mb) ** 2;
    vd += (b[r]! - a[r]! - (mb - ma)) ** 2;
  }
  return { diff: mb - ma, mcse: Math.sqrt(vd / n / n), mcseIndependent: Math.sqrt(va / n / n + vb / n / n) };
}
