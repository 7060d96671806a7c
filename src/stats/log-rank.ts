/**
 * Log-rank test of equal survival across groups, as R's survdiff (rho = 0): observed and
 * expected events per group and the chi-square statistic (k - 1 degrees of freedom). Without
 * events (or with one group) there is no test: chisq and p are NaN (R: NA).
 *
 * @example logRank(times, events, groups).p
 */
import { Matrix, solve } from 'ml-matrix';
import { pchisqUpper } from './distributions.js';
import { requireBinary, requireFinite, requireSameLength } from './not-estimable.js';

export interface LogRankResult {
  groups: string[];
  observed: number[];
  expected: number[];
  chisq: number;
  df: number;
  p: number;
}

export function logRank(times: readonly number[], events: readonly number[], groups: readonly string[], order?: readonly string[]): LogRankResult {
  requireSameLength('logRank', times, events, 'times and events');
  requireSameLength('logRank', times, groups, 'times and groups');
  requireFinite('logRank', 'times', times);
  requireBinary('logRank', 'events', events);
  const names = order ? [...order] : [...new Set(groups)].sort();
  const k = names.length;
  const g = groups.map((x) => names.indexOf(x));
  const stray = g.indexOf(-1);
  if (stray >= 0) throw new RangeError(`logRank: groups[${stray}] is "${groups[stray]}", not one of ${names.join(', ')}`);
  const idx = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const V = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const atRisk = new Array<number>(k).fill(0);
  for (const gi of g) atRisk[gi]!++;
  for (let p = 0; p < idx.length; ) {
    const t = times[idx[p]!]!;
    const d = new Array<number>(k).fill(0);
    const leaving = new Array<number>(k).fill(0);
    while (p < idx.length && times[idx[p]!] === t) {
      const i = idx[p]!;
      leaving[g[i]!]!++;
      if (events[i]) d[g[i]!]!++;
      p++;
    }
    const D = d.reduce((s, x) => s + x, 0);
    const N = atRisk.reduce((s, x) => s + x, 0);
    if (D > 0) {
      for (let a = 0; a < k; a++) {
        observed[a]! += d[a]!;
        expected[a]! += (D * atRisk[a]!) / N;
        if (N > 1) {
          const f = (D * (N - D)) / (N - 1);
          for (let b = 0; b < k; b++) V[a]![b]! += f * (atRisk[a]! / N) * ((a === b ? 1 : 0) - atRisk[b]! / N);
        }
      }
    }
    for (let a = 0; a < k; a++) atRisk[a]! -= leaving[a]!;
  }
  // Chi-square on the first k - 1 groups (V has rank k - 1).
  const diff = observed.slice(0, k - 1).map((o, a) => o - expected[a]!);
  let chisq = NaN;
  const anyVariance = V.some((row, a) => a < k - 1 && row[a]! > 0);
  if (k >= 2 && anyVariance) {
    const Vr = new Matrix(V.slice(0, k - 1).map((row) => row.slice(0, k - 1)));
    const x = solve(Vr, Matrix.columnVector(diff)).getColumn(0);
    chisq = diff.reduce((s, v, a) => s + v * x[a]!, 0);
  }
  return { groups: names, observed, expected, chisq, df: k - 1, p: pchisqUpper(chisq, k - 1) };
}
