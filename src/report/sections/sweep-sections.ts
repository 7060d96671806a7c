/**
 * The sections of a sweep (`vtrial sweep`, or `vtrial merge` of its shards), from its summary.json:
 * power and type I error curves over each varied path with 95% Monte Carlo bands, the adjacent
 * points' differences with their common-random-numbers SE beside the independent one, and tables
 * of the grid, the points (each a replicate run in points/<id>/) and their characteristics.
 */
import type { Chart } from '../chart.js';
import { pairedDifferenceChart } from '../charts/paired-differences.js';
import { powerCurveChart, type CurvePoint } from '../charts/power-curve.js';
import { designRejectionChart } from '../charts/design-rejection.js';
import { fixed, htmlTable } from '../html-table.js';
import { num, type CsvRow, type OutputDir } from '../output-dir.js';
import { analysisLabel, ordered, planOf, valueText, type AnalysisKey, type Plan } from './design-data.js';
import type { ReportSection } from './section.js';

type Value = number | string | boolean;

interface Oc extends AnalysisKey {
  estimable: number;
  power: number | null;
  powerMcse: number | null;
  powerLower: number | null;
  powerUpper: number | null;
  bias: number | null;
  coverage: number | null;
  trueEffect: number | null;
}

interface SweepPoint {
  point: number;
  id: string;
  values: Record<string, Value>;
  scenarios: { name: string; trial: { meanEnrolled: number; meanScreened: number }; operatingCharacteristics: Oc[] }[];
}

interface SweepDifference extends AnalysisKey {
  path: string;
  fromPoint: number;
  fromValue: Value;
  toValue: Value;
  scenario: string;
  replicates: number;
  powerFrom: number | null;
  powerTo: number | null;
  difference: number | null;
  differenceMcse: number | null;
  independentMcse: number | null;
}

interface Sweep {
  vary: { path: string; values: Value[] }[];
  points: SweepPoint[];
  differences: SweepDifference[];
  scenarios: string[];
  /** Each point's plan (from points/<id>/run.json). */
  plans: Map<number, Plan>;
}

const n = (v: number | null | undefined): number => (typeof v === 'number' ? v : NaN);
const axisValue = (v: Value): number | string => (typeof v === 'number' ? v : String(v));

function sweepOf(dir: OutputDir): Sweep | null {
  const s = dir.summary;
  if (!s || !Array.isArray(s.vary) || !Array.isArray(s.points)) return null;
  const points = s.points as SweepPoint[];
  const fromRun = (dir.manifest?.sweep as { scenarios?: unknown } | undefined)?.scenarios;
  const scenarios = Array.isArray(fromRun) ? (fromRun as string[]) : ordered(points.flatMap((p) => p.scenarios.map((x) => x.name)));
  const plans = new Map<number, Plan>();
  for (const p of points) {
    const plan = planOf(dir, `points/${p.id}`);
    if (plan) plans.set(p.point, plan);
  }
  return { vary: s.vary as Sweep['vary'], points, differences: (s.differences ?? []) as SweepDifference[], scenarios, plans };
}

/** A scenario is null when its point's protocol says no_effect (else: every true effect is 0). */
function isNull(sw: Sweep, scenario: string): boolean {
  const plans = [...sw.plans.values()];
  if (plans.length > 0) return plans.some((p) => p.nullScenarios.has(scenario));
  const ocs = sw.points.flatMap((p) => p.scenarios.filter((x) => x.name === scenario).flatMap((x) => x.operatingCharacteristics));
  return ocs.length > 0 && ocs.every((o) => o.trueEffect === 0);
}

