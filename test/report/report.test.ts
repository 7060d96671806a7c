/**
 * Reports of real output directories, made in-process in temp dirs: a single run of a small
 * three-arm trial (every chart a run can have), a replicate run, its shards and their merge, and
 * the shipped demo (size bound). Checks the charts each kind gets, the data they draw against the
 * directory's files, a text alternative per chart, byte-identical output, and that no user file
 * is touched.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/run-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { mergeCommand } from '../../src/app/merge-command.js';
import { reportCommand } from '../../src/app/report-command.js';
import { runCli } from '../../src/cli/index.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { SPAGHETTI_PER_ARM } from '../../src/report/sections/run-sections.js';
import { tempDir } from '../helpers.js';

const PROTOCOL = 'test/report/fixtures/small-trial.yaml';
type Rec = Record<string, string>;
const csv = (dir: string, f: string) => parse(readFileSync(join(dir, f)), { columns: true }) as Rec[];
const spec = (dir: string, name: string) => JSON.parse(readFileSync(join(dir, 'report', name), 'utf8'));
const html = (dir: string) => readFileSync(join(dir, 'report.html'), 'utf8');
type Values = Record<string, unknown>[];

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'vtrial', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false });
  return { code, stdout, stderr };
}

describe('report of a single run', () => {
  const root = tempDir();
  const run = join(root, 'run');
  let first: Awaited<ReturnType<typeof reportCommand>>;

  beforeAll(async () => {
    await runCommand({ protocolFile: PROTOCOL, seed: 3, out: run, force: false, argv: ['vtrial', 'run', PROTOCOL] });
    first = await reportCommand({ dir: run });
  });

  it('draws every chart a run has, with its spec beside the page', () => {
    expect(readdirSync(join(run, 'report')).filter((n) => !n.startsWith('.'))).toEqual([
      '01-consort.vl.json',
      '02-forest.vl.json',
      '03-km-TTE.vl.json',
      '04-change-Y.vl.json',
      '05-spaghetti-Y.vl.json',
      '06-adverse-events.vl.json',
      '07-pk.vl.json',
      '08-ite-Y_CHG.vl.json',
      '09-ite-subgroups-Y_CHG.vl.json',
      '10-ite-Y_RESP.vl.json',
      '11-ite-subgroups-Y_RESP.vl.json',
    ]);
    expect(first.kind).toBe('run');
    expect(first.warnings).toEqual([]);
    const page = html(run);
    expect(page.match(/<figure id="fig-/g)).toHaveLength(11);
    for (const name of readdirSync(join(run, 'report')).filter((n) => n.endsWith('.vl.json'))) expect(page).toContain(`href="report/${name}"`);
  });

  it('gives each chart an SVG with <title> and <desc>, and has no script or external resource', () => {
    const page = html(run);
    const svgs = page.match(/<svg role="img" aria-labelledby="([^"]+)-title \1-desc"[^>]*><title id="\1-title">[^<]+<\/title><desc id="\1-desc">[^<]{40,}<\/desc>/g);
    expect(svgs).toHaveLength(11);
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|src="/i);
    // The only URLs are the SVG namespaces.
    const urls = new Set(page.match(/https?:\/\/[^"\s<]+/g));
    expect([...urls].sort()).toEqual(['http://www.w3.org/1999/xlink', 'http://www.w3.org/2000/svg']);
    // Ids are unique in the page (vega's clip-path counters are renumbered per chart).
    const ids = [...page.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws the data of the directory: flow counts, estimates and truths, per-arm KM, a thin spaghetti sample', () => {
    const summary = JSON.parse(readFileSync(join(run, 'summary.json'), 'utf8'));
    const consort = JSON.stringify(spec(run, '01-consort.vl.json'));
    expect(consort).toContain(`Screened (n = ${summary.screening.screened})`);
    for (const a of summary.arms) expect(consort).toContain(`${a.arm} (n = ${a.randomised})`);

    const eff = csv(run, 'efficacy.csv');
    const forest = spec(run, '02-forest.vl.json');
    const drawn = forest.vconcat.flatMap((p: { layer: { data: { values: Values } }[] }) => p.layer[2]!.data.values);
    expect(drawn).toHaveLength(eff.length);
    eff.forEach((r, i) => {
      expect(drawn[i].estimate).toBeCloseTo(Number(r.estimate), 3);
      expect(drawn[i].truth).toBeCloseTo(Number(r.true_effect), 3);
    });

    const km = spec(run, '03-km-TTE.vl.json');
    const arms = new Set((km.layer[0].data.values as Values).map((v) => v.arm));
    expect([...arms]).toEqual(['placebo', 'low', 'high']);
    expect(km.layer[1].mark.shape).toBe('cross');
    expect(html(run)).toMatch(/<table class="risk"><caption>Numbers at risk \(days\)<\/caption>/);

    const spaghetti = spec(run, '05-spaghetti-Y.vl.json').data.values as Values;
    const twins = new Set(spaghetti.map((v) => v.id));
    expect(twins.size).toBe(3 * SPAGHETTI_PER_ARM);
  });

  it('holds the tables: efficacy, safety, screening, manifest with hashes, resolved protocol', () => {
    const page = html(run);
    const manifest = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'));
    for (const caption of ['Efficacy analyses', 'Subjects with adverse events, n (%)', 'Screening: ', 'The run (run.json)', 'Files of the run']) expect(page).toContain(`<caption>${caption}`);
    expect(page).toContain(manifest.protocol.sha256);
    expect(page).toContain(manifest.files['adsl.csv'].sha256);
    expect(page).toContain('<td>vtrial run test/report/fixtures/small-trial.yaml</td>');
    expect(page).toContain('name: Report test trial');
  });

  it('is byte-identical when made again, and keeps the user\u2019s files in report/', async () => {
    const before = readFileSync(join(run, 'report.html'));
    const specs = readdirSync(join(run, 'report')).filter((n) => !n.startsWith('.')).map((n) => readFileSync(join(run, 'report', n)));
    writeFileSync(join(run, 'report', 'notes.txt'), 'mine');
    writeFileSync(join(run, 'report', '99-my-chart.vl.json'), '{}');
    await reportCommand({ dir: run });
    expect(readFileSync(join(run, 'report.html')).equals(before)).toBe(true);
    expect(readdirSync(join(run, 'report')).filter((n) => n.endsWith('.vl.json') && n !== '99-my-chart.vl.json').map((n) => readFileSync(join(run, 'report', n)))).toEqual(specs);
    expect(readFileSync(join(run, 'report', 'notes.txt'), 'utf8')).toBe('mine');
    // A spec-like file vtrial did not write is the user's: never removed.
    expect(readFileSync(join(run, 'report', '99-my-chart.vl.json'), 'utf8')).toBe('{}');
  });

  it('--out writes elsewhere, with specs beside it; an existing --out needs --force', async () => {
    const out = join(root, 'team.html');
    const r = await cli('report', run, '--out', out);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Wrote .*team\.html \(11 charts, \d+ kB\) and the charts' Vega-Lite specifications in .*team\/$/);
    expect(readdirSync(join(root, 'team')).filter((n) => n.endsWith('.vl.json'))).toHaveLength(11);
    expect(readFileSync(out, 'utf8')).toContain('href="team/01-consort.vl.json"');
    await expect(reportCommand({ dir: run, out })).rejects.toThrow(/exists; choose another file or add --force/);
    expect((await cli('report', run, '--out', out, '--force')).code).toBe(0);
  });

  it('a directory that is not a vtrial output is exit 2 with the reason', async () => {
    const plain = join(root, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'notes.txt'), 'x');
    const r = await cli('report', plain);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`vtrial: ${plain} has no run.json: it is not the output directory of a finished vtrial run, run --replicates, merge, analyze, sweep, compare, sample-size PROTOCOL or screen --trade-offs --replicates (run.json, the manifest, is written last: without it the run did not finish)`);
    expect(readdirSync(plain)).toEqual(['notes.txt']);
    expect((await cli('report', join(root, 'missing'))).code).toBe(2);
    await expect(reportCommand({ dir: run, out: join(root, 'x.txt') })).rejects.toThrow(UsageError);
  });
});

describe('report of replicate runs, shards and their merge', () => {
  const root = tempDir();
  const reps = join(root, 'reps');
  const base = { protocolFile: PROTOCOL, seed: 5, replicates: 12, workers: 1, keepPatients: 0, force: false };

  beforeAll(async () => {
    await replicatesCommand({ ...base, out: reps });
    await replicatesCommand({ ...base, shard: { k: 1, n: 2 }, out: join(root, 's1') });
    await replicatesCommand({ ...base, shard: { k: 2, n: 2 }, out: join(root, 's2') });
    await mergeCommand([join(root, 's1'), join(root, 's2')], join(root, 'merged'), false);
  });

  it('draws rejection rates with MC CIs per scenario and analysis, and estimates against the truth', async () => {
    const r = await reportCommand({ dir: reps });
    expect(r.kind).toBe('replicates');
    expect(r.warnings).toEqual([]);
    expect(r.charts.map((c) => c.id)).toEqual(['01-rejection-rates', '02-estimates']);
    const oc = csv(reps, 'operating-characteristics.csv');
    const rates = spec(reps, '01-rejection-rates.vl.json');
    const points = rates.layer[2].data.values as Values;
    expect(points).toHaveLength(oc.length);
    expect(new Set(points.map((p) => p.scenario))).toEqual(new Set(['base', 'null']));
    oc.forEach((o, i) => {
      expect(points[i]!.power).toBeCloseTo(Number(o.power), 3);
      expect(points[i]!.lower).toBeCloseTo(Number(o.power_lower), 3);
      expect(points[i]!.upper).toBeCloseTo(Number(o.power_upper), 3);
    });
    expect(rates.layer[0].data.values).toEqual([{ alpha: 0.05 }]);
    const est = spec(reps, '02-estimates.vl.json');
    const y = est.vconcat[0].data.values as Values;
    const mine = csv(reps, 'replicates.csv').filter((x) => x.endpoint === 'Y_CHG' && x.scenario === 'base' && x.arm === 'low');
    const truth = mine.reduce((s, x) => s + Number(x.true_effect), 0) / mine.length;
    expect(y.find((v) => v.scenario === 'base' && String(v.analysis).startsWith('low vs placebo'))!.truth).toBeCloseTo(truth, 3);
    expect(html(reps)).toContain('<caption>Operating characteristics');
  });

  it('a merged set of shards gives the same charts as the unsharded run; a shard gets what its files allow', async () => {
    const m = await reportCommand({ dir: join(root, 'merged') });
    expect(m.kind).toBe('merge');
    for (const name of ['01-rejection-rates.vl.json', '02-estimates.vl.json']) expect(spec(join(root, 'merged'), name)).toEqual(spec(reps, name));
    expect(html(join(root, 'merged'))).toContain('<th scope="row">merged from</th>');
    const s = await reportCommand({ dir: join(root, 's1') });
    expect(s.kind).toBe('shard');
    expect(s.charts.map((c) => c.id)).toEqual(['01-estimates']);
  });

  it('--report on run --replicates and merge writes the report after the results', async () => {
    const r = await cli('run', PROTOCOL, '--replicates', '4', '--workers', '1', '--keep-patients', '0', '--out', join(root, 'cli'), '--report', '--quiet');
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(join(root, 'cli', 'report')).filter((n) => !n.startsWith('.'))).toEqual(['01-rejection-rates.vl.json', '02-estimates.vl.json']);
    // Without --report, an earlier report is left in place (it is not a file of the run) and named on stderr.
    const again = await cli('run', PROTOCOL, '--replicates', '4', '--workers', '1', '--keep-patients', '0', '--out', join(root, 'cli'), '--force', '--format', 'json');
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`vtrial: note: ${join(root, 'cli', 'report.html')} is the report of earlier results; make it again with \`vtrial report ${join(root, 'cli')}\``);
    expect(existsSync(join(root, 'cli', 'report.html'))).toBe(true);
    const m = await cli('merge', join(root, 's1'), join(root, 's2'), '--out', join(root, 'merged2'), '--report');
    expect(m.code).toBe(0);
    expect(m.stdout).toMatch(/Wrote .*merged2\/report\.html \(2 charts/);
  });
});

describe('report of the shipped demo run', () => {
  it('is under 2 MB and is written by run --report', async () => {
    const out = join(tempDir(), 'demo');
    const r = await cli('run', 'protocols/t2d-weekly-injectable.yaml', '--seed', '7', '--out', out, '--report', '--quiet');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const size = readFileSync(join(out, 'report.html')).length;
    expect(size).toBeGreaterThan(100_000);
    expect(size).toBeLessThan(2 * 1024 * 1024);
  });
});
