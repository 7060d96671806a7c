/**
 * Replicate runs: the rejection rate (power; the type I error where the true effect is null) per
 * scenario and analysis, with its Clopper-Pearson 95% Monte Carlo CI, and the plan's alpha marked.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';

export interface RejectionRate {
  scenario: string;
  analysis: string;
  power: number;
  lower: number;
  upper: number;
  replicates: number;
}

export function rejectionRateChart(scenarios: readonly string[], alpha: number, rows: readonly RejectionRate[]): Chart {
  const title = 'Power and type I error by scenario (95% Monte Carlo CI)';
  const description = `Share of replicate trials rejecting the null hypothesis (power, or the type I error under a null scenario), with Clopper-Pearson 95% confidence intervals, by analysis and scenario; the dashed line marks alpha = ${alpha}. ${rows.map((r) => `${r.scenario}, ${r.analysis}: ${fmt(r.power)} (${fmt(r.lower)} to ${fmt(r.upper)}) over ${r.replicates} replicates`).join('; ')}.`;
  const analyses = [...new Set(rows.map((r) => r.analysis))];
  const x = { type: 'quantitative', title: 'Rejection rate', scale: { domain: [0, 1] } };
  const y = { field: 'analysis', type: 'nominal', title: null, sort: analyses };
  const color = { field: 'scenario', type: 'nominal', title: 'Scenario', sort: [...scenarios] };
  const yOffset = { field: 'scenario', type: 'nominal', sort: [...scenarios] };
  const values = rows.map((r) => ({ ...r, power: r4(r.power), lower: r4(r.lower), upper: r4(r.upper) }));
  return {
    id: 'rejection-rates',
    title,
    description,
    spec: vl(title, description, {
      width: 480,
      height: { step: 12 },
      layer: [
        { data: { values: [{ alpha }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#777' }, encoding: { x: { field: 'alpha', ...x } } },
        { data: { values }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, yOffset, color, x: { field: 'lower', ...x }, x2: { field: 'upper' } } },
        { data: { values }, mark: { type: 'point', filled: true, size: 50 }, encoding: { y, yOffset, color, x: { field: 'power', ...x }, tooltip: [{ field: 'scenario' }, { field: 'analysis' }, { field: 'power' }, { field: 'lower' }, { field: 'upper' }, { field: 'replicates' }] } },
      ],
    }),
  };
}
