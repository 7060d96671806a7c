/**
 * Group-sequential replicate runs: the efficacy boundary (and futility bound) on the z scale per
 * look against the information fraction, as designed (at the planned fractions) and as used (the
 * mean boundary at the observed information, at the mean observed fraction), with the spread of
 * the simulated z statistics at each look (5th-95th percentile rule, quartile bar, median dot);
 * one panel per scenario.
 */
import { boxSpread, type BoxSpread } from '../../stats/box-spread.js';
import { fmt, r4, vl, type Chart } from '../chart.js';
import { OKABE_ITO } from '../palette.js';

export interface BoundaryLook {
  scenario: string;
  look: number;
  plannedFraction: number;
  meanFraction: number;
  /** The analytic design's critical value at the planned fraction. */
  critical: number;
  /** NaN where the look has no futility bound (the final look, or none). */
  futility: number;
  /** The mean boundary used at the observed information; NaN when not in the file. */
  observedCritical: number;
}

export interface ZSpread extends BoxSpread {
  scenario: string;
  look: number;
  /** The mean observed information fraction of the replicates that ran the look. */
  fraction: number;
}

/** Quantiles of the z statistics per scenario and look (NaN: the look did not run). */
export function summariseZ(rows: Iterable<{ scenario: string; look: number; z: number; fraction: number }>): ZSpread[] {
  const groups = new Map<string, { scenario: string; look: number; z: number[]; fractionSum: number }>();
  for (const r of rows) {
    if (!Number.isFinite(r.z)) continue;
    const k = JSON.stringify([r.scenario, r.look]);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { scenario: r.scenario, look: r.look, z: [], fractionSum: 0 }));
    g.z.push(r.z);
    g.fractionSum += r.fraction;
  }
  return [...groups.values()].map((g) => {
    const xs = Float64Array.from(g.z).sort();
    return { scenario: g.scenario, look: g.look, fraction: g.fractionSum / xs.length, ...boxSpread(xs) };
  });
}

export const BOUNDARY_LINES = ['efficacy boundary (design)', 'efficacy boundary (observed information, mean)', 'futility bound'] as const;
const LINE_COLOURS = [OKABE_ITO[0], OKABE_ITO[2], OKABE_ITO[5]];

