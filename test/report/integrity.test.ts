/**
 * The report reads only what the run wrote: every file its manifest records (run.json; an
 * analyze output's summary.json) is checked (present, size, SHA-256) before anything is drawn, and
 * a directory it does not know is refused (exit 2) rather than drawn as an empty report. Also the
 * kinds that have their own charts: a simulated sample-size search, the criteria trade-offs with
 * replicates, and sweeps and comparisons of a group-sequential design (the design's rejection).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { compareCommand } from '../../src/app/compare-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { reportCommand } from '../../src/app/report-command.js';
import { runCommand } from '../../src/app/run-command.js';
import { sampleSizeSimulation } from '../../src/app/sample-size-simulation.js';
import { screenTradeOffsReplicates } from '../../src/app/screen-command.js';
import { sweepCommand } from '../../src/app/sweep-command.js';
import { r4 } from '../../src/report/chart.js';
import { pnorm } from '../../src/stats/distributions.js';
import { runVtrial } from '../cli-helper.js';
import { tempDir } from '../helpers.js';

const SMALL = 'test/report/fixtures/small-trial.yaml';
type Rec = Record<string, string>;
type Values = Record<string, unknown>[];
type Layer = { data?: { values?: Values }; mark: { type: string } | string; encoding?: Record<string, { field?: string }> };
const csv = (dir: string, f: string) => parse(readFileSync(join(dir, f)), { columns: true }) as Rec[];
const spec = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, 'report', name), 'utf8')) as { data?: { values: Values }; layer?: Layer[]; hconcat?: { layer: Layer[] }[] };
const markOf = (l: Layer) => (typeof l.mark === 'string' ? l.mark : l.mark.type);
const copyDir = (from: string, to: string) => {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (f !== 'report.html' && f !== 'report') copyFileSync(join(from, f), join(to, f));
};

describe('report: the files are checked against the manifest first', () => {
  const root = tempDir();
  const reps = join(root, 'reps');
  const fresh = (name: string) => {
    const d = join(root, name);
    copyDir(reps, d);
    return d;
  };

  beforeAll(async () => {
    await replicatesCommand({ protocolFile: SMALL, seed: 2, replicates: 6, workers: 1, keepPatients: 0, out: reps, force: false });
  });

  it('a truncated replicates.csv: exit 2 naming it and its size against run.json, and no report is written (the intact copy reports)', async () => {
    const intact = await runVtrial('report', fresh('intact'));
    expect([intact.code, intact.stderr]).toEqual([0, '']);
    const d = fresh('truncated');
    const full = readFileSync(join(d, 'replicates.csv')).length;
    truncateSync(join(d, 'replicates.csv'), full - 100);
    const r = await runVtrial('report', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`replicates.csv: ${full - 100} bytes where run.json records ${full} (the file was truncated after the run)`);
    expect(existsSync(join(d, 'report.html'))).toBe(false);
  });

  it('a file changed in place (same size): exit 2, its SHA-256 differs', async () => {
    const d = fresh('edited');
    const text = readFileSync(join(d, 'operating-characteristics.csv'), 'utf8');
    // One digit of a power changed: the same number of bytes.
    const edited = text.replace(/,0\.(\d)/, (_, x: string) => `,0.${x === '9' ? '8' : String(Number(x) + 1)}`);
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    writeFileSync(join(d, 'operating-characteristics.csv'), edited);
    const r = await runVtrial('report', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("operating-characteristics.csv: SHA-256 differs from run.json's (the file was changed after the run)");
  });

  it('a deleted file: exit 2 naming it (every problem listed at once)', async () => {
    const d = fresh('deleted');
    rmSync(join(d, 'safety-characteristics.csv'));
    truncateSync(join(d, 'replicate-trials.csv'), 10);
    const r = await runVtrial('report', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('safety-characteristics.csv: missing (run.json records it: deleted or moved after the run)');
    expect(r.stderr).toContain('replicate-trials.csv: 10 bytes where run.json records');
  });

  it('no run.json (an interrupted run, or not vtrial\'s): exit 2 saying so', async () => {
    const d = fresh('no-manifest');
    rmSync(join(d, 'run.json'));
    const r = await runVtrial('report', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has no run.json');
    expect(r.stderr).toContain('without it the run did not finish');
  });

  it('a single run without its run.json is an unfinished run, not an analyze output of an older vtrial', async () => {
    const run = join(root, 'single-no-manifest');
    await runCommand({ protocolFile: SMALL, seed: 3, out: run, force: false });
    rmSync(join(run, 'run.json'));
    const r = await runVtrial('report', run);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${run} has no run.json`);
    expect(r.stderr).not.toContain('older vtrial');
  });

  it('a run.json the report does not know: exit 2, never an empty report', async () => {
    const d = join(root, 'unknown');
    mkdirSync(d);
    writeFileSync(join(d, 'run.json'), JSON.stringify({ vtrial: '0.1.0', seed: 1, files: {} }));
    const r = await runVtrial('report', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does not describe an output the report knows');
    expect(existsSync(join(d, 'report.html'))).toBe(false);
  });

  it('a run.json without file records (no SHA-256 to check against): exit 2', async () => {
    const d = fresh('no-records');
    const m = JSON.parse(readFileSync(join(d, 'run.json'), 'utf8'));
    delete m.files;
    writeFileSync(join(d, 'run.json'), JSON.stringify(m));
    const r = await runVtrial('report', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("does not record its files' sizes and SHA-256");
  });

  it('a recorded name that is not a file of the directory (../x) is refused, not looked up', async () => {
    const d = fresh('outside');
    const m = JSON.parse(readFileSync(join(d, 'run.json'), 'utf8'));
    m.files['../reps/replicates.csv'] = m.files['replicates.csv'];
    writeFileSync(join(d, 'run.json'), JSON.stringify(m));
    const r = await runVtrial('report', d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"../reps/replicates.csv": not a file name of the directory');
  });

  it('a file the manifest does not record is not read (a stray interim-looks.csv beside a single run draws nothing)', async () => {
    const run = join(root, 'single');
    await runCommand({ protocolFile: SMALL, seed: 3, out: run, force: false });
    const clean = await reportCommand({ dir: run });
    writeFileSync(join(run, 'interim-looks.csv'), 'look,fraction,z,efficacy_bound,futility_bound\n1,0.5,1.2,2.96,0\n2,1,2.1,1.97,NA\n');
    const report = await reportCommand({ dir: run });
    expect(report.charts.map((c) => c.id)).toEqual(clean.charts.map((c) => c.id));
    expect(report.charts.some((c) => c.id.includes('interim'))).toBe(false);
    rmSync(join(run, 'interim-looks.csv'));
  });

  it("an analyze output's summary.json records its tables: a truncated efficacy.csv is refused", async () => {
    const run = join(root, 'single');
    const out = join(root, 'analyzed');
    await analyzeCommand({ protocolFile: SMALL, dir: run, out });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.files['efficacy.csv'].bytes).toBe(readFileSync(join(out, 'efficacy.csv')).length);
    expect((await runVtrial('report', out)).code).toBe(0);
    truncateSync(join(out, 'efficacy.csv'), 50);
    const r = await runVtrial('report', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('efficacy.csv: 50 bytes where summary.json records');
  });
});

describe('report of a simulated sample-size search', () => {
  const out = join(tempDir(), 'n');
  let report: Awaited<ReturnType<typeof reportCommand>>;

  beforeAll(async () => {
    await sampleSizeSimulation({ protocolFile: 'test/fixtures/protocols/sample-size-normal.yaml', power: 0.8, replicates: 100, pilotReplicates: 50, seed: 1, workers: 1, out, force: false });
    report = await reportCommand({ dir: out });
  }, 120_000);

  it('draws the simulated points with their MC SE, the fitted probit curve, the target and the chosen N with its interval, from the files', () => {
    expect(report.kind).toBe('sample-size');
    expect(report.warnings).toEqual([]);
    expect(report.charts.map((c) => c.id)).toEqual(['01-sample-size']);
    const rows = csv(out, 'sample-size-search.csv');
    const answer = JSON.parse(readFileSync(join(out, 'sample-size.json'), 'utf8'));
    const layers = spec(out, '01-sample-size.vl.json').layer!;
    expect(layers.map(markOf)).toEqual(['rect', 'rule', 'rule', 'line', 'rule', 'point']);
    const points = layers[5]!.data!.values!;
    const sorted = [...rows].sort((a, b) => Number(a.n) - Number(b.n));
    expect(points.map((p) => [p.n, p.power, p.replicates, p.round])).toEqual(sorted.map((r) => [Number(r.n), Number(r.power), Number(r.replicates), Number(r.round)]));
    expect(points.map((p) => p.mcse)).toEqual(sorted.map((r) => r4(Number(r.power_mcse))));
    expect(points.map((p) => p.upper)).toEqual(sorted.map((r) => r4(Number(r.power) + 1.959963984540054 * Number(r.power_mcse))));
    expect(layers[0]!.data!.values).toEqual([{ from: r4(answer.nInterval[0]), to: r4(answer.nInterval[1]) }]);
    expect(layers[1]!.data!.values).toEqual([{ target: 0.8 }]);
    expect(layers[2]!.data!.values).toEqual([{ chosen: answer.n }]);
    // The curve is the fit of sample-size.json: at each simulated N it is the CSV's fitted_power.
    const curve = layers[3]!.data!.values! as { n: number; fitted: number }[];
    for (const c of curve) expect(c.fitted).toBe(r4(pnorm(answer.fit.a + answer.fit.b * Math.log(c.n))));
    for (const r of rows) {
      const near = curve.reduce((best, c) => (Math.abs(c.n - Number(r.n)) < Math.abs(best.n - Number(r.n)) ? c : best));
      expect(Math.abs(near.fitted - Number(r.fitted_power))).toBeLessThan(0.01);
    }
    const page = readFileSync(report.file, 'utf8');
    expect(page).toContain(`<th scope="row">chosen N</th><td class="n">${answer.n}</td>`);
    expect(page).not.toContain('undefined');
  });
});

describe('report of the criteria trade-offs with replicates', () => {
  const out = join(tempDir(), 't');
  let report: Awaited<ReturnType<typeof reportCommand>>;

  beforeAll(async () => {
    await screenTradeOffsReplicates({ protocolFile: 'test/fixtures/protocols/trade-offs.yaml', seed: 5, replicates: 30, workers: 1, out, force: false });
    report = await reportCommand({ dir: out });
  }, 120_000);

  it('draws each variant\'s screening cost and its power change with the paired MC SE, from trade-offs.csv', () => {
    expect(report.kind).toBe('trade-offs');
    expect(report.warnings).toEqual([]);
    expect(report.charts.map((c) => c.id)).toEqual(['01-trade-offs-screening', '02-trade-offs-power']);
    const rows = csv(out, 'trade-offs.csv');
    const base = rows.filter((r) => r.scenario === 'base');
    const asWritten = Number(base[0]!.screen_failure_rate);
    const screening = spec(out, '01-trade-offs-screening.vl.json').data!.values;
    expect(screening.map((v) => [v.screen_failure_rate, v.change_pp, v.screened_per_enrolled])).toEqual(base.map((r) => [r4(Number(r.screen_failure_rate)), r4(100 * (Number(r.screen_failure_rate) - asWritten)), r4(Number(r.screened_per_enrolled))]));
    expect(screening.map((v) => v.variant)).toEqual(['(protocol as written)', 'inclusion.older removed', 'inclusion.older threshold moved: age >= 45.0', 'inclusion.weight_range removed', 'inclusion.weight_range threshold moved: weight >= 63.0 and weight <= 110.0', 'exclusion.asia removed', 'exclusion.impossible removed', 'exclusion.impossible threshold moved: age > 550.0']);
    // Power change: every row but the protocol as written, paired and independent MC SE.
    const power = spec(out, '02-trade-offs-power.vl.json').layer![2]!.data!.values!;
    const diffs = rows.filter((r) => r.power_difference !== 'NA');
    expect(diffs).toHaveLength(rows.length - 2);
    expect(power.filter((v) => v.se === 'common random numbers (paired)').map((v) => [v.difference, v.mcse])).toEqual(diffs.map((r) => [r4(Number(r.power_difference)), r4(Number(r.difference_mcse))]));
    expect(power.filter((v) => v.se === 'as independent runs').map((v) => v.mcse)).toEqual(diffs.map((r) => r4(Number(r.independent_mcse))));
    expect(readFileSync(report.file, 'utf8')).not.toContain('undefined');
  });
});

describe('reports of a sweep and a comparison of a group-sequential design', () => {
  const root = tempDir();
  const P = 'test/fixtures/protocols';

  it("a sweep draws the design's rejection and expected patients per point from sweep.csv's seq_ columns", async () => {
    const out = join(root, 'sweep');
    await sweepCommand({ protocolFile: `${P}/sample-size-sequential.yaml`, vary: ['enrolment.target=120,200'], replicates: 30, seed: 2, workers: 1, out, force: false });
    const report = await reportCommand({ dir: out });
    expect(report.warnings).toEqual([]);
    expect(report.charts.map((c) => c.id)).toContain('03-sweep-sequential');
    const rows = csv(out, 'sweep.csv').filter((r) => r.seq_overall_reject !== 'NA');
    expect(rows).toHaveLength(4);
    const values = spec(out, '03-sweep-sequential.vl.json').data!.values;
    expect(values.map((v) => [v.group, v.reject, v.reject_mcse, v.patients])).toEqual(rows.map((r) => [`enrolment.target = ${r['enrolment.target']}`, r4(Number(r.seq_overall_reject)), r4(Number(r.seq_overall_reject_mcse)), r4(Number(r.seq_expected_patients))]));
    expect(readFileSync(report.file, 'utf8')).toContain('these curves (and the differences below) are each analysis at the study end');
  }, 120_000);

  it("a comparison draws each design's rejection from compare-designs.csv and its paired difference", async () => {
    const out = join(root, 'cmp');
    await compareCommand({ protocolFiles: [`${P}/sample-size-sequential.yaml`, `${P}/sample-size-normal.yaml`], seed: 2, replicates: 30, workers: 1, out, force: false });
    const report = await reportCommand({ dir: out });
    expect(report.warnings).toEqual([]);
    const rows = csv(out, 'compare-designs.csv');
    expect(report.charts.map((c) => c.id).slice(3, 5)).toEqual(['04-compare-designs', '05-design-differences']);
    expect(spec(out, '04-compare-designs.vl.json').data!.values.map((v) => [v.group, v.reject, v.patients])).toEqual(rows.map((r) => [`${r.protocol} · ${r.design}`, r4(Number(r.reject)), r4(Number(r.mean_patients))]));
    const paired = spec(out, '05-design-differences.vl.json').layer![2]!.data!.values!.filter((v) => v.se === 'common random numbers (paired)');
    const withDiff = rows.filter((r) => r.reject_diff !== 'NA');
    expect(paired.map((v) => [v.difference, v.mcse])).toEqual(withDiff.map((r) => [r4(Number(r.reject_diff)), r4(Number(r.reject_diff_mcse))]));
  }, 120_000);

  it("the replicate runs inside a sweep and a comparison are checked too: a point folder deleted, a protocol's file edited (exit 2, naming them)", async () => {
    // Reuses the two directories above (vitest runs a file's tests in order).
    const sweep = join(root, 'sweep');
    const point = readdirSync(join(sweep, 'points')).sort()[0]!;
    rmSync(join(sweep, 'points', point), { recursive: true });
    const r = await runVtrial('report', sweep);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${sweep}: points/${point}/ is missing (run.json records it`);
    const cmp = join(root, 'cmp');
    writeFileSync(join(cmp, 'sample-size-normal', 'replicates.csv'), 'edited\n', { flag: 'a' });
    const c = await runVtrial('report', cmp);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`${join(cmp, 'sample-size-normal')}: its files are not the ones the run wrote`);
    expect(c.stderr).toMatch(/replicates\.csv: \d+ bytes where run\.json records \d+ \(the file was changed after the run\)/);
  });
});
