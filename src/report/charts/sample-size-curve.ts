/**
 * A simulated sample-size search (vtrial sample-size PROTOCOL): the power simulated at each N with
 * ± 1.96 Monte Carlo SE, the probit curve fitted to them (probit(power) = a + b log N), the target
 * power dashed, and the chosen N with its 95% Monte Carlo interval shaded.
 */
import { pnorm } from '../../stats/distributions.js';
import { fmt, r4, vl, type Chart } from '../chart.js';
import { OKABE_ITO } from '../palette.js';

export interface SearchPointRow {
  round: number;
  n: number;
  replicates: number;
  power: number;
  mcse: number;
}

export interface SampleSizeAnswer {
  /** The searched path (enrolment.target, study_end.events, ...). */
  path: string;
  targetPower: number;
  fit: { a: number; b: number } | null;
  /** The chosen (rounded) N and its 95% MC interval (of the fitted root), when the search found one. */
  n: number | null;
  interval: [number, number] | null;
}

const Z = 1.959963984540054;
const CURVE_STEPS = 60;

export function sampleSizeChart(points: readonly SearchPointRow[], a: SampleSizeAnswer): Chart {
  const title = `Power over ${a.path}: simulated points and the fitted probit curve`;
  const xs = [...points.map((p) => p.n), ...(a.n === null ? [] : [a.n]), ...(a.interval ?? [])].filter(Number.isFinite);
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  const curve = a.fit ? Array.from({ length: CURVE_STEPS + 1 }, (_, i) => lo * (hi / lo) ** (i / CURVE_STEPS)).map((x) => r4(x)!).map((n) => ({ n, fitted: r4(pnorm(a.fit!.a + a.fit!.b * Math.log(n))) })) : [];
  const values = points.map((p) => ({ round: p.round, n: p.n, replicates: p.replicates, power: p.power, mcse: r4(p.mcse), lower: r4(Math.max(0, p.power - Z * p.mcse)), upper: r4(Math.min(1, p.power + Z * p.mcse)) }));
  const answer = a.n === null ? 'the search found no N' : `chosen ${a.path} = ${a.n}${a.interval ? ` (95% Monte Carlo interval ${fmt(a.interval[0])} to ${fmt(a.interval[1])}, shaded)` : ''}`;
  const subtitle = [`points: simulated power ± 1.96 MC SE; line: ${a.fit ? 'the fitted probit curve' : 'no fit'}; dashed: target power ${a.targetPower}`, answer];
  const description = `Power (share of replicate trials meeting the success criterion) simulated at each value of ${a.path}, with ± 1.96 Monte Carlo SE bars${a.fit ? `, and the probit curve probit(power) = ${fmt(a.fit.a)} + ${fmt(a.fit.b)} log N fitted to them` : ''}; the dashed line is the target power ${a.targetPower}; ${answer}. ${points.map((p) => `N = ${p.n} (round ${p.round}): ${fmt(p.power)} (MC SE ${fmt(p.mcse)}) over ${p.replicates} replicates`).join('; ')}.`;
  const x = { type: 'quantitative', title: a.path, scale: { zero: false, nice: false, padding: 16 } };
  const y = { type: 'quantitative', title: 'Power (success rate)', scale: { domain: [0, 1] } };
  const layer: Record<string, unknown>[] = [];
  if (a.n !== null && a.interval) layer.push({ data: { values: [{ from: r4(a.interval[0]), to: r4(a.interval[1]) }] }, mark: { type: 'rect', color: OKABE_ITO[1], opacity: 0.15 }, encoding: { x: { field: 'from', ...x }, x2: { field: 'to' } } });
  layer.push({ data: { values: [{ target: a.targetPower }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { y: { field: 'target', ...y } } });
  if (a.n !== null) layer.push({ data: { values: [{ chosen: a.n }] }, mark: { type: 'rule', color: OKABE_ITO[1], strokeWidth: 1.5 }, encoding: { x: { field: 'chosen', ...x } } });
  if (curve.length > 0) layer.push({ data: { values: curve }, mark: { type: 'line', color: OKABE_ITO[0], strokeWidth: 2 }, encoding: { x: { field: 'n', ...x }, y: { field: 'fitted', ...y } } });
  layer.push({ data: { values }, mark: { type: 'rule', strokeWidth: 2, color: '#333' }, encoding: { x: { field: 'n', ...x }, y: { field: 'lower', ...y }, y2: { field: 'upper' } } });
  layer.push({ data: { values }, mark: { type: 'point', filled: true, size: 50, color: '#333' }, encoding: { x: { field: 'n', ...x }, y: { field: 'power', ...y }, tooltip: [{ field: 'n', title: a.path }, { field: 'round' }, { field: 'replicates' }, { field: 'power' }, { field: 'mcse', title: 'MC SE' }] } });
  return { id: 'sample-size', title, description, spec: vl(title, description, { title: { text: title, subtitle }, width: 480, height: 260, layer }) };
}
