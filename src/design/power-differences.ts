/**
 * Differences in power between adjacent sweep points under common random numbers. Replicate r
 * of every point simulates the same twins with the same streams, so the rejections of two points
 * are paired: the difference d_r = reject_to,r - reject_from,r has Monte Carlo SE
 * sqrt(var(d) / R), far below the SE with independent draws, sqrt(p1 (1 - p1) / R + p2 (1 - p2) / R),
 * when the decisions agree in most replicates (variances with divisor R, like the power's own SE).
 */
import type { SweepValue, Vary } from './vary.js';
import { pairedDifference } from './paired-difference.js';

export interface PairedDifference {
  powerFrom: number;
  powerTo: number;
  difference: number;
  /** MC SE of the difference with common random numbers (paired replicates). */
  mcse: number;
  /** MC SE the difference would have with independent draws at the two points. */
  independentMcse: number;
}

/** From the per-replicate decisions (1 = reject) of the two points, replicate by replicate. */
export function pairedPowerDifference(from: Uint8Array, to: Uint8Array): PairedDifference {
  if (from.length !== to.length || from.length === 0) throw new Error(`pairedDifference: ${from.length} against ${to.length} replicates`);
  const d = pairedDifference(from, to);
  let a = 0;
  let b = 0;
  for (let r = 0; r < from.length; r++) (a += from[r]!), (b += to[r]!);
  return { powerFrom: a / from.length, powerTo: b / to.length, difference: d.diff!, mcse: d.mcse!, independentMcse: d.mcseIndependent! };
}

/**
 * Adjacent points: pairs that differ in one varied path only, by neighbouring values of its
 * list (in the order given); the 0-based point indices and the path. In grid order.
 */
export function adjacentPairs(varies: readonly Vary[], points: readonly { values: readonly SweepValue[] }[]): { from: number; to: number; dimension: number }[] {
  const key = (values: readonly SweepValue[]) => JSON.stringify(values);
  const at = new Map(points.map((p, i) => [key(p.values), i]));
  const out: { from: number; to: number; dimension: number }[] = [];
  points.forEach((p, i) => {
    varies.forEach((v, d) => {
      const pos = v.values.findIndex((x) => x === p.values[d]);
      if (pos < 0 || pos + 1 >= v.values.length) return;
      const next = [...p.values];
      next[d] = v.values[pos + 1]!;
      const j = at.get(key(next));
      if (j !== undefined) out.push({ from: i, to: j, dimension: d });
    });
  });
  return out;
}
