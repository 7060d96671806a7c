/**
 * The report of a group-sequential replicate run (analysis.interim): the chart builders on small
 * hand-made data (marks, data, text alternative, SVG), and the report of a real run of a
 * three-look design for means with a null scenario, its merged shards and a rebuild (same bytes).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { mergeCommand } from '../../src/app/merge-command.js';
import { reportCommand } from '../../src/app/report-command.js';
import { runCommand } from '../../src/app/run-command.js';
import { BOUNDARY_LINES, sequentialBoundaryChart, summariseZ, type BoundaryLook } from '../../src/report/charts/sequential-boundaries.js';
import { cumulativeRejection, cumulativeRejectionChart, rateCi, stoppingChart, type LookStop } from '../../src/report/charts/sequential-stopping.js';
import { expectedChart } from '../../src/report/charts/sequential-expected.js';
import { renderSvg } from '../../src/report/render.js';
import type { VlSpec } from '../../src/report/chart.js';
import { meansProtocol } from '../replicates/interim-helpers.js';
import { tempDir } from '../helpers.js';

type Rec = Record<string, string>;
type Values = Record<string, unknown>[];
type Layer = { transform?: { filter: string }[]; mark: { type: string; filled?: boolean }; encoding: Record<string, { field?: string; datum?: number }> };
const inner = (spec: VlSpec) => (spec.spec as { layer: Layer[] }).layer;
const values = (spec: VlSpec) => (spec.data as { values: Values }).values;

describe('sequential chart builders', () => {
  const looks: BoundaryLook[] = [
    { scenario: 'a', look: 1, plannedFraction: 0.5, meanFraction: 0.52, critical: 2.96, futility: 0, observedCritical: 2.9 },
    { scenario: 'a', look: 2, plannedFraction: 1, meanFraction: 1, critical: 1.97, futility: NaN, observedCritical: 1.98 },
  ];

  it('summarises the z statistics per look (type 7 quantiles, mean observed fraction), leaving out looks not run', () => {
    const rows = [1, 2, 3, 4].map((z) => ({ scenario: 'a', look: 1, z, fraction: z === 4 ? 0.6 : 0.5 }));
    rows.push({ scenario: 'a', look: 2, z: NaN, fraction: NaN }, { scenario: 'a', look: 2, z: -1, fraction: 1 });
    const [one, two] = summariseZ(rows);
    // R: quantile(1:4, c(.05, .25, .5, .75, .95)) = 1.15 1.75 2.50 3.25 3.85.
    expect(one).toMatchObject({ scenario: 'a', look: 1, fraction: 0.525, n: 4, q05: 1.15, q25: 1.75, median: 2.5, q75: 3.25 });
    expect(one!.q95).toBeCloseTo(3.85, 12);
    expect(two).toEqual({ scenario: 'a', look: 2, fraction: 1, n: 1, q05: -1, q25: -1, median: -1, q75: -1, q95: -1 });
  });

  it('draws the design boundary, the observed-information boundary and the futility bound, with the z spread', async () => {
    const spread = summariseZ([{ scenario: 'a', look: 1, z: 3.5, fraction: 0.5 }]);
    const c = sequentialBoundaryChart(['a'], looks, spread, false);
    const v = values(c.spec);
    expect(v.filter((x) => x.layer === 'boundary')).toEqual([
      { layer: 'boundary', scenario: 'a', look: 1, line: BOUNDARY_LINES[0], side: 1, fraction: 0.5, z: 2.96 },
      { layer: 'boundary', scenario: 'a', look: 1, line: BOUNDARY_LINES[1], side: 1, fraction: 0.52, z: 2.9 },
      { layer: 'boundary', scenario: 'a', look: 1, line: BOUNDARY_LINES[2], side: 1, fraction: 0.5, z: 0 },
      { layer: 'boundary', scenario: 'a', look: 2, line: BOUNDARY_LINES[0], side: 1, fraction: 1, z: 1.97 },
      { layer: 'boundary', scenario: 'a', look: 2, line: BOUNDARY_LINES[1], side: 1, fraction: 1, z: 1.98 },
    ]);
    expect(v.filter((x) => x.layer === 'z')).toEqual([{ layer: 'z', scenario: 'a', look: 1, fraction: 0.5, n: 1, q05: 3.5, q25: 3.5, median: 3.5, q75: 3.5, q95: 3.5 }]);
    expect(inner(c.spec).map((l) => l.mark.type)).toEqual(['rule', 'rule', 'rule', 'point', 'line', 'point', 'point']);
    expect(c.description).toContain('a, look 1 at fraction 0.5: boundary 2.96 (observed 2.9), futility 0');
    expect(c.description).toContain('a, look 1: median z 3.5 (5th-95th 3.5 to 3.5) over 1 replicates');
    const svg = await renderSvg({ ...c, id: 'bnd' });
    expect(svg).toContain('<title id="bnd-title">Boundaries on the z scale by information fraction</title>');
    expect(svg).toContain('Information fraction');
    expect(svg).toContain('z statistic (favourable direction, SD units)');
    // Two boundary lines (design, futility) and the spread's rules.
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
    expect(svg).toContain(BOUNDARY_LINES[1]);
  });

  it('mirrors the efficacy boundaries for a two-sided plan and has no spread layers without z statistics', () => {
    const c = sequentialBoundaryChart(['a'], looks.slice(1), [], true);
    expect(values(c.spec).map((x) => [x.line, x.z])).toEqual([
      [BOUNDARY_LINES[0], 1.97],
      [BOUNDARY_LINES[1], 1.98],
      [BOUNDARY_LINES[0], -1.97],
      [BOUNDARY_LINES[1], -1.98],
    ]);
    expect(inner(c.spec).map((l) => l.mark.type)).toEqual(['rule', 'line', 'point', 'point']);
    expect(c.description).toContain('two-sided');
  });

  const stops: LookStop[] = [
    { scenario: 'null', look: 2, fraction: 1, replicates: 200, pEfficacy: 0.02, pFutility: 0 },
    { scenario: 'null', look: 1, fraction: 0.5, replicates: 200, pEfficacy: 0.005, pFutility: 0.54 },
    { scenario: 'base', look: 1, fraction: 0.5, replicates: 100, pEfficacy: 0.5, pFutility: 0.1 },
  ];

  it('stopping probabilities by look and reason with Clopper-Pearson CIs of the counts', async () => {
    // 108 of 200 stopped for futility at look 1: R's binom.test(108, 200)$conf.int = 0.468276102 0.610520570.
    const r = rateCi(0.54, 200);
    expect(r.lower).toBeCloseTo(0.468276102, 8);
    expect(r.upper).toBeCloseTo(0.61052057, 8);
    const c = stoppingChart(['base', 'null'], stops, true);
    expect(inner(c.spec).map((l) => l.mark.type)).toEqual(['bar', 'rule', 'point']);
    expect(values(c.spec).find((x) => x.scenario === 'null' && x.reason === 'futility' && x.look === 'look 1 (0.5)')).toEqual({ scenario: 'null', look: 'look 1 (0.5)', reason: 'futility', p: 0.54, lower: 0.4683, upper: 0.6105, replicates: 200 });
    expect(values(c.spec)).toHaveLength(6);
    expect(values(stoppingChart(['null'], stops, false).spec).map((x) => x.reason)).toEqual(['efficacy', 'efficacy', 'efficacy']);
    const svg = await renderSvg({ ...c, id: 'stop' });
    expect(svg).toContain('Probability of stopping at the look');
    expect(svg).toMatch(/class="mark-rect role-mark/);
    expect(svg).toMatch(/class="mark-rule role-mark/);
  });

  it('cumulative rejection sums the efficacy stops by look within each scenario', () => {
    expect(cumulativeRejection(stops).map((r) => [r.scenario, r.look, r.cum.p])).toEqual([
      ['null', 1, 0.005],
      ['null', 2, 0.025],
      ['base', 1, 0.5],
    ]);
    const c = cumulativeRejectionChart(['base', 'null'], 0.025, stops);
    expect((c.spec.layer as Layer[]).map((l) => l.mark.type)).toEqual(['rule', 'area', 'line', 'point']);
    expect((c.spec.layer as Layer[])[0]!.encoding.y!.datum).toBe(0.025);
    expect(c.description).toContain('null, look 2: 0.025');
  });

  it('expected patients, information and duration: sequential bars with ±1.96 MC SE beside the fixed design', () => {
    const c = expectedChart(['a'], ['Patients randomised (patients)'], [
      { measure: 'Patients randomised (patients)', scenario: 'a', design: 'sequential', value: 100, mcse: 2 },
      { measure: 'Patients randomised (patients)', scenario: 'a', design: 'fixed', value: 150, mcse: NaN },
    ]);
    expect(values(c.spec)).toEqual([
      { measure: 'Patients randomised (patients)', scenario: 'a', design: 'sequential', value: 100, lower: 96.08, upper: 103.9, mcse: 2 },
      { measure: 'Patients randomised (patients)', scenario: 'a', design: 'fixed', value: 150, lower: null, upper: null, mcse: null },
    ]);
    expect(inner(c.spec).map((l) => l.mark.type)).toEqual(['bar', 'rule']);
    expect(c.title).toContain('against fixed design');
  });
});

describe('report of a group-sequential replicate run', () => {
  const root = tempDir();
  const reps = join(root, 'reps');
  const file = meansProtocol({ extra: 'scenarios: [ { name: "null", no_effect: true } ]' });
  const base = { protocolFile: file, seed: 4, replicates: 40, workers: 1, keepPatients: 0, force: false };
  const csv = (dir: string, f: string) => parse(readFileSync(join(dir, f)), { columns: true }) as Rec[];
  const spec = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, 'report', name), 'utf8'));
  let report: Awaited<ReturnType<typeof reportCommand>>;

  beforeAll(async () => {
    await replicatesCommand({ ...base, out: reps });
    report = await reportCommand({ dir: reps });
  });

  it('draws the sequential charts first, then the fixed design\u2019s operating characteristics, without warnings', () => {
    expect(report.warnings).toEqual([]);
    expect(report.charts.map((c) => c.id)).toEqual(['01-sequential-boundaries', '02-sequential-stopping', '03-sequential-cumulative-rejection', '04-sequential-expected', '05-rejection-rates', '06-estimates']);
    const page = readFileSync(join(reps, 'report.html'), 'utf8');
    expect(page).toContain('<h2');
    expect(page).toContain('Group-sequential design');
    expect(page).toContain('<caption>Sequential characteristics per scenario');
    expect(page).toContain('<caption>Per look: the design at the planned fractions');
  });

  it('draws the data of sequential-looks.csv, sequential-characteristics.csv and replicate-trials.csv', () => {
    const looks = csv(reps, 'sequential-looks.csv');
    const chars = csv(reps, 'sequential-characteristics.csv');
    const trials = csv(reps, 'replicate-trials.csv');
    const b = spec(reps, '01-sequential-boundaries.vl.json').data.values as Values;
    for (const l of looks) {
      expect(b.find((v) => v.layer === 'boundary' && v.scenario === l.scenario && v.look === Number(l.look) && v.line === BOUNDARY_LINES[0])!.z).toBeCloseTo(Number(l.critical_value), 3);
      expect(b.find((v) => v.layer === 'boundary' && v.scenario === l.scenario && v.look === Number(l.look) && v.line === BOUNDARY_LINES[1])!.z).toBeCloseTo(Number(l.mean_observed_critical), 3);
    }
    // The median z at look 1 of the base scenario, from every replicate (all reach look 1).
    const z1 = trials.filter((t) => t.scenario === 'base').map((t) => Number(t.look1_z)).sort((x, y) => x - y);
    expect(z1).toHaveLength(40);
    expect(b.find((v) => v.layer === 'z' && v.scenario === 'base' && v.look === 1)).toMatchObject({ n: 40, median: Number(((z1[19]! + z1[20]!) / 2).toPrecision(4)) });
    // The cumulative rejection at the final look is the overall rejection rate.
    const cum = spec(reps, '03-sequential-cumulative-rejection.vl.json').data.values as Values;
    for (const c of chars) expect(cum.filter((v) => v.scenario === c.scenario).at(-1)!.p).toBeCloseTo(Number(c.overall_reject), 4);
    const stop = spec(reps, '02-sequential-stopping.vl.json').data.values as Values;
    expect(stop).toHaveLength(2 * looks.length);
    const e = spec(reps, '04-sequential-expected.vl.json').data.values as Values;
    const fixedPatients = trials.filter((t) => t.scenario === 'null').reduce((s, t) => s + Number(t.enrolled), 0) / 40;
    expect(e.find((v) => v.scenario === 'null' && v.design === 'fixed' && v.measure === 'Patients randomised (patients)')!.value).toBeCloseTo(fixedPatients, 2);
    expect(e.find((v) => v.scenario === 'null' && v.design === 'sequential' && v.measure === 'Patients randomised (patients)')!.value).toBeCloseTo(Number(chars.find((c) => c.scenario === 'null')!.expected_patients), 2);
    // A difference in means: no events, so no fixed-design information bar.
    expect(e.filter((v) => v.measure === 'Information (patients observed)').map((v) => v.design)).toEqual(['sequential', 'sequential']);
  });

  it('is byte-identical when made again; merged shards give the same sequential charts', async () => {
    const before = readFileSync(join(reps, 'report.html'));
    const specs = readdirSync(join(reps, 'report')).map((n) => readFileSync(join(reps, 'report', n)));
    await reportCommand({ dir: reps });
    expect(readFileSync(join(reps, 'report.html')).equals(before)).toBe(true);
    expect(readdirSync(join(reps, 'report')).map((n) => readFileSync(join(reps, 'report', n)))).toEqual(specs);
    await replicatesCommand({ ...base, shard: { k: 1, n: 2 }, out: join(root, 's1') });
    await replicatesCommand({ ...base, shard: { k: 2, n: 2 }, out: join(root, 's2') });
    await mergeCommand([join(root, 's1'), join(root, 's2')], join(root, 'merged'), false);
    const m = await reportCommand({ dir: join(root, 'merged') });
    expect(m.charts.map((c) => c.id).slice(0, 4)).toEqual(report.charts.map((c) => c.id).slice(0, 4));
    for (const c of m.charts.slice(0, 4)) expect(spec(join(root, 'merged'), `${c.id}.vl.json`)).toEqual(spec(reps, `${c.id}.vl.json`));
    // A shard holds no sequential summaries: no sequential section.
    const s = await reportCommand({ dir: join(root, 's1') });
    expect(s.charts.some((c) => c.id.includes('sequential'))).toBe(false);
  });
});

describe('report of a single run of a sequential protocol', () => {
  it('has a single run\u2019s charts and the trial\u2019s z at each look run (interim-looks.csv) against the boundaries', async () => {
    const run = join(tempDir(), 'run');
    await runCommand({ protocolFile: 'protocols/nsclc-sequential.yaml', seed: 42, out: run, force: false });
    const r = await reportCommand({ dir: run });
    expect(r.warnings).toEqual([]);
    expect(r.charts.map((c) => c.id)).toEqual(['01-consort', '02-forest', '03-km-PFS', '04-km-OS', '05-adverse-events', '06-pk', '07-interim-looks']);
    // Seed 42 stops for efficacy at look 1; looks 2 and 3 are not run and have no point.
    const looks = readFileSync(join(run, 'interim-looks.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const col = (name: string) => looks[0]!.indexOf(name);
    expect(looks.slice(1).map((l) => l[col('decision')])).toEqual(['efficacy', 'not run', 'not run']);
    const r4 = (x: string) => Number(Number(x).toPrecision(4));
    const first = looks[1]!;
    const values = JSON.parse(readFileSync(join(run, 'report', '07-interim-looks.vl.json'), 'utf8')).data.values as Values;
    expect(values).toEqual([
      { look: 1, fraction: 0.5, line: 'efficacy boundary', z: r4(first[col('efficacy_bound')]!) },
      { look: 1, fraction: 0.5, line: 'futility bound', z: 0 },
      { look: 1, fraction: 0.5, line: 'the trial\u2019s z', z: r4(first[col('z')]!) },
    ]);
    expect(values[2]!.z).toBeGreaterThan(values[0]!.z as number);
  });
});
