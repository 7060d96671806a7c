/**
 * Log-rank test of equal survival across groups, as R's survdiff (rho = 0): observed and
 * expected events per group and the chi-square statistic (k - 1 degrees of freedom). Without
 * events (or with one group) there is no test: chisq and p are NaN (R: NA).
 *
 * One pass over the subjects in ascending time (one sort, none when the caller passes the
 * `timeOrder` it already has), with nothing allocated per event time.
 *
 * @example logRank(times, events, groups).p
 */
import { Matrix, solve } from 'ml-matrix';
import { pchisqUpper } from './distributions.js';
import { requireBinary, requireFinite, requireSameLength } from './not-estimable.js';
import { capacity, requireOrder, sortAscending, stratifyOrder } from './survival-order.js';

export interface LogRankResult {
  groups: string[];
  observed: number[];
  expected: number[];
  chisq: number;
  df: number;
  p: number;
}

export interface LogRankOptions {
  /** The ascending time order (survivalOrder(times)) when the caller already has it. */
  timeOrder?: Int32Array;
  /**
   * Each subject's stratum (integers 0..k-1): the stratified test (R: survdiff(... + strata(S))),
   * whose observed and expected events and variances are sums over the strata of each stratum's own.
   */
  strata?: ArrayLike<number>;
}

// Module-private workspace, reused across calls: the sort permutation and each subject's group index.
let orderBuf = new Int32Array(0);
let groupBuf = new Int32Array(0);
let strataBuf = new Int32Array(0);

export function logRank(times: ArrayLike<number>, events: ArrayLike<number>, groups: readonly string[], order?: readonly string[], options: LogRankOptions = {}): LogRankResult {
  requireSameLength('logRank', times, events, 'times and events');
  requireSameLength('logRank', times, groups, 'times and groups');
  requireFinite('logRank', 'times', times);
  requireBinary('logRank', 'events', events);
  const names = order ? [...order] : [...new Set(groups)].sort();
  const k = names.length;
  const n = times.length;
  if (orderBuf.length < n) {
    orderBuf = new Int32Array(capacity(orderBuf.length, n));
    groupBuf = new Int32Array(orderBuf.length);
  }
  // A Map: group names are user data and never touch an object's prototype. The first of repeated names wins, as indexOf did.
  const index = new Map<string, number>();
  names.forEach((x, a) => {
    if (!index.has(x)) index.set(x, a);
  });
  const g = groupBuf;
  for (let i = 0; i < n; i++) {
    const a = index.get(groups[i]!);
    if (a === undefined) throw new RangeError(`logRank: groups[${i}] is "${groups[i]}", not one of ${names.join(', ')}`);
    g[i] = a;
  }
  let idx: Int32Array = orderBuf;
  if (options.timeOrder) {
    requireOrder('logRank', times, options.timeOrder);
    idx = options.timeOrder;
  } else sortAscending(times, idx);
  let blocks: ArrayLike<number> = [0, n];
  if (options.strata) {
    requireSameLength('logRank', times, options.strata, 'times and strata');
    if (strataBuf.length < n) strataBuf = new Int32Array(capacity(strataBuf.length, n));
    blocks = stratifyOrder(idx.subarray(0, n), options.strata, strataBuf);
    idx = strataBuf;
  }
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const V = new Float64Array(k * k);
  const atRisk = new Float64Array(k);
  const d = new Float64Array(k);
  const leaving = new Float64Array(k);
  // Each stratum's block in ascending time, with its own risk sets.
  for (let s = 0; s + 1 < blocks.length; s++) {
    const lo = blocks[s]!;
    const hi = blocks[s + 1]!;
    for (let a = 0; a < k; a++) atRisk[a] = 0;
    for (let q = lo; q < hi; q++) atRisk[g[idx[q]!]!]!++;
    let N = hi - lo;
    for (let q = lo; q < hi; ) {
      const t = times[idx[q]!]!;
      let D = 0;
      let left = 0;
      for (let a = 0; a < k; a++) d[a] = leaving[a] = 0;
      while (q < hi && times[idx[q]!] === t) {
        const i = idx[q]!;
        leaving[g[i]!]!++;
        left++;
        if (events[i]) {
          d[g[i]!]!++;
          D++;
        }
        q++;
      }
      if (D > 0) {
        for (let a = 0; a < k; a++) {
          observed[a]! += d[a]!;
          expected[a]! += (D * atRisk[a]!) / N;
          if (N > 1) {
            const f = (D * (N - D)) / (N - 1);
            for (let b = 0; b < k; b++) V[a * k + b]! += f * (atRisk[a]! / N) * ((a === b ? 1 : 0) - atRisk[b]! / N);
          }
        }
      }
      for (let a = 0; a < k; a++) atRisk[a]! -= leaving[a]!;
      N -= left;
    }
  }
  // Chi-square on the first k - 1 groups (V has rank k - 1).
  const m = k - 1;
  let chisq = NaN;
  let anyVariance = false;
  for (let a = 0; a < m; a++) anyVariance ||= V[a * k + a]! > 0;
  if (k >= 2 && anyVariance) {
    if (m === 1) {
      const diff = observed[0]! - expected[0]!;
      chisq = diff * (diff / V[0]!);
    } else {
      const diff = observed.slice(0, m).map((o, a) => o - expected[a]!);
      const Vr = new Matrix(Array.from({ length: m }, (_, a) => Array.from(V.subarray(a * k, a * k + m))));
      const x = solve(Vr, Matrix.columnVector(diff)).getColumn(0);
      chisq = diff.reduce((s, v, a) => s + v * x[a]!, 0);
    }
  }
  return { groups: names, observed, expected, chisq, df: k - 1, p: pchisqUpper(chisq, k - 1) };
}
