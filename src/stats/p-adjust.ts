/**
 * Multiplicity adjustment of p-values, as R's p.adjust: Bonferroni, Holm (step-down),
 * Hochberg (step-up) and Benjamini-Hochberg (false discovery rate).
 *
 * @example pAdjust([0.01, 0.04, 0.03], 'holm') // [0.03, 0.06, 0.06]
 */
export type PAdjustMethod = 'bonferroni' | 'holm' | 'hochberg' | 'bh' | 'none';

export function pAdjust(p: readonly number[], method: PAdjustMethod): number[] {
  const n = p.length;
  if (n === 0 || method === 'none') return [...p];
  if (method === 'bonferroni') return p.map((x) => Math.min(1, n * x));
  const order = p.map((_, i) => i).sort((a, b) => p[a]! - p[b]! || a - b);
  const out = new Array<number>(n);
  if (method === 'holm') {
    let running = 0;
    order.forEach((idx, rank) => {
      running = Math.max(running, (n - rank) * p[idx]!);
      out[idx] = Math.min(1, running);
    });
    return out;
  }
  // Step-up methods: from the largest p-value down, cumulative minimum.
  let running = Infinity;
  for (let rank = n - 1; rank >= 0; rank--) {
    const idx = order[rank]!;
    const factor = method === 'hochberg' ? n - rank : n / (rank + 1);
    running = Math.min(running, factor * p[idx]!);
    out[idx] = Math.min(1, running);
  }
  return out;
}
