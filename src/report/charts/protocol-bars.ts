/**
 * Comparisons: the protocols side by side. Rejection rates as bars per matched analysis with the
 * Clopper-Pearson 95% Monte Carlo CI (type I error charts mark alpha); bias and coverage (with
 * ± 1.96 MC SE and the nominal level) in two panels; trial characteristics (screened, enrolled,
 * screen failure, dropout) in four.
 */
import { fmt, r4, vl, type Chart, type VlSpec } from '../chart.js';
import { compactLabels, titled } from './labels.js';

export interface ProtocolRate {
  /** Scenario and analysis: the row's label in parts (parts shared by all rows go under the title). */
  parts: string[];
  protocol: string;
  rate: number;
  lower: number;
  upper: number;
  replicates: number;
}

const yOf = (rows: readonly string[]) => ({ field: 'row', type: 'nominal', title: null, sort: [...rows] });
const byProtocol = (protocols: readonly string[]) => ({
  yOffset: { field: 'protocol', type: 'nominal', sort: [...protocols] },
  color: { field: 'protocol', type: 'nominal', title: 'Protocol', sort: [...protocols], legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 400 } },
});

export function protocolRateChart(id: string, protocols: readonly string[], input: readonly ProtocolRate[], typeOne: { alpha: number } | null): Chart {
  const { labels: compact, common } = compactLabels(input.map((r) => r.parts));
  const rows = input.map(({ parts: _, ...r }, i) => ({ ...r, row: compact[i]! }));
  const what = typeOne ? 'Type I error' : 'Power';
  const title = `${what} by protocol (95% Monte Carlo CI)`;
  const description = `${what} (share of replicate trials rejecting the null hypothesis) of each matched analysis, one bar per protocol, with Clopper-Pearson 95% confidence intervals${typeOne ? `; the dashed line marks alpha = ${typeOne.alpha}` : ''}.${common ? ` All rows: ${common}.` : ''} ${rows.map((r) => `${r.row}, ${r.protocol}: ${fmt(r.rate)} (${fmt(r.lower)} to ${fmt(r.upper)}) over ${r.replicates} replicates`).join('; ')}.`;
  const labels = [...new Set(rows.map((r) => r.row))];
  const top = typeOne ? Math.min(1, Math.max(2 * typeOne.alpha, ...rows.map((r) => (Number.isFinite(r.upper) ? r.upper : 0)))) : 1;
  const x = { type: 'quantitative', title: `${what} (rejection rate)`, scale: { domain: [0, top] } };
  const values = rows.map((r) => ({ ...r, rate: r4(r.rate), lower: r4(r.lower), upper: r4(r.upper) }));
  const enc = { y: yOf(labels), ...byProtocol(protocols) };
  const layer: VlSpec[] = [
    { data: { values }, mark: { type: 'bar', height: { band: 1 } }, encoding: { ...enc, x: { field: 'rate', ...x }, tooltip: [{ field: 'row', title: 'analysis' }, { field: 'protocol' }, { field: 'rate', title: what }, { field: 'lower' }, { field: 'upper' }, { field: 'replicates' }] } },
    { data: { values }, mark: { type: 'rule', color: '#000', strokeWidth: 1.5 }, encoding: { y: enc.y, yOffset: enc.yOffset, x: { field: 'lower', ...x }, x2: { field: 'upper' } } },
  ];
  if (typeOne) layer.push({ data: { values: [{ alpha: typeOne.alpha }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'alpha', ...x } } });
  return { id, title, description, spec: vl(title, description, { title: titled(title, [common ? `all rows: ${common}` : '', typeOne ? `dashed line: alpha = ${typeOne.alpha}` : ''].filter(Boolean).join('; '), ''), width: 440, height: { step: 16 }, layer }) };
}

export interface ProtocolAccuracy {
  parts: string[];
  protocol: string;
  bias: number;
  coverage: number;
  coverageSe: number;
}

