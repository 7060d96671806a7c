/**
 * Individual treatment effects by subgroup (ite.csv): per comparison and subgroup level, the
 * 5th-95th percentile as a thin rule, the quartiles as a box and the median as a tick.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';

export interface IteSummary {
  comparison: string;
  group: string;
  n: number;
  mean: number;
  q05: number;
  q25: number;
  median: number;
  q75: number;
  q95: number;
}

export function iteSubgroupChart(endpoint: string, label: string, axisTitle: string, rows: readonly IteSummary[]): Chart {
  const comparisons = [...new Set(rows.map((r) => r.comparison))];
  const groups = [...new Set(rows.map((r) => r.group))];
  const title = `Individual treatment effects by subgroup: ${label}`;
  const description = `Individual treatment effects on ${label} (${endpoint}) by subgroup: median, quartiles (box) and 5th to 95th percentiles (line). ${rows.map((r) => `${r.comparison}, ${r.group} (n = ${r.n}): median ${fmt(r.median)}, mean ${fmt(r.mean)}`).join('; ')}.`;
  const y = { field: 'group', type: 'nominal', title: null, sort: groups };
  const x = { type: 'quantitative', title: axisTitle, scale: { zero: false } };
  return {
    id: `ite-subgroups-${endpoint}`,
    title,
    description,
    spec: vl(title, description, {
      data: { values: rows.map((r) => ({ comparison: r.comparison, group: r.group, n: r.n, mean: r4(r.mean), q05: r4(r.q05), q25: r4(r.q25), median: r4(r.median), q75: r4(r.q75), q95: r4(r.q95) })) },
      facet: { column: { field: 'comparison', type: 'nominal', title: null, sort: comparisons } },
      spec: {
        width: 240,
        height: { step: 22 },
        layer: [
          { mark: { type: 'rule', color: '#555' }, encoding: { y, x: { field: 'q05', ...x }, x2: { field: 'q95' } } },
          { mark: { type: 'bar', color: '#56B4E9', size: 12 }, encoding: { y, x: { field: 'q25', ...x }, x2: { field: 'q75' } } },
          { mark: { type: 'tick', color: '#000', thickness: 2, size: 14 }, encoding: { y, x: { field: 'median', ...x }, tooltip: [{ field: 'group' }, { field: 'n' }, { field: 'median' }, { field: 'mean' }, { field: 'q05' }, { field: 'q95' }] } },
        ],
      },
    }),
  };
}