const curves: ReportSection = {
  id: 'sweep-curves',
  heading: 'Power curves',
  kinds: ['sweep'],
  needs: ['summary.json'],
  build(dir) {
    const sw = sweepOf(dir);
    if (!sw) return null;
    const alphas = ordered([...sw.plans.values()].map((p) => p.alpha));
    const charts: Chart[] = [];
    const nulls = sw.scenarios.filter((s) => isNull(sw, s));
    const effects = sw.scenarios.filter((s) => !nulls.includes(s));
    sw.vary.forEach((v, i) => {
      if (v.values.length < 2) return;
      const others = sw.vary.filter((_, j) => j !== i);
      const seriesOf = (p: SweepPoint) => others.map((o) => `${o.path} = ${valueText(p.values[o.path])}`).join(', ');
      const rows: CurvePoint[] = [];
      for (const p of sw.points) {
        for (const sc of p.scenarios) {
          for (const o of sc.operatingCharacteristics) rows.push({ x: axisValue(p.values[v.path]!), series: seriesOf(p), scenario: sc.name, analysis: analysisLabel(o), power: n(o.power), lower: n(o.powerLower), upper: n(o.powerUpper), replicates: o.estimable });
        }
      }
      const common = { path: v.path, values: v.values.map(axisValue), seriesTitle: others.length > 0 ? others.map((o) => o.path).join(', ') : null, series: ordered(sw.points.map(seriesOf)), analyses: ordered(rows.map((r) => r.analysis)) };
      const stem = v.path.replace(/[^A-Za-z0-9]+/g, '-');
      if (effects.length > 0) charts.push(powerCurveChart({ ...common, id: `power-${stem}`, scenarios: effects, typeOne: null }, rows.filter((r) => effects.includes(r.scenario))));
      if (nulls.length > 0) charts.push(powerCurveChart({ ...common, id: `type1-${stem}`, scenarios: nulls, typeOne: alphas.length === 1 ? { alpha: alphas[0]! } : null }, rows.filter((r) => nulls.includes(r.scenario))));
    });
    const grid = htmlTable('The grid: the cartesian product of the varied paths (the first varies slowest)', ['Path', 'values'], sw.vary.map((v) => [v.path, v.values.map(valueText).join(', ')]));
    const note = alphas.length > 1 ? `<p>alpha differs between points (${alphas.join(', ')}): no alpha line is drawn.</p>` : '';
    const lead = `<p>Bands and intervals are Clopper-Pearson 95% confidence intervals of each rejection rate (the Monte Carlo error of ${sw.points[0]?.scenarios[0]?.operatingCharacteristics[0]?.estimable ?? 'R'} replicates per point and scenario).${nulls.length > 0 ? ` In ${nulls.join(', ')} (no treatment effect) the rejection rate is the type I error.` : ''}</p>`;
    const seq = sequentialRows(dir).length > 0 ? '<p>The protocol has interim looks: these curves (and the differences below) are each analysis at the study end, the trial followed to its planned end as if it never stopped. The group-sequential design\'s own rejection and expected size are under <a href="#sweep-sequential">The group-sequential design over the grid</a>.</p>' : '';
    return { charts, html: lead + seq + note + grid };
  },
};

/** sweep.csv's rows that carry the group-sequential design's characteristics (the analysis its looks test). */
const sequentialRows = (dir: OutputDir): CsvRow[] => (dir.has('sweep.csv') ? dir.csv('sweep.csv').filter((r) => Number.isFinite(num(r.seq_overall_reject))) : []);

const sequential: ReportSection = {
  id: 'sweep-sequential',
  heading: 'The group-sequential design over the grid',
  kinds: ['sweep'],
  needs: ['summary.json', 'sweep.csv'],
  build(dir) {
    const sw = sweepOf(dir);
    const rows = sequentialRows(dir);
    if (!sw || rows.length === 0) return null;
    const paths = sw.vary.map((v) => v.path);
    const group = (r: CsvRow) => paths.map((p) => `${p} = ${r[p]}`).join(', ');
    const nulls = new Set(sw.scenarios.filter((x) => isNull(sw, x)));
    const chart = designRejectionChart(
      'sweep-sequential',
      'The group-sequential design at each point: rejection and expected patients',
      paths.join(', '),
      ordered(rows.map(group)),
      sw.scenarios,
      rows.map((r) => ({ group: group(r), scenario: r.scenario!, nullScenario: nulls.has(r.scenario!), reject: num(r.seq_overall_reject), rejectMcse: num(r.seq_overall_reject_mcse), patients: num(r.seq_expected_patients), patientsMcse: num(r.seq_expected_patients_mcse) })),
    );
    const mc = (r: CsvRow, c: string, d = 3) => `${fixed(num(r[c]), d)} (${fixed(num(r[`${c}_mcse`]), d)})`;
    const table = htmlTable(
      "The group-sequential design per point and scenario (sweep.csv's seq_ columns; MC SE in brackets)",
      ['Point', ...paths, 'scenario', 'analysis the looks test', 'rejection', 'ignoring futility', 'expected patients', 'expected information', 'expected days'],
      rows.map((r) => [r.point!, ...paths.map((p) => r[p] ?? ''), r.scenario!, analysisLabel({ endpoint: r.endpoint!, role: r.role!, method: r.method!, covariates: r.covariates!, arm: r.arm!, control: r.control! }), mc(r, 'seq_overall_reject'), mc(r, 'seq_reject_ignoring_futility'), mc(r, 'seq_expected_patients', 1), mc(r, 'seq_expected_information', 1), mc(r, 'seq_expected_duration_days', 1)]),
    );
    return { charts: [chart], html: table };
  },
};

