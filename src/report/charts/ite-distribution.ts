/**
 * Individual treatment effects: for each comparison, the distribution over the randomised twins
 * of (outcome under the arm) - (outcome under control), from counterfactual.csv, binned before
 * drawing; the mean marked.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';
import { TRUTH_COLOUR } from '../palette.js';

export interface IteSample {
  comparison: string;
  effect: number;
}

interface Bin {
  comparison: string;
  from: number;
  to: number;
  count: number;
}

/** 30 equal bins over the range (or one bar per value when there are at most 5 distinct values). */
export function iteBins(samples: readonly IteSample[]): Bin[] {
  const xs = samples.map((s) => s.effect).filter(Number.isFinite);
  if (xs.length === 0) return [];
  const distinct = [...new Set(xs)].sort((a, b) => a - b);
  const comparisons = [...new Set(samples.map((s) => s.comparison))];
  if (distinct.length <= 5) {
    return comparisons.flatMap((c) => distinct.map((v) => ({ comparison: c, from: v - 0.4, to: v + 0.4, count: samples.filter((s) => s.comparison === c && s.effect === v).length })));
  }
  const lo = distinct[0]!;
  const hi = distinct[distinct.length - 1]!;
  const k = 30;
  const w = (hi - lo) / k || 1;
  return comparisons.flatMap((c) => {
    const counts = new Array<number>(k).fill(0);
    for (const s of samples) if (s.comparison === c && Number.isFinite(s.effect)) counts[Math.min(k - 1, Math.floor((s.effect - lo) / w))]!++;
    return counts.map((count, i) => ({ comparison: c, from: lo + i * w, to: lo + (i + 1) * w, count }));
  });
}

export function iteDistributionChart(endpoint: string, label: string, axisTitle: string, samples: readonly IteSample[]): Chart {
  const comparisons = [...new Set(samples.map((s) => s.comparison))];
  const means = comparisons.map((c) => {
    const xs = samples.filter((s) => s.comparison === c && Number.isFinite(s.effect)).map((s) => s.effect);
    return { comparison: c, mean: xs.reduce((s, x) => s + x, 0) / xs.length, n: xs.length };
  });
  const title = `Individual treatment effects: ${label}`;
  const description = `Distribution of the individual treatment effects on ${label} (${endpoint}) over ${means[0]?.n ?? 0} randomised twins, from their counterfactual outcomes under each arm: ${means.map((m) => `${m.comparison} mean ${fmt(m.mean)}`).join('; ')}. The black rule marks the mean.`;
  const bins = iteBins(samples).map((b) => ({ ...b, from: r4(b.from), to: r4(b.to) }));
  return {
    id: `ite-${endpoint}`,
    title,
    description,
    spec: vl(title, description, {
      facet: { column: { field: 'comparison', type: 'nominal', title: null, sort: comparisons } },
      data: { values: bins.map((b) => ({ ...b, kind: 'bin' })).concat(means.map((m) => ({ comparison: m.comparison, from: r4(m.mean), to: null, count: null, kind: 'mean' }) as never)) },
      spec: {
        width: 240,
        height: 160,
        layer: [
          { transform: [{ filter: "datum.kind === 'bin'" }], mark: { type: 'rect', color: '#009E73' }, encoding: { x: { field: 'from', type: 'quantitative', title: axisTitle }, x2: { field: 'to' }, y: { field: 'count', type: 'quantitative', title: 'Twins' } } },
          { transform: [{ filter: "datum.kind === 'mean'" }], mark: { type: 'rule', color: TRUTH_COLOUR, strokeWidth: 2 }, encoding: { x: { field: 'from', type: 'quantitative' } } },
        ],
      },
    }),
  };
}
