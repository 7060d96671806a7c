/**
 * Sweeps: power (or, for a null scenario, the type I error) over the values of one varied path,
 * one line per combination of the other paths' values, with the Clopper-Pearson 95% Monte Carlo
 * CI as a band (as interval bars when the values are text); one panel per scenario (columns) and analysis (rows). A type I error chart marks
 * alpha with a dashed line.
 */
import { fmt, r4, vl, type Chart } from '../chart.js';
import { OKABE_ITO } from '../palette.js';

export interface CurvePoint {
  /** The varied path's value at this point. */
  x: number | string;
  /** The other paths' values ('' when only one path varies). */
  series: string;
  scenario: string;
  analysis: string;
  power: number;
  lower: number;
  upper: number;
  replicates: number;
}

export interface CurveOptions {
  /** Chart id stem (file-name safe after numbering). */
  id: string;
  path: string;
  /** The path's values in grid order (the x axis' order when they are not numbers). */
  values: readonly (number | string)[];
  /** What the series are ("enrolment.target"), or null with a single line per panel. */
  seriesTitle: string | null;
  series: readonly string[];
  scenarios: readonly string[];
  analyses: readonly string[];
  /** Null scenarios: the y axis is the type I error and alpha is marked. */
  typeOne: { alpha: number } | null;
}

export function powerCurveChart(o: CurveOptions, rows: readonly CurvePoint[]): Chart {
  const numeric = o.values.every((v) => typeof v === 'number');
  const what = o.typeOne ? 'Type I error' : 'Power';
  const title = `${what} over ${o.path} (${numeric ? 'band' : 'bars'}: 95% Monte Carlo CI)`;
  const description = `${what} (share of replicate trials rejecting the null hypothesis) at each value of ${o.path}${o.seriesTitle ? `, one line per value of ${o.seriesTitle}` : ''}, one panel per scenario and analysis, with Clopper-Pearson 95% confidence intervals as ${numeric ? 'bands' : 'bars'}${o.typeOne ? `; the dashed line marks alpha = ${o.typeOne.alpha}` : ''}. ${rows.map((r) => `${r.scenario}, ${r.analysis}, ${o.path} = ${r.x}${r.series ? ` (${r.series})` : ''}: ${fmt(r.power)} (${fmt(r.lower)} to ${fmt(r.upper)}) over ${r.replicates} replicates`).join('; ')}.`;
  const values = rows.map((r) => ({ x: r.x, series: r.series, scenario: r.scenario, analysis: r.analysis, power: r4(r.power), lower: r4(r.lower), upper: r4(r.upper), replicates: r.replicates }));
  const top = o.typeOne ? Math.min(1, Math.max(2 * o.typeOne.alpha, ...rows.map((r) => (Number.isFinite(r.upper) ? r.upper : 0)))) : 1;
  const x = numeric ? { field: 'x', type: 'quantitative', title: o.path, scale: { zero: false, nice: false, padding: 12 }, axis: { values: [...o.values] } } : { field: 'x', type: 'ordinal', title: o.path, sort: [...o.values], axis: { labelAngle: 0 } };
  const yTitle = o.typeOne ? 'Type I error (rejection rate)' : 'Power (rejection rate)';
  const y = { field: 'power', type: 'quantitative', title: yTitle, scale: { domain: [0, top] } };
  const color = o.seriesTitle ? { field: 'series', type: 'nominal', title: o.seriesTitle, sort: [...o.series], legend: { orient: 'bottom', direction: 'vertical', labelLimit: 600, titleLimit: 600 } } : { value: OKABE_ITO[0] };
  const layer: Record<string, unknown>[] = [
    // A band between numeric values; between text values (no in-between) an interval bar per point.
    numeric
      ? { mark: { type: 'area', opacity: 0.18 }, encoding: { x, y: { field: 'lower', type: 'quantitative', title: yTitle, scale: { domain: [0, top] } }, y2: { field: 'upper' }, color } }
      : { mark: { type: 'rule', strokeWidth: 2, opacity: 0.6 }, encoding: { x, y: { field: 'lower', type: 'quantitative', title: yTitle, scale: { domain: [0, top] } }, y2: { field: 'upper' }, color } },
    { mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
    { mark: { type: 'point', filled: true, size: 45 }, encoding: { x, y, color, tooltip: [{ field: 'scenario' }, { field: 'analysis' }, { field: 'x', title: o.path }, ...(o.seriesTitle ? [{ field: 'series', title: o.seriesTitle }] : []), { field: 'power', title: what }, { field: 'lower' }, { field: 'upper' }, { field: 'replicates' }] } },
  ];
  if (o.typeOne) layer.unshift({ mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { datum: o.typeOne.alpha, type: 'quantitative' } } });
  return {
    id: o.id,
    title,
    description,
    spec: vl(title, description, {
      ...(o.typeOne ? { title: { text: title, subtitle: `dashed line: alpha = ${o.typeOne.alpha}` } } : {}),
      data: { values },
      facet: {
        row: { field: 'analysis', type: 'nominal', sort: [...o.analyses], title: null, header: { labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontSize: 11, labelLimit: 700 } },
        column: { field: 'scenario', type: 'nominal', sort: [...o.scenarios], title: 'Scenario', header: { labelFontSize: 11, titleFontSize: 12 } },
      },
      spacing: { row: 14, column: 16 },
      spec: { width: 230, height: 150, layer },
    }),
  };
}
