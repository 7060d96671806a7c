/**
 * `vtrial compare` (issue 11 part 3): protocols run with one seed, their operating
 * characteristics side by side, differences from the first with paired (common random numbers)
 * and independent MC SEs, the JSON valid against schemas/compare-summary.schema.json, and
 * --fail-if's exit codes.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { compareCommand, protocolLabels } from '../../src/app/compare-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { pairedDifference } from '../../src/design/paired-difference.js';
import { runCli } from '../../src/cli/index.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file), { columns: true });
const POWER = join(REPO, 'test/fixtures/protocols/power.yaml');
const power = readFileSync(POWER, 'utf8').replace('cohort: cohort.yaml', `cohort: ${JSON.stringify(join(REPO, 'test/fixtures/protocols/cohort.yaml'))}`);

/** power.yaml with its text edited, written into dir. */
function variant(dir: string, name: string, edit: (s: string) => string): string {
  const file = join(dir, name);
  writeFileSync(file, edit(power));
  return file;
}

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['node', 'vtrial', 'compare', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false });
  return { code, stdout, stderr };
}

describe('vtrial compare', () => {
  const dir = tempDir();
  const larger = variant(dir, 'larger.yaml', (s) => s.replace('target: 64', 'target: 96'));
  const out = join(dir, 'cmp');
  const R = 40;

  it('each protocol is its own replicate run; differences from the first use the paired replicates', async () => {
    const r = await compareCommand({ protocolFiles: [POWER, larger], seed: 3, replicates: R, workers: 1, out, force: false });
    expect(r.summary.protocols.map((p) => p.label)).toEqual(['power', 'larger']);
    expect(r.summary.unmatched).toEqual([]);
    // The same seed alone gives the same replicate run: comparing changes nothing.
    const alone = join(dir, 'alone');
    await replicatesCommand({ protocolFile: larger, seed: 3, replicates: R, workers: 2, keepPatients: 0, out: alone, force: false });
    for (const f of ['replicates.csv', 'operating-characteristics.csv', 'summary.json']) expect(readFileSync(join(out, 'larger', f)).equals(readFileSync(join(alone, f))), f).toBe(true);

    const rows = csv(join(out, 'compare.csv'));
    expect(rows.map((x) => [x.protocol, x.scenario, x.null_scenario])).toEqual([
      ['power', 'base', 'N'], ['larger', 'base', 'N'], ['power', 'null', 'Y'], ['larger', 'null', 'Y'], ['power', 'smaller', 'N'], ['larger', 'smaller', 'N'],
    ]);
    const rejects = (label: string, scenario: string) => csv(join(out, label, 'replicates.csv')).filter((x) => x.scenario === scenario).map((x) => (x.reject === 'Y' ? 1 : 0));
    for (const scenario of ['base', 'null', 'smaller']) {
      const a = rejects('power', scenario);
      const b = rejects('larger', scenario);
      expect(a).toHaveLength(R);
      const d = b.map((x, i) => x - a[i]!);
      const mean = d.reduce((s, x) => s + x, 0) / R;
      const se = Math.sqrt(d.reduce((s, x) => s + (x - mean) ** 2, 0) / R / R);
      const row = rows.find((x) => x.protocol === 'larger' && x.scenario === scenario)!;
      const ref = rows.find((x) => x.protocol === 'power' && x.scenario === scenario)!;
      expect(Number(row.power_diff)).toBeCloseTo(Number(row.power) - Number(ref.power), 12);
      expect(Number(row.power_diff_mcse)).toBeCloseTo(se, 12);
      expect(ref.power_diff).toBe('NA');
    }
    // The same twins in both designs: the paired SE of the power difference is below the independent one.
    const base = rows.find((x) => x.protocol === 'larger' && x.scenario === 'smaller')!;
    expect(Number(base.power_diff_mcse)).toBeLessThan(Number(base.power_diff_mcse_independent));
    const trials = csv(join(out, 'compare-trials.csv'));
    expect(trials.find((x) => x.protocol === 'larger' && x.scenario === 'base')!.enrolled_diff).toBe('32');
  });

  it('summary.json follows the shipped JSON Schema', () => {
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(REPO, 'schemas/compare-summary.schema.json'), 'utf8')));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(summary.schema).toBe('vtrial-compare/2');
    // The schema is strict: an unknown key is refused.
    expect(validate({ ...summary, extra: 1 })).toBe(false);
  });

  it('what not every protocol has is listed, not compared', async () => {
    const other = variant(dir, 'other.yaml', (s) => s.replace('method: pooled_t_test', 'method: welch_t_test').replace('name: smaller', 'name: tiny'));
    const r = await compareCommand({ protocolFiles: [POWER, other], seed: 3, replicates: 5, workers: 1, out: join(dir, 'cmp-other'), force: false });
    expect(r.summary.rows).toEqual([]);
    expect(r.summary.unmatched.map((u) => `${u.what} ${u.key} ${u.in.join()}`)).toEqual([
      'scenario smaller power',
      'scenario tiny other',
      'analysis scenario base: Y pooled_t_test active vs control (primary) power',
      'analysis scenario null: Y pooled_t_test active vs control (primary) power',
      'analysis scenario base: Y welch_t_test active vs control (primary) other',
      'analysis scenario null: Y welch_t_test active vs control (primary) other',
    ]);
  });

  it('an endpoint analysed twice by one method is matched occurrence by occurrence, never merged', async () => {
    const twice = (s: string) => s.replace('    - { endpoint: Y, method: pooled_t_test }', '    - { endpoint: Y, method: pooled_t_test }\n  secondary:\n    - { endpoint: Y, method: pooled_t_test, population: completers }\n    - { endpoint: Y, method: pooled_t_test, alpha: 0.01 }');
    const a = variant(dir, 'twice-a.yaml', twice);
    const b = variant(dir, 'twice-b.yaml', (s) => twice(s).replace('target: 64', 'target: 96'));
    const r = await compareCommand({ protocolFiles: [a, b], seed: 3, replicates: 6, workers: 1, out: join(dir, 'cmp-twice'), force: false });
    const base = r.summary.rows.filter((x) => x.scenario === 'base');
    expect(base.map((x) => [x.protocol, x.role])).toEqual([['twice-a', 'primary'], ['twice-b', 'primary'], ['twice-a', 'secondary'], ['twice-b', 'secondary'], ['twice-a', 'secondary'], ['twice-b', 'secondary']]);
    // Each row is its own analysis: the alpha-0.01 one rejects no more often than the other secondary.
    expect(base[4]!.oc.rejections).toBeLessThanOrEqual(base[2]!.oc.rejections);
    expect(r.summary.unmatched).toEqual([]);
    const reps = csv(join(dir, 'cmp-twice', 'twice-b', 'replicates.csv')).filter((x) => x.scenario === 'base' && x.role === 'secondary');
    const second = reps.filter((_, i) => i % 2 === 1).map((x) => (x.reject === 'Y' ? 1 : 0));
    const first = csv(join(dir, 'cmp-twice', 'twice-a', 'replicates.csv')).filter((x) => x.scenario === 'base' && x.role === 'secondary').filter((_, i) => i % 2 === 1).map((x) => (x.reject === 'Y' ? 1 : 0));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(base[5]!.power!.diff).toBeCloseTo(mean(second) - mean(first), 12);
  });

  it('--fail-if: exit 4 naming the protocol and analysis when it holds, 0 when not; NA counts as holding', async () => {
    const a = await cli(POWER, larger, '--replicates', '20', '--seed', '3', '--workers', '1', '--format', 'json', '--fail-if', 'power > 0.5 and type1 < 0.5', '--out', join(dir, 'gate1'));
    expect(a.code).toBe(4);
    const j = JSON.parse(a.stdout);
    expect(j.failIf.holds).toBe(true);
    expect(j.failIf.hits.map((h: { protocol: string }) => h.protocol)).toEqual(['power', 'larger']);
    expect(j.failIf.hits[0].analysis).toBe('Y pooled_t_test active vs control');
    expect(a.stderr).toMatch(/--fail-if holds: power Y pooled_t_test active vs control; larger Y pooled_t_test active vs control/);
    const b = await cli(POWER, larger, '--replicates', '20', '--seed', '3', '--workers', '1', '--quiet', '--fail-if', 'power < 0.1', '--out', join(dir, 'gate2'));
    expect(b.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'gate2', 'summary.json'), 'utf8')).failIf).toEqual({ condition: 'power < 0.1', holds: false, hits: [] });
    const noNull = variant(dir, 'no-null.yaml', (s) => s.replace(/scenarios:[\s\S]*$/, ''));
    const c = await cli(POWER, noNull, '--replicates', '5', '--workers', '1', '--quiet', '--fail-if', 'type1 > 0.5', '--out', join(dir, 'gate3'));
    expect(c.code).toBe(4);
    expect(c.stderr).toMatch(/no-null Y pooled_t_test active vs control \(type1 is NA\)/);
  });

  it('refuses before running: one protocol, a bad condition, an invalid protocol (exit 2, nothing written)', async () => {
    const one = await cli(POWER, '--out', join(dir, 'x1'));
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/needs at least two protocols, found 1/);
    const bad = await cli(POWER, larger, '--fail-if', 'powr < 0.8', '--out', join(dir, 'x2'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fail-if "powr < 0.8": .*powr/);
    const notBool = await cli(POWER, larger, '--fail-if', 'power + 1', '--out', join(dir, 'x3'));
    expect(notBool.code).toBe(2);
    expect(notBool.stderr).toMatch(/must be true\/false/);
    const broken = variant(dir, 'broken.yaml', (s) => s.replace('target: 64', 'target: -1'));
    const inv = await cli(POWER, broken, '--out', join(dir, 'x4'));
    expect(inv.code).toBe(2);
    expect(inv.stderr).toMatch(/broken\.yaml/);
    for (const x of ['x1', 'x2', 'x3', 'x4']) expect(existsSync(join(dir, x))).toBe(false);
  });

  it('a protocol folder in the way is refused before anything runs; a failing protocol is named', async () => {
    const out = join(dir, 'cmp-busy');
    mkdirSync(join(out, 'larger'), { recursive: true });
    writeFileSync(join(out, 'larger', 'mine.txt'), 'mine');
    const r = await cli(POWER, larger, '--replicates', '2', '--workers', '1', '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cmp-busy\/larger is not empty \(the replicate run of protocol larger goes there\)/);
    expect(readdirSync(out).sort()).toEqual(['larger']);
    const short = variant(dir, 'short.yaml', (s) => s.replace('enrolment: { target: 64 }', 'enrolment: { target: 64, max_screened: 64, inclusion: [{ id: half, expr: age >= 55 }] }'));
    const f = await cli(POWER, short, '--replicates', '2', '--workers', '1', '--quiet', '--out', join(dir, 'cmp-short'));
    expect(f.code).toBe(3);
    expect(f.stderr).toMatch(/^vtrial: protocol short: replicate 1 of scenario base: /);
  });

  it('labels are the files\' base names, unique and safe as folder names', () => {
    expect(protocolLabels(['p/patients.yaml', 'q/points.json', 'r/report.yaml'])).toEqual(['protocol_patients', 'protocol_points', 'protocol_report']);
    expect(protocolLabels(['a/t2d.yaml', 'b/t2d.yaml', 'c/t2d.json', 'x/my design.yaml', 'y/..yaml', 'z/compare.csv.yaml', 'w/-x.yaml'])).toEqual(['t2d', 't2d-2', 't2d-3', 'my_design', 'protocol_.', 'protocol_compare.csv', 'protocol_-x']);
  });

  it('pairedDifference: over the replicates where both are finite', () => {
    const d = pairedDifference([1, 0, NaN, 1], [1, 1, 1, 0]);
    expect(d.diff).toBeCloseTo(0, 15);
    expect(d.mcse).toBeCloseTo(Math.sqrt(2 / 3 / 3), 15); // differences 0, 1, -1: variance 2/3 (divisor n), n 3
    // a: 1, 0, 1 (mean 2/3, variance 2/9); b: 1, 1, 0 (the same).
    expect(d.mcseIndependent).toBeCloseTo(Math.sqrt((2 / 9) / 3 + (2 / 9) / 3), 15);
    // The doc example.
    const e = pairedDifference([1, 1, 0, 0], [1, 1, 1, 0]);
    expect([e.diff, e.mcse, e.mcseIndependent].map((x) => +x!.toFixed(4))).toEqual([0.25, 0.2165, 0.3307]);
    expect(pairedDifference([NaN], [1])).toEqual({ diff: null, mcse: null, mcseIndependent: null });
  });
});
