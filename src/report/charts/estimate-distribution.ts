/**
 * Replicate runs: the distribution of the estimates across replicates against the true effect,
 * per endpoint (its own scale), analysis and scenario: 5th-95th percentile rule, quartile box,
 * median tick, truth as a black diamond. Aggregated before drawing (no point per replicate).
 */
import { boxSpread, type BoxSpread } from '../../stats/box-spread.js';
import { fmt, r4, vl, type Chart, type VlSpec } from '../chart.js';
import { TRUTH_COLOUR } from '../palette.js';

export interface ReplicateEstimate {
  endpoint: string;
  measure: string;
  analysis: string;
  scenario: string;
  estimate: number;
  truth: number;
}

export interface EstimateSummary extends BoxSpread {
  endpoint: string;
  measure: string;
  analysis: string;
  scenario: string;
  truth: number;
}

/** Quantiles of the estimates and the mean truth per endpoint, analysis and scenario; rows are read once and not kept. */
export function summariseEstimates(rows: Iterable<ReplicateEstimate>): EstimateSummary[] {
  const groups = new Map<string, { first: ReplicateEstimate; estimates: number[]; truthSum: number; truthN: number }>();
  for (const r of rows) {
    const k = JSON.stringify([r.endpoint, r.analysis, r.scenario]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { first: { ...r }, estimates: [], truthSum: 0, truthN: 0 }));
    if (Number.isFinite(r.estimate)) g.estimates.push(r.estimate);
    if (Number.isFinite(r.truth)) {
      g.truthSum += r.truth;
      g.truthN++;
    }
  }
  return [...groups.values()].map((g) => {
    const xs = Float64Array.from(g.estimates).sort();
    const { endpoint, measure, analysis, scenario } = g.first;
    return { endpoint, measure, analysis, scenario, ...boxSpread(xs), truth: g.truthN > 0 ? g.truthSum / g.truthN : NaN };
  });
}

export function estimateDistributionChart(scenarios: readonly string[], rows: readonly EstimateSummary[]): Chart {
  const endpoints = [...new Set(rows.map((r) => r.endpoint))];
  const color = { field: 'scenario', type: 'nominal', title: 'Scenario', sort: [...scenarios] };
  const yOffset = { field: 'scenario', type: 'nominal', sort: [...scenarios] };
  const panels: VlSpec[] = endpoints.map((ep) => {
    const mine = rows.filter((r) => r.endpoint === ep);
    const ratio = /ratio/i.test(mine[0]!.measure);
    const values = mine.map((r) => ({ analysis: r.analysis, scenario: r.scenario, n: r.n, q05: r4(r.q05), q25: r4(r.q25), median: r4(r.median), q75: r4(r.q75), q95: r4(r.q95), truth: r4(r.truth) }));
    const x = { type: 'quantitative', title: `${ep}: ${mine[0]!.measure}${ratio ? ' (log scale)' : ''}`, scale: ratio ? { type: 'log' } : { type: 'linear', zero: false } };
    const y = { field: 'analysis', type: 'nominal', title: null, sort: null };
    return {
      width: 420,
      height: { step: 12 },
      title: { text: ep, fontSize: 12 },
      data: { values },
      encoding: { y, yOffset },
      layer: [
        { mark: { type: 'rule' }, encoding: { color, x: { field: 'q05', ...x }, x2: { field: 'q95' } } },
        { mark: { type: 'bar', opacity: 0.45, size: 7 }, encoding: { color, x: { field: 'q25', ...x }, x2: { field: 'q75' } } },
        { mark: { type: 'tick', thickness: 2, size: 9 }, encoding: { color, x: { field: 'median', ...x }, tooltip: [{ field: 'scenario' }, { field: 'analysis' }, { field: 'median' }, { field: 'q05' }, { field: 'q95' }, { field: 'truth' }, { field: 'n' }] } },
        { mark: { type: 'point', shape: 'diamond', filled: true, size: 40, color: TRUTH_COLOUR }, encoding: { x: { field: 'truth', ...x } } },
      ],
    };
  });
  const title = 'Estimates across replicates against the true effect (◆)';
  const description = `Distribution of the estimates over replicate trials, per endpoint, analysis and scenario: median, quartiles and 5th to 95th percentiles, with the true effect of the target population as a black diamond. ${rows.map((r) => `${r.endpoint} ${r.analysis}, ${r.scenario}: median ${fmt(r.median)} (5th-95th ${fmt(r.q05)} to ${fmt(r.q95)}), truth ${fmt(r.truth)}`).join('; ')}.`;
  return { id: 'estimates', title, description, spec: vl(title, description, { vconcat: panels, spacing: 18 }) };
}