export function accuracyChart(protocols: readonly string[], nominal: number, input: readonly ProtocolAccuracy[]): Chart {
  const { labels: compact, common } = compactLabels(input.map((r) => r.parts));
  const rows = input.map(({ parts: _, ...r }, i) => ({ ...r, row: compact[i]! }));
  const title = 'Bias and coverage by protocol';
  const description = `Bias of the estimate (mean estimate minus the true effect, on the analysis' own scale, with no interval; the line marks 0) and coverage of the true effect by the confidence interval, with ± 1.96 Monte Carlo SE (the line marks the nominal ${fmt(nominal)}), per matched analysis and protocol.${common ? ` All rows: ${common}.` : ''} ${rows.map((r) => `${r.row}, ${r.protocol}: bias ${fmt(r.bias)}, coverage ${fmt(r.coverage)} (MC SE ${fmt(r.coverageSe)})`).join('; ')}.`;
  const labels = [...new Set(rows.map((r) => r.row))];
  const BIAS = 'Bias (estimate − truth)';
  const COVERAGE = 'Coverage of the true effect';
  // Long format, one panel per measure with its own x scale; `ref` is the panel's reference line.
  const values = rows.flatMap((r) => [
    { row: r.row, protocol: r.protocol, measure: BIAS, value: r4(r.bias), lower: r4(r.bias), upper: r4(r.bias), ref: 0 },
    { row: r.row, protocol: r.protocol, measure: COVERAGE, value: r4(r.coverage), lower: r4(Math.max(0, r.coverage - 1.96 * r.coverageSe)), upper: r4(Math.min(1, r.coverage + 1.96 * r.coverageSe)), ref: nominal },
  ]);
  const enc = { y: yOf(labels), ...byProtocol(protocols) };
  const x = { type: 'quantitative', title: null, scale: { zero: false } };
  return {
    id: 'bias-coverage',
    title,
    description,
    spec: vl(title, description, {
      title: titled(title, common),
      data: { values },
      facet: { column: { field: 'measure', type: 'nominal', title: null, sort: [BIAS, COVERAGE], header: { labelFontSize: 12, labelFontWeight: 'bold' } } },
      resolve: { scale: { x: 'independent' } },
      spacing: 14,
      spec: {
        width: 240,
        height: { step: 16 },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 3], color: '#555' }, encoding: { x: { field: 'ref', ...x } } },
          { mark: { type: 'rule', strokeWidth: 2 }, encoding: { ...enc, x: { field: 'lower', ...x }, x2: { field: 'upper' } } },
          { mark: { type: 'point', filled: true, size: 50 }, encoding: { ...enc, x: { field: 'value', ...x }, tooltip: [{ field: 'row', title: 'analysis' }, { field: 'protocol' }, { field: 'measure' }, { field: 'value' }, { field: 'lower' }, { field: 'upper' }] } },
        ],
      },
    }),
  };
}

export interface ProtocolTrials {
  scenario: string;
  protocol: string;
  screened: number;
  enrolled: number;
  screenFailure: number;
  dropout: number;
}

export function trialCharacteristicsChart(scenarios: readonly string[], protocols: readonly string[], rows: readonly ProtocolTrials[]): Chart {
  const title = 'Trials by protocol: screened, enrolled, screen failure, dropout (means over replicates)';
  const description = `Per scenario and protocol, means over replicate trials: ${rows.map((r) => `${r.scenario}, ${r.protocol}: ${fmt(r.screened)} screened, ${fmt(r.enrolled)} enrolled, screen failure ${fmt(100 * r.screenFailure)}%, dropout ${fmt(100 * r.dropout)}%`).join('; ')}.`;
  const values = rows.map((r) => ({ scenario: r.scenario, protocol: r.protocol, screened: r4(r.screened), enrolled: r4(r.enrolled), screenFailure: r4(100 * r.screenFailure), dropout: r4(100 * r.dropout) }));
  const y = { field: 'scenario', type: 'nominal', title: 'Scenario', sort: [...scenarios] };
  const top = (field: 'screened' | 'enrolled' | 'screenFailure' | 'dropout') => Math.max(field === 'screenFailure' || field === 'dropout' ? 5 : 1, ...values.map((v) => v[field] ?? 0));
  const panel = (field: 'screened' | 'enrolled' | 'screenFailure' | 'dropout', axisTitle: string, first: boolean) => ({
    width: 150,
    height: { step: 14 },
    mark: { type: 'bar', height: { band: 1 } },
    encoding: { y: first ? y : { ...y, axis: null }, ...byProtocol(protocols), x: { field, type: 'quantitative', title: axisTitle, scale: { domain: [0, top(field)], nice: true } }, tooltip: [{ field: 'scenario' }, { field: 'protocol' }, { field, title: axisTitle }] },
  });
  return {
    id: 'trial-characteristics',
    title,
    description,
    spec: vl(title, description, {
      data: { values },
      hconcat: [panel('screened', 'Screened (twins)', true), panel('enrolled', 'Enrolled (twins)', false), panel('screenFailure', 'Screen failure (%)', false), panel('dropout', 'Dropout (%)', false)],
      spacing: 10,
    }),
  };
}
