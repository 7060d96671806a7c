/**
 * The ascending time order of survival data as an index permutation: one stable sort (ties keep
 * their input order) shared by Kaplan-Meier, the log-rank test and every Newton step of a Cox
 * fit, and by fits on the same times (pass it as the `order` option). Scratch buffers are
 * module-private typed arrays, grown as needed and reused across calls (one thread per isolate).
 *
 * @example survivalOrder([3, 1, 2]) // Int32Array [1, 2, 0]
 */

let keys = new Float64Array(0);
let scratch = new Int32Array(0);
let seen = new Uint8Array(0);

/** A capacity at least n, growing geometrically so repeated calls settle on one buffer. */
export const capacity = (have: number, n: number): number => Math.max(n, 2 * have, 16);

/** A new ascending-time permutation of 0..n-1 that the caller owns. */
export function survivalOrder(times: ArrayLike<number>): Int32Array {
  return sortAscending(times, new Int32Array(times.length));
}

/** Writes the stable ascending order of times into out[0..n) (out may be longer). */
export function sortAscending(times: ArrayLike<number>, out: Int32Array): Int32Array {
  const n = times.length;
  if (keys.length < n) {
    keys = new Float64Array(capacity(keys.length, n));
    scratch = new Int32Array(keys.length);
  }
  const key = keys;
  for (let i = 0; i < n; i++) {
    key[i] = times[i]!;
    out[i] = i;
  }
  // Insertion sort on short runs, then bottom-up merges: stable, no allocation.
  const RUN = 24;
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const v = out[i]!;
      const kv = key[v]!;
      let j = i - 1;
      while (j >= lo && key[out[j]!]! > kv) {
        out[j + 1] = out[j]!;
        j--;
      }
      out[j + 1] = v;
    }
  }
  let src: Int32Array = out;
  let dst: Int32Array = scratch;
  for (let w = RUN; w < n; w *= 2) {
    for (let lo = 0; lo < n; lo += 2 * w) {
      const mid = Math.min(lo + w, n);
      const hi = Math.min(lo + 2 * w, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) dst[k++] = key[src[j]!]! < key[src[i]!]! ? src[j++]! : src[i++]!;
      while (i < mid) dst[k++] = src[i++]!;
      while (j < hi) dst[k++] = src[j++]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== out) out.set(src.subarray(0, n));
  return out;
}

/** A caller's order must be a permutation of 0..n-1 that sorts times ascending: RangeError otherwise. */
export function requireOrder(fn: string, times: ArrayLike<number>, order: ArrayLike<number>): void {
  const n = times.length;
  if (order.length !== n) throw new RangeError(`${fn}: the order has ${order.length} entries for ${n} times`);
  if (seen.length < n) seen = new Uint8Array(capacity(seen.length, n));
  seen.fill(0, 0, n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (!(Number.isInteger(i) && i >= 0 && i < n) || seen[i]) throw new RangeError(`${fn}: the order is not a permutation of 0..${n - 1} (entry ${k} is ${i})`);
    seen[i] = 1;
    if (k > 0 && times[order[k - 1]!]! > times[i]!) throw new RangeError(`${fn}: the order does not sort the times ascending (at entry ${k})`);
  }
}

/**
 * A time order split into strata: the subjects of stratum 0 in ascending time, then stratum 1,
 * and so on (a stable counting sort of `order` by stratum), written into out[0..n); returns the
 * start of each stratum's block and, last, n. Strata are integers 0..k-1 (k at most n).
 */
export function stratifyOrder(order: ArrayLike<number>, strata: ArrayLike<number>, out: Int32Array): Int32Array {
  const n = order.length;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const s = strata[i]!;
    if (!(Number.isInteger(s) && s >= 0 && s < n)) throw new RangeError(`strata[${i}] is ${s}: a stratum index 0..${n - 1} is required`);
    if (s + 1 > k) k = s + 1;
  }
  const starts = new Int32Array(k + 1);
  for (let i = 0; i < n; i++) starts[strata[i]! + 1]!++;
  for (let s = 0; s < k; s++) starts[s + 1]! += starts[s]!;
  const next = starts.slice(0, k);
  for (let q = 0; q < n; q++) {
    const i = order[q]!;
    out[next[strata[i]!]!++] = i;
  }
  return starts;
}