const differences: ReportSection = {
  id: 'sweep-differences',
  heading: 'Adjacent points: the gain of common random numbers',
  kinds: ['sweep'],
  needs: ['summary.json'],
  build(dir) {
    const sw = sweepOf(dir);
    if (!sw || sw.differences.length === 0) return null;
    // With several paths, a difference also names the other paths' values (at its from-point).
    const byPoint = new Map(sw.points.map((p) => [p.point, p]));
    const others = (d: SweepDifference) =>
      sw.vary
        .filter((v) => v.path !== d.path && v.values.length > 1)
        .map((v) => `${v.path} = ${valueText(byPoint.get(d.fromPoint)?.values[v.path])}`)
        .join(', ');
    const where = (d: SweepDifference) => (others(d) ? ` (${others(d)})` : '');
    const charts = ordered(sw.differences.map((d) => d.path)).map((path) =>
      pairedDifferenceChart(
        `differences-${path.replace(/[^A-Za-z0-9]+/g, '-')}`,
        `Difference in power between adjacent values of ${path} (95% Monte Carlo intervals)`,
        'Difference in power (to − from)',
        sw.differences.filter((d) => d.path === path && d.difference !== null).map((d) => ({ parts: [`${valueText(d.fromValue)} → ${valueText(d.toValue)}`, others(d), d.scenario, analysisLabel(d)], difference: n(d.difference), pairedSe: n(d.differenceMcse), independentSe: n(d.independentMcse) })),
      ),
    );
    const ratio = (d: SweepDifference) => (n(d.differenceMcse) > 0 ? `${(n(d.independentMcse) / n(d.differenceMcse)).toFixed(1)}x` : 'NA');
    const table = htmlTable(
      'Adjacent points (neighbouring values of one path, the others equal): difference in power, its MC SE from the paired replicates (common random numbers) and with independent draws',
      ['Path', 'from', 'to', 'scenario', 'analysis', 'power from', 'power to', 'difference', 'MC SE', 'independent SE', 'SE ratio'],
      sw.differences.map((d) => [d.path + where(d), valueText(d.fromValue), valueText(d.toValue), d.scenario, analysisLabel(d), fixed(n(d.powerFrom)), fixed(n(d.powerTo)), fixed(n(d.difference)), fixed(n(d.differenceMcse)), fixed(n(d.independentMcse)), ratio(d)]),
    );
    return { charts, html: table };
  },
};

const points: ReportSection = {
  id: 'sweep-points',
  heading: 'Points',
  kinds: ['sweep'],
  needs: ['summary.json'],
  build(dir) {
    const sw = sweepOf(dir);
    if (!sw) return null;
    const paths = sw.vary.map((v) => v.path);
    const folders = htmlTable(
      'Each point is a complete replicate run in its folder (its own report: vtrial report DIR/points/ID)',
      ['Point', ...paths, 'folder', ...sw.scenarios.map((s) => `${s}: enrolled (mean)`)],
      sw.points.map((p) => [String(p.point), ...paths.map((x) => valueText(p.values[x])), `points/${p.id}/`, ...sw.scenarios.map((s) => fixed(p.scenarios.find((x) => x.name === s)?.trial.meanEnrolled ?? NaN, 1))]),
    );
    const rows = sw.points.flatMap((p) => p.scenarios.flatMap((sc) => sc.operatingCharacteristics.map((o) => ({ p, sc: sc.name, o }))));
    const table = htmlTable(
      'Operating characteristics per point, scenario and analysis (as in sweep.csv)',
      ['Point', ...paths, 'scenario', 'analysis', 'replicates', 'power (95% CI)', 'MC SE', 'truth', 'bias', 'coverage'],
      rows.map(({ p, sc, o }) => [String(p.point), ...paths.map((x) => valueText(p.values[x])), sc, analysisLabel(o), String(o.estimable), `${fixed(n(o.power))} (${fixed(n(o.powerLower))}, ${fixed(n(o.powerUpper))})`, fixed(n(o.powerMcse)), fixed(n(o.trueEffect)), fixed(n(o.bias)), fixed(n(o.coverage))]),
    );
    return { charts: [], html: folders + table };
  },
};

export const SWEEP_SECTIONS: readonly ReportSection[] = [curves, sequential, differences, points];
