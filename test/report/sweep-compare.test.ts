/**
 * Reports of a sweep and of a comparison, made in-process in temp dirs with `--report` on the
 * commands themselves: a tiny sweep of test/fixtures/protocols/power.yaml over enrolment.target
 * (32, 64) and a comparison of that protocol with a larger one. Checks the charts each kind gets,
 * the data they draw against summary.json, the bands and intervals, a text alternative per
 * chart, no script or external resource, and byte-identical output on a second build.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/app/report-command.js';
import { runCli } from '../../src/cli/index.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

type Values = Record<string, unknown>[];
const POWER = join(REPO, 'test/fixtures/protocols/power.yaml');
const spec = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, 'report', name), 'utf8'));
const page = (dir: string) => readFileSync(join(dir, 'report.html'), 'utf8');
const json = (dir: string, f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));
const layerValues = (s: { data?: { values: Values }; layer: { data?: { values: Values } }[] }, i: number): Values => (s.layer[i]!.data ?? s.data)!.values;

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'vtrial', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false });
  return { code, stdout, stderr };
}

/** Every chart an SVG with role img, <title> and a <desc> of some length; no script, no external resource. */
function expectAccessibleAndSelfContained(html: string, charts: number): void {
  const svgs = html.match(/<svg role="img" aria-labelledby="([^"]+)-title \1-desc"[^>]*><title id="\1-title">[^<]+<\/title><desc id="\1-desc">[^<]{80,}<\/desc>/g);
  expect(svgs).toHaveLength(charts);
  expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|src="/i);
  expect([...new Set(html.match(/https?:\/\/[^"\s<]+/g))].sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
}

describe('report of a sweep', () => {
  const root = tempDir();
  const out = join(root, 'sweep');
  let run: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    run = await cli('sweep', POWER, '--vary', 'enrolment.target=32,64', '-r', '40', '-w', '1', '--seed', '5', '--report', '--out', out);
  });

  it('--report writes the report after the sweep: power and type I error curves, the adjacent differences', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Wrote .*report\.html \(3 charts, \d+ kB\)/);
    expect(readdirSync(join(out, 'report')).filter((n) => !n.startsWith('.'))).toEqual(['01-power-enrolment-target.vl.json', '02-type1-enrolment-target.vl.json', '03-differences-enrolment-target.vl.json']);
  });

  it('draws each point\u2019s power with its Clopper-Pearson band, the null scenario against alpha', () => {
    const summary = json(out, 'summary.json');
    const oc = (point: number, scenario: string) => summary.points[point - 1].scenarios.find((s: { name: string }) => s.name === scenario).operatingCharacteristics[0];
    const power = spec(out, '01-power-enrolment-target.vl.json');
    expect(power.facet.column.sort).toEqual(['base', 'smaller']);
    expect(power.spec.layer.map((l: { mark: { type: string } }) => l.mark.type)).toEqual(['area', 'line', 'point']);
    expect(power.spec.layer[0].encoding.y.field).toBe('lower');
    expect(power.spec.layer[0].encoding.y2.field).toBe('upper');
    const values = power.data.values as Values;
    expect(values.map((v) => [v.x, v.scenario])).toEqual([[32, 'base'], [32, 'smaller'], [64, 'base'], [64, 'smaller']]);
    const at64 = values.find((v) => v.x === 64 && v.scenario === 'base')!;
    expect(at64.power).toBeCloseTo(oc(2, 'base').power, 3);
    expect(at64.lower).toBeCloseTo(oc(2, 'base').powerLower, 3);
    expect(at64.upper).toBeCloseTo(oc(2, 'base').powerUpper, 3);
    expect(at64.lower as number).toBeLessThan(at64.power as number);
    expect(at64.analysis).toBe('Y pooled_t_test · active vs control (primary)');
    const type1 = spec(out, '02-type1-enrolment-target.vl.json');
    expect(type1.facet.column.sort).toEqual(['null']);
    expect(type1.spec.layer[0]).toMatchObject({ mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { datum: 0.05 } } });
    expect((type1.data.values as Values).map((v) => v.power)).toEqual([oc(1, 'null').power, oc(2, 'null').power]);
    expect(type1.description).toContain('alpha = 0.05');
    expect(type1.title.subtitle).toBe('dashed line: alpha = 0.05');
  });

  it('draws each adjacent difference with its paired (CRN) and its independent interval', () => {
    const d = json(out, 'summary.json').differences.find((x: { scenario: string }) => x.scenario === 'base');
    const s = spec(out, '03-differences-enrolment-target.vl.json');
    // What every row shares is said once, under the title; the axis names the scenarios.
    expect(s.title).toEqual({ text: 'Difference in power between adjacent values of enrolment.target (95% Monte Carlo intervals)', subtitle: 'all rows: 32 → 64 · Y pooled_t_test · active vs control (primary)' });
    expect([...new Set(layerValues(s, 1).map((v) => v.label))]).toEqual(['base', 'null', 'smaller']);
    const rows = layerValues(s, 1).filter((v) => v.label === 'base');
    expect(rows.map((r) => r.se)).toEqual(['common random numbers (paired)', 'as independent runs']);
    expect(rows[0]!.difference).toBeCloseTo(d.difference, 3);
    expect(rows[0]!.mcse).toBeCloseTo(d.differenceMcse, 3);
    expect(rows[1]!.mcse).toBeCloseTo(d.independentMcse, 3);
    expect(rows[0]!.upper as number).toBeCloseTo(d.difference + 1.96 * d.differenceMcse, 2);
    // Common random numbers make the paired interval the shorter one.
    expect((rows[0]!.upper as number) - (rows[0]!.lower as number)).toBeLessThan((rows[1]!.upper as number) - (rows[1]!.lower as number));
  });

  it('has the grid, the points with their folders and the manifest as tables; accessible, self-contained, byte-identical', async () => {
    const html = page(out);
    expectAccessibleAndSelfContained(html, 3);
    const ids = json(out, 'run.json').sweep.points.map((p: { id: string }) => p.id);
    for (const id of ids) expect(html).toContain(`points/${id}/`);
    expect(html).toContain('<th scope="row">enrolment.target</th><td>32, 64</td>');
    expect(html).toContain('<title>Power check: sweep over a design grid</title>');
    expect(html).toContain('Run manifest');
    expect(html).toContain('vtrial sweep');
    expect(html).toContain('Clopper-Pearson 95%');
    const again = await reportCommand({ dir: out });
    expect(again.warnings).toEqual([]);
    expect(page(out)).toBe(html);
  });

  it('with two varied paths: a line per value of the other path, and the differences name it', async () => {
    const grid = join(root, 'grid');
    const r = await cli('sweep', POWER, '--vary', 'enrolment.target=32,64', '--vary', 'biomarkers.y.drug_effect.emax=0.3,0.6', '-r', '10', '-w', '1', '--quiet', '--out', grid);
    expect(r.code, r.stderr).toBe(0);
    const report = await reportCommand({ dir: grid });
    expect(report.warnings).toEqual([]);
    expect(report.charts.map((c) => c.id)).toEqual(['01-power-enrolment-target', '02-type1-enrolment-target', '03-power-biomarkers-y-drug-effect-emax', '04-type1-biomarkers-y-drug-effect-emax', '05-differences-enrolment-target', '06-differences-biomarkers-y-drug-effect-emax']);
    const overN = spec(grid, '01-power-enrolment-target.vl.json');
    expect(overN.spec.layer[1].encoding.color).toMatchObject({ field: 'series', title: 'biomarkers.y.drug_effect.emax', sort: ['biomarkers.y.drug_effect.emax = 0.3', 'biomarkers.y.drug_effect.emax = 0.6'] });
    const base = (overN.data.values as Values).filter((v) => v.scenario === 'base');
    expect(base.map((v) => [v.x, v.series])).toEqual([[32, 'biomarkers.y.drug_effect.emax = 0.3'], [32, 'biomarkers.y.drug_effect.emax = 0.6'], [64, 'biomarkers.y.drug_effect.emax = 0.3'], [64, 'biomarkers.y.drug_effect.emax = 0.6']]);
    const overEmax = spec(grid, '03-power-biomarkers-y-drug-effect-emax.vl.json');
    expect(overEmax.spec.layer[1].encoding.x).toMatchObject({ field: 'x', type: 'quantitative', title: 'biomarkers.y.drug_effect.emax', axis: { values: [0.3, 0.6] } });
    const d = spec(grid, '06-differences-biomarkers-y-drug-effect-emax.vl.json');
    expect([...new Set(layerValues(d, 1).map((v) => v.label))]).toEqual(['enrolment.target = 32 · base', 'enrolment.target = 32 · null', 'enrolment.target = 32 · smaller', 'enrolment.target = 64 · base', 'enrolment.target = 64 · null', 'enrolment.target = 64 · smaller']);
    expect(d.title.subtitle).toBe('all rows: 0.3 → 0.6 · Y pooled_t_test · active vs control (primary)');
  });

  it('a shard of a sweep has no report: --report is refused before anything runs', async () => {
    const r = await cli('sweep', POWER, '--vary', 'enrolment.target=32,64', '-r', '4', '-w', '1', '--shard', '1/2', '--report', '--out', join(root, 'shard'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--report: a shard of a sweep has no report');
  });
});

describe('report of a comparison', () => {
  const root = tempDir();
  const out = join(root, 'cmp');
  let run: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    const power = readFileSync(POWER, 'utf8').replace('cohort: cohort.yaml', `cohort: ${JSON.stringify(join(REPO, 'test/fixtures/protocols/cohort.yaml'))}`);
    writeFileSync(join(root, 'power.yaml'), power);
    // Larger, and with an analysis the reference lacks (listed as not compared).
    writeFileSync(join(root, 'larger.yaml'), power.replace('target: 64', 'target: 96').replace('primary:\n', 'primary:\n    - { endpoint: Y, method: welch_t_test }\n'));
    run = await cli('compare', join(root, 'power.yaml'), join(root, 'larger.yaml'), '-r', '40', '-w', '1', '--seed', '3', '--fail-if', 'power < 0.9', '--report', '--out', out);
  });

  it('--report writes the report even when --fail-if holds (exit 4)', () => {
    expect(run.code).toBe(4);
    expect(run.stdout).toMatch(/Wrote .*report\.html \(5 charts, \d+ kB\)/);
    expect(readdirSync(join(out, 'report')).filter((n) => !n.startsWith('.'))).toEqual(['01-power-by-protocol.vl.json', '02-type1-by-protocol.vl.json', '03-power-differences.vl.json', '04-bias-coverage.vl.json', '05-trial-characteristics.vl.json']);
  });

  it('draws power side by side per protocol with its CI, the type I error against alpha', () => {
    const rows = json(out, 'summary.json').rows as { protocol: string; scenario: string; oc: { power: number; powerLower: number; powerUpper: number } }[];
    const s = spec(out, '01-power-by-protocol.vl.json');
    expect(s.layer.map((l: { mark: { type: string } }) => l.mark.type)).toEqual(['bar', 'rule']);
    const bars = layerValues(s, 0);
    expect(bars.map((b) => [b.row, b.protocol])).toEqual([['base', 'power'], ['base', 'larger'], ['smaller', 'power'], ['smaller', 'larger']]);
    expect(s.title.subtitle).toBe('all rows: Y pooled_t_test · active vs control (primary)');
    const larger = rows.find((r) => r.protocol === 'larger' && r.scenario === 'base')!;
    expect(bars[1]).toMatchObject({ rate: larger.oc.power });
    expect(bars[1]!.lower).toBeCloseTo(larger.oc.powerLower, 3);
    expect(bars[1]!.upper).toBeCloseTo(larger.oc.powerUpper, 3);
    expect(s.layer[1].encoding.x2.field).toBe('upper');
    const t1 = spec(out, '02-type1-by-protocol.vl.json');
    expect(layerValues(t1, 0).map((b) => [b.row, b.protocol, b.rate])).toEqual([['null', 'power', rows[2]!.oc.power], ['null', 'larger', rows[3]!.oc.power]]);
    expect(layerValues(t1, 2)).toEqual([{ alpha: 0.05 }]);
    expect(t1.title.subtitle).toBe('all rows: Y pooled_t_test · active vs control (primary); dashed line: alpha = 0.05');
  });

  it('draws the differences from the reference with paired and independent intervals, bias and coverage, and the trials', () => {
    const row = json(out, 'summary.json').rows.find((r: { protocol: string; scenario: string }) => r.protocol === 'larger' && r.scenario === 'base');
    const d = layerValues(spec(out, '03-power-differences.vl.json'), 1).filter((v) => v.label === 'base');
    expect(d.map((v) => v.mcse)).toEqual([Number(row.power.mcse.toPrecision(4)), Number(row.power.mcseIndependent.toPrecision(4))]);
    expect(d[0]!.difference).toBeCloseTo(row.power.diff, 3);
    const acc = spec(out, '04-bias-coverage.vl.json');
    expect(acc.facet.column.sort).toEqual(['Bias (estimate − truth)', 'Coverage of the true effect']);
    const cov = (acc.data.values as Values).find((v) => v.measure === 'Coverage of the true effect' && v.protocol === 'larger' && v.row === 'base')!;
    expect(cov).toMatchObject({ value: row.oc.coverage, ref: 0.95 });
    const trials = spec(out, '05-trial-characteristics.vl.json');
    expect((trials.data.values as Values).filter((v) => v.scenario === 'base').map((v) => [v.protocol, v.screened, v.enrolled])).toEqual([['power', 64, 64], ['larger', 96, 96]]);
  });

  it('lists the protocols and their folders, what was not compared, the --fail-if result and the manifest; accessible, self-contained, byte-identical', async () => {
    const html = page(out);
    expectAccessibleAndSelfContained(html, 5);
    expect(html).toContain('<title>comparison of protocols: power, larger</title>');
    expect(html).toContain('<li>analysis scenario base: Y welch_t_test active vs control (primary): only in larger</li>');
    expect(html).toContain('Condition <code>power &lt; 0.9</code>');
    expect(html).toContain('<strong>holds</strong>');
    expect(html).toContain('<td>larger/</td>');
    expect(html).toMatch(/<th scope="row">protocol larger<\/th><td>.*larger\.yaml \(SHA-256 [0-9a-f]{64}\)<\/td>/);
    const again = await reportCommand({ dir: out });
    expect(again.warnings).toEqual([]);
    expect(page(out)).toBe(html);
  });
});
