/**
 * Differences between designs with two 95% Monte Carlo intervals side by side: from the paired
 * per-replicate differences (common random numbers: replicate r of both designs saw the same
 * twins) and the one independent runs would have had (difference ± 1.96 SE each). The shorter
 * first interval is the gain of common random numbers.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';
import { compactLabels, titled } from './labels.js';

export interface PairedDifference {
  /** The row's label in parts (what minus what, scenario, analysis); parts shared by all rows go under the title. */
  parts: string[];
  difference: number;
  /** MC SE from the paired per-replicate differences. */
  pairedSe: number;
  /** MC SE independent runs would have had. */
  independentSe: number;
}

const PAIRED = 'common random numbers (paired)';
const INDEPENDENT = 'as independent runs';
const Z = 1.959963984540054;

export function pairedDifferenceChart(id: string, title: string, xTitle: string, input: readonly PairedDifference[]): Chart {
  const { labels, common } = compactLabels(input.map((r) => r.parts));
  const rows = input.map((r, i) => ({ ...r, label: labels[i]! }));
  const description = `${title}: each difference with two 95% Monte Carlo intervals (difference ± 1.96 SE), from the paired per-replicate differences (common random numbers) and as independent runs would have it; the vertical line marks no difference.${common ? ` All rows: ${common}.` : ''} ${rows.map((r) => `${r.label}: ${fmt(r.difference)}, SE ${fmt(r.pairedSe)} paired against ${fmt(r.independentSe)} independent`).join('; ')}.`;
  const values = rows.flatMap((r) => [
    { label: r.label, se: PAIRED, difference: r4(r.difference), mcse: r4(r.pairedSe), lower: r4(r.difference - Z * r.pairedSe), upper: r4(r.difference + Z * r.pairedSe) },
    { label: r.label, se: INDEPENDENT, difference: r4(r.difference), mcse: r4(r.independentSe), lower: r4(r.difference - Z * r.independentSe), upper: r4(r.difference + Z * r.independentSe) },
  ]);
  // Few ticks: vega over-estimates label widths without a browser and would drop every other one.
  const x = { type: 'quantitative', title: xTitle, axis: { tickCount: 6 } };
  const y = { field: 'label', type: 'nominal', title: null, sort: labels, axis: { labelLimit: 700 } };
  const yOffset = { field: 'se', type: 'nominal', sort: [PAIRED, INDEPENDENT] };
  const color = { field: 'se', type: 'nominal', title: 'Monte Carlo SE', sort: [PAIRED, INDEPENDENT], legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 400 } };
  return {
    id,
    title,
    description,
    spec: vl(title, description, {
      title: titled(title, common),
      width: 460,
      height: { step: 14 },
      layer: [
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'zero', ...x } } },
        { data: { values }, mark: { type: 'rule', strokeWidth: 2.5 }, encoding: { y, yOffset, color, x: { field: 'lower', ...x }, x2: { field: 'upper' } } },
        { data: { values }, mark: { type: 'point', filled: true, size: 40, shape: 'square' }, encoding: { y, yOffset, color, x: { field: 'difference', ...x }, tooltip: [{ field: 'label' }, { field: 'se', title: 'SE' }, { field: 'difference' }, { field: 'mcse', title: 'MC SE' }, { field: 'lower' }, { field: 'upper' }] } },
      ],
    }),
  };
}