/** `twoSided`: the efficacy boundaries are drawn at ±c (|z| >= c crosses). */
export function sequentialBoundaryChart(scenarios: readonly string[], looks: readonly BoundaryLook[], spread: readonly ZSpread[], twoSided: boolean): Chart {
  const lines: Record<string, unknown>[] = [];
  const sides = twoSided ? [1, -1] : [1];
  for (const l of looks) {
    for (const s of sides) {
      lines.push({ scenario: l.scenario, look: l.look, line: BOUNDARY_LINES[0], side: s, fraction: r4(l.plannedFraction), z: r4(s * l.critical) });
      if (Number.isFinite(l.observedCritical)) lines.push({ scenario: l.scenario, look: l.look, line: BOUNDARY_LINES[1], side: s, fraction: r4(l.meanFraction), z: r4(s * l.observedCritical) });
    }
    if (Number.isFinite(l.futility)) lines.push({ scenario: l.scenario, look: l.look, line: BOUNDARY_LINES[2], side: 1, fraction: r4(l.plannedFraction), z: r4(l.futility) });
  }
  const present = BOUNDARY_LINES.filter((b) => lines.some((v) => v.line === b));
  const spreadValues = spread.map((s) => ({ scenario: s.scenario, look: s.look, fraction: r4(s.fraction), n: s.n, q05: r4(s.q05), q25: r4(s.q25), median: r4(s.median), q75: r4(s.q75), q95: r4(s.q95) }));
  const values = [...lines.map((v) => ({ layer: 'boundary', ...v })), ...spreadValues.map((v) => ({ layer: 'z', ...v }))];
  const x = { field: 'fraction', type: 'quantitative', title: 'Information fraction', scale: { domain: [0, 1.04], nice: false }, axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] } };
  const yTitle = 'z statistic (favourable direction, SD units)';
  const zField = (f: string) => ({ field: f, type: 'quantitative', title: yTitle });
  const only = (layer: string) => [{ filter: `datum.layer === '${layer}'` }];
  // One legend for colour and dash (the same field and legend).
  const legend = { orient: 'right', direction: 'vertical', labelLimit: 600, values: present };
  const color = { field: 'line', type: 'nominal', title: null, scale: { domain: [...BOUNDARY_LINES], range: LINE_COLOURS }, legend };
  const strokeDash = { field: 'line', type: 'nominal', title: null, scale: { domain: [...BOUNDARY_LINES], range: [[1, 0], [1, 0], [5, 3]] }, legend };
  const layer: Record<string, unknown>[] = [
    { mark: { type: 'rule', color: '#555', opacity: 0.5 }, encoding: { y: { datum: 0, type: 'quantitative' } } },
    ...(spread.length > 0
      ? [
          { transform: only('z'), mark: { type: 'rule', color: '#888' }, encoding: { x, y: zField('q05'), y2: { field: 'q95' } } },
          { transform: only('z'), mark: { type: 'rule', color: OKABE_ITO[4], strokeWidth: 7, opacity: 0.7 }, encoding: { x, y: zField('q25'), y2: { field: 'q75' } } },
          { transform: only('z'), mark: { type: 'point', filled: true, size: 30, color: '#000' }, encoding: { x, y: zField('median'), tooltip: [{ field: 'scenario' }, { field: 'look' }, { field: 'fraction' }, { field: 'median', title: 'median z' }, { field: 'q05' }, { field: 'q25' }, { field: 'q75' }, { field: 'q95' }, { field: 'n', title: 'replicates' }] } },
        ]
      : []),
    // The design and the futility bound as lines; the boundary at the observed information as open circles over them (the two nearly coincide).
    { transform: [{ filter: `datum.layer === 'boundary' && datum.line !== '${BOUNDARY_LINES[1]}'` }], mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y: zField('z'), color, strokeDash, detail: { field: 'side' } } },
    { transform: [{ filter: `datum.layer === 'boundary' && datum.line !== '${BOUNDARY_LINES[1]}'` }], mark: { type: 'point', filled: true, size: 36 }, encoding: { x, y: zField('z'), color, tooltip: [{ field: 'scenario' }, { field: 'line' }, { field: 'look' }, { field: 'fraction' }, { field: 'z' }] } },
    { transform: [{ filter: `datum.line === '${BOUNDARY_LINES[1]}'` }], mark: { type: 'point', filled: false, size: 110, strokeWidth: 2 }, encoding: { x, y: zField('z'), color, tooltip: [{ field: 'scenario' }, { field: 'line' }, { field: 'look' }, { field: 'fraction' }, { field: 'z' }] } },
  ];
  const title = 'Boundaries on the z scale by information fraction';
  const subtitle = ['information fraction: observed / planned final information', spread.length > 0 ? 'bars: simulated z at each look among the replicates that ran it (thin: 5th–95th percentile, thick: quartiles, dot: median)' : 'the files hold no per-look z statistics'];
  const description = `Efficacy boundaries${looks.some((l) => Number.isFinite(l.futility)) ? ' and futility bounds' : ''} on the z scale at each look against the information fraction${twoSided ? ' (two-sided: the trial crosses at |z| >= c)' : ''}, as designed at the planned fractions${looks.some((l) => Number.isFinite(l.observedCritical)) ? ' and as used at the observed information (mean boundary at the mean observed fraction)' : ''}, one panel per scenario${spread.length > 0 ? ', with the spread of the simulated z statistics among the replicates that ran each look' : ''}. ${looks.map((l) => `${l.scenario}, look ${l.look} at fraction ${fmt(l.plannedFraction)}: boundary ${fmt(l.critical)}${Number.isFinite(l.observedCritical) ? ` (observed ${fmt(l.observedCritical)})` : ''}${Number.isFinite(l.futility) ? `, futility ${fmt(l.futility)}` : ''}`).join('; ')}.${spread.length > 0 ? ` ${spread.map((s) => `${s.scenario}, look ${s.look}: median z ${fmt(s.median)} (5th-95th ${fmt(s.q05)} to ${fmt(s.q95)}) over ${s.n} replicates`).join('; ')}.` : ''}`;
  return {
    id: 'sequential-boundaries',
    title,
    description,
    spec: vl(title, description, {
      title: { text: title, subtitle },
      data: { values },
      facet: { column: { field: 'scenario', type: 'nominal', sort: [...scenarios], title: 'Scenario', header: { labelFontSize: 11, titleFontSize: 12 } } },
      spacing: { column: 16 },
      spec: { width: 230, height: 220, layer },
    }),
  };
}
