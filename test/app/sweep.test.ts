import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parse as parseYaml, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sweepCommand, pointRanges, type SweepOptions } from '../../src/app/sweep-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { mergeCommand } from '../../src/app/merge-command.js';
import { runCli } from '../../src/cli/index.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { EnrolmentShortfall } from '../../src/screening/enrolment-shortfall.js';
import { tempDir } from '../helpers.js';

const POWER = 'test/fixtures/protocols/power.yaml';
const R = 24;
const sweep = (out: string, extra: Partial<SweepOptions> = {}) =>
  sweepCommand({ protocolFile: POWER, vary: ['enrolment.target=32,64,96'], replicates: R, seed: 11, workers: 1, out, force: false, ...extra });
/** Every file below dir (relative paths), run.json manifests aside (they name commands and shards). */
const files = (dir: string, rel = ''): string[] =>
  readdirSync(join(dir, rel)).flatMap((f) => {
    const r = rel ? `${rel}/${f}` : f;
    return statSync(join(dir, r)).isDirectory() ? files(dir, r) : f === 'run.json' ? [] : [r];
  }).sort();
const sameFiles = (a: string, b: string) => {
  expect(files(b)).toEqual(files(a));
  for (const f of files(a)) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
};
const csv = (f: string) => parse(readFileSync(f), { columns: true }) as Record<string, string>[];
/** power.yaml with changes, written to a temp folder (its cohort by absolute path). */
function protocolWith(dir: string, change: (p: Record<string, any>) => void): string {
  const p = parseYaml(readFileSync(POWER, 'utf8')) as Record<string, any>;
  p.cohort = resolve('test/fixtures/protocols/cohort.yaml');
  change(p);
  const f = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(f, stringify(p));
  return f;
}
const RECORDS = ['replicates.csv', 'replicate-trials.csv', 'replicate-safety.csv', 'operating-characteristics.csv', 'safety-characteristics.csv'];

describe('vtrial sweep: common random numbers', async () => {
  const root = tempDir();
  const out = join(root, 'sweep');
  const result = await sweep(out);
  const ids = result.summary!.points.map((p) => p.id);

  it('writes sweep.csv (one row per point x scenario x analysis, the values as columns), sweep-differences.csv, summary.json and a folder per point', () => {
    expect(readdirSync(out).sort()).toEqual(['points', 'run.json', 'summary.json', 'sweep-differences.csv', 'sweep.csv']);
    const rows = csv(join(out, 'sweep.csv'));
    expect(rows).toHaveLength(3 * 3 * 1);
    expect(Object.keys(rows[0]!).slice(0, 4)).toEqual(['point', 'enrolment.target', 'scenario', 'endpoint']);
    expect(rows.map((r) => `${r.point}:${r['enrolment.target']}:${r.scenario}`)).toEqual(['1:32:base', '1:32:null', '1:32:smaller', '2:64:base', '2:64:null', '2:64:smaller', '3:96:base', '3:96:null', '3:96:smaller']);
    expect(rows.every((r) => r.replicates === String(R))).toBe(true);
    expect(readdirSync(join(out, 'points')).sort()).toEqual([...ids].sort());
    expect(result.computed).toEqual(ids);
    expect(result.reused).toEqual([]);
  });

  it("a point's folder is byte for byte the replicate run of the protocol with that value (the protocol's own value: the protocol itself)", async () => {
    const plain = join(root, 'plain-64');
    await replicatesCommand({ protocolFile: POWER, seed: 11, replicates: R, workers: 1, keepPatients: 0, out: plain, force: false });
    for (const f of [...RECORDS, 'summary.json']) expect(readFileSync(join(out, 'points', ids[1]!, f)).equals(readFileSync(join(plain, f))), f).toBe(true);
  });

  it('... and for another value, the same as a protocol file written with it', async () => {
    const plain = join(root, 'plain-96');
    await replicatesCommand({ protocolFile: protocolWith(root, (p) => (p.enrolment.target = 96)), seed: 11, replicates: R, workers: 1, keepPatients: 0, out: plain, force: false });
    for (const f of RECORDS) expect(readFileSync(join(out, 'points', ids[2]!, f)).equals(readFileSync(join(plain, f))), f).toBe(true);
  });

  it('adjacent points: the paired difference in power and its SE, below the SE of independent draws', () => {
    const d = csv(join(out, 'sweep-differences.csv'));
    expect(d.map((r) => `${r.from_point}->${r.to_point} ${r.scenario}`)).toEqual(['1->2 base', '1->2 null', '1->2 smaller', '2->3 base', '2->3 null', '2->3 smaller']);
    const s = csv(join(out, 'sweep.csv'));
    const power = (point: string, scenario: string) => Number(s.find((r) => r.point === point && r.scenario === scenario)!.power);
    for (const r of d) {
      expect(Number(r.power_from)).toBe(power(r.from_point!, r.scenario!));
      expect(Number(r.power_to)).toBe(power(r.to_point!, r.scenario!));
      expect(Number(r.power_difference)).toBeCloseTo(Number(r.power_to) - Number(r.power_from), 12);
    }
    // Power grows with N under the effect; CRN makes its difference's SE smaller than independent draws would.
    const base = d.filter((r) => r.scenario === 'base');
    expect(base.every((r) => Number(r.power_difference) >= 0)).toBe(true);
    expect(base.some((r) => Number(r.difference_mcse) < Number(r.independent_mcse))).toBe(true);
  });

  it('the same with 2 workers and another batch size, byte for byte', async () => {
    const w2 = join(root, 'w2');
    await sweep(w2, { workers: 2, batchSize: 5 });
    sameFiles(out, w2);
  });

  it('resume: with the same inputs only the missing points are computed, and the result is the fresh one', async () => {
    const part = join(root, 'resume');
    const first = await sweep(part, { vary: ['enrolment.target=32,96'] });
    expect(first.computed).toEqual([ids[0], ids[2]]);
    const stamp = statSync(join(part, 'points', ids[0]!, 'run.json')).mtimeMs;
    const second = await sweep(part);
    expect(second.computed).toEqual([ids[1]]);
    expect(second.reused).toEqual([ids[0], ids[2]]);
    expect(second.replicatesRun).toBe(R * 3);
    expect(statSync(join(part, 'points', ids[0]!, 'run.json')).mtimeMs).toBe(stamp);
    sameFiles(out, part);
    const third = await sweep(part);
    expect(third.computed).toEqual([]);
    sameFiles(out, part);
    // A report made of the sweep stays with it and does not stop a resume.
    writeFileSync(join(part, 'report.html'), '<html></html>');
    mkdirSync(join(part, 'report'));
    expect((await sweep(part)).computed).toEqual([]);
  });

  it('resume refuses points computed from other inputs (seed, replicates) unless --force', async () => {
    const part = join(root, 'resume');
    await expect(sweep(part, { seed: 12 })).rejects.toThrow(UsageError);
    await expect(sweep(part, { replicates: R + 1 })).rejects.toThrow(/holds 3 points computed from other inputs .*points\/p-[0-9a-f]{12} \(point 1: enrolment.target=32\)/);
    const forced = await sweep(part, { seed: 12, force: true });
    expect(forced.computed).toEqual(ids);
  });

  it('a directory holding something else is refused without --force', async () => {
    const other = join(root, 'other');
    await replicatesCommand({ protocolFile: POWER, seed: 11, replicates: 2, workers: 1, keepPatients: 0, out: other, force: false });
    await expect(sweep(other)).rejects.toThrow(/not a sweep's files/);
  });

  it('--shard k/n over points x replicates, merged by vtrial merge, equals the unsharded sweep', async () => {
    expect(pointRanges(3, 24, { k: 2, n: 5 })).toEqual([[14, 24], [0, 4], [0, 0]]);
    const shards = [1, 2, 3, 4, 5].map((k) => join(root, `shard${k}`));
    for (const [i, dir] of shards.entries()) {
      const r = await sweep(dir, { shard: { k: i + 1, n: 5 }, workers: i === 1 ? 2 : 1 });
      expect(r.summary).toBeNull();
    }
    expect(readdirSync(shards[1]!).sort()).toEqual(['points', 'run.json']);
    expect(readdirSync(join(shards[1]!, 'points', ids[1]!)).sort()).toEqual(['replicate-safety.csv', 'replicate-trials.csv', 'replicates.csv', 'run.json']);
    const merged = join(root, 'merged');
    await mergeCommand([...shards].reverse(), merged, false);
    sameFiles(out, merged);
    await expect(mergeCommand(shards.slice(0, 4), join(root, 'bad'), false)).rejects.toThrow(/shard4\/points\/p-[0-9a-f]{12}: replicates 10-24 are missing \(no shard covers them\)/);
  });
});

describe('vtrial sweep: points, values and the sweeps: section', () => {
  const root = tempDir();

  it('every point is checked before any simulation; all problems at once, naming the point and path; nothing is written', async () => {
    const out = join(root, 'bad');
    const err = await sweep(out, { vary: ['enrolment.target=32,0,-5', 'biomarkers.y.residual_sd=1,oops'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpecError);
    const m = (err as Error).message;
    expect(m).toMatch(/point 3 \(enrolment.target=0, biomarkers.y.residual_sd=1\)/);
    expect(m).toMatch(/point 6 \(enrolment.target=-5, biomarkers.y.residual_sd=oops\)/);
    expect(m).toMatch(/point 2 \(enrolment.target=32, biomarkers.y.residual_sd=oops\)/);
    expect(m).toMatch(/enrolment\.target/);
    expect(existsSync(out)).toBe(false);
  });

  it('a path the protocol cannot hold is reported at its point', async () => {
    await expect(sweep(join(root, 'bad2'), { vary: ['endpoints.3.visit=Week 4'] })).rejects.toThrow(/point 1 \(endpoints.3.visit=Week 4\): endpoints is a list of 1; expected an index 0 to 0, found 3/);
    await expect(sweep(join(root, 'bad3'), { vary: ['enrolment.nonsense=1'] })).rejects.toThrow(/power.yaml:6:\d+  enrolment.nonsense: point 1 \(enrolment.nonsense=1\): unknown key/);
  });

  it('exit code 2 from the command line', async () => {
    const err: string[] = [];
    const code = await runCli(['node', 'vtrial', 'sweep', POWER, '--vary', 'enrolment.target=0', '-r', '2', '--out', join(root, 'cli')], { stdout: () => undefined, stderr: (s) => void err.push(s), interactive: false });
    expect(code).toBe(2);
    expect(err.join('')).toMatch(/point 1 \(enrolment.target=0\)/);
    const none: string[] = [];
    expect(await runCli(['node', 'vtrial', 'sweep', POWER, '-r', '2', '--out', join(root, 'cli')], { stdout: () => undefined, stderr: (s) => void none.push(s), interactive: false })).toBe(2);
    expect(none.join('')).toMatch(/nothing to vary/);
  });

  it('a point that cannot enrol its target is exit code 3 naming the point; the points completed before it are kept for a re-run', async () => {
    const file = protocolWith(root, (p) => (p.enrolment.inclusion = [{ id: 'old', expr: 'age >= 70' }]));
    const out = join(root, 'shortfall');
    const o = { protocolFile: file, replicates: 2, seed: 3, workers: 1, scenario: 'base', out, force: false };
    const err = await sweepCommand({ ...o, vary: ['enrolment.max_screened=5000,70'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnrolmentShortfall);
    expect((err as Error).message).toMatch(/^point 2 \(enrolment.max_screened=70\), replicate 1 of scenario base: /);
    expect(readdirSync(join(out, 'points'))).toHaveLength(1);
    const again = await sweepCommand({ ...o, vary: ['enrolment.max_screened=5000,6000'] });
    expect(again.reused).toHaveLength(1);
    expect(again.computed).toHaveLength(1);
  });

  it('--shard auto from a Kubernetes Indexed Job environment; the shards merge on the command line into the sweep', async () => {
    const args = (out: string) => ['node', 'vtrial', 'sweep', POWER, '--vary', 'enrolment.target=32,64', '-r', '4', '--workers', '1', '--scenario', 'base', '--shard', 'auto', '--shards', '2', '-q', '--out', out];
    const io = (index: string, out: string[] = []) => ({ stdout: (s: string) => void out.push(s), stderr: (s: string) => void out.push(s), interactive: false, env: { JOB_COMPLETION_INDEX: index } });
    for (const index of ['0', '1']) expect(await runCli(args(join(root, `k8s-${index}`)), io(index))).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'k8s-1', 'run.json'), 'utf8')).shard).toEqual({ k: 2, n: 2 });
    const printed: string[] = [];
    expect(await runCli(['node', 'vtrial', 'merge', join(root, 'k8s-0'), join(root, 'k8s-1'), '--out', join(root, 'k8s-merged')], io('0', printed))).toBe(0);
    expect(printed.join('')).toMatch(/Sweep of test\/fixtures\/protocols\/power.yaml: 2 points x 1 scenario, 4 replicates each[\s\S]*Merged 2 shards/);
    const whole = join(root, 'k8s-whole');
    expect(await runCli(args(whole).filter((a, i, all) => !['--shard', '--shards'].includes(a) && !['--shard', '--shards'].includes(all[i - 1]!)), io('0'))).toBe(0);
    sameFiles(whole, join(root, 'k8s-merged'));
    const err: string[] = [];
    expect(await runCli(args(join(root, 'k8s-none')), { ...io('0', err), env: {} })).toBe(2);
    expect(err.join('')).toMatch(/no array-job environment found/);
  });

  it('text values: enrolment criteria and cohort files', async () => {
    const file = protocolWith(root, (p) => (p.enrolment.inclusion = [{ id: 'adult', expr: 'age >= 18' }]));
    const r = await sweepCommand({
      protocolFile: file,
      vary: ['enrolment.inclusion.0.expr=age >= 18,age >= 60', `cohort=${resolve('test/fixtures/protocols/cohort.yaml')},${resolve('test/fixtures/protocols/cohort-shifted.yaml')}`],
      replicates: 4,
      seed: 3,
      workers: 1,
      scenario: 'base',
      out: join(root, 'criteria'),
      force: false,
    });
    const screened = r.summary!.points.map((p) => p.scenarios[0]!.trial.meanScreened);
    expect(r.summary!.points).toHaveLength(4);
    // Stricter criteria screen more twins for the same target.
    expect(screened[2]!).toBeGreaterThan(2 * screened[0]!);
    // The cohort of each point: its run.json records the file it read.
    const cohortOf = (i: number) => JSON.parse(readFileSync(join(root, 'criteria', 'points', r.summary!.points[i]!.id, 'run.json'), 'utf8')).cohort.file as string;
    expect([0, 1, 2, 3].map(cohortOf).map((f) => f.split('/').pop())).toEqual(['cohort.yaml', 'cohort-shifted.yaml', 'cohort.yaml', 'cohort-shifted.yaml']);
  });

  it("the protocol's sweeps: section makes a design file self-contained; --vary and --replicates override it", async () => {
    const file = protocolWith(root, (p) => (p.sweeps = { vary: { 'enrolment.target': '32:64:32' }, replicates: 6 }));
    const own = await sweepCommand({ protocolFile: file, vary: [], seed: 1, workers: 1, scenario: 'base', out: join(root, 'own'), force: false });
    expect(own.summary!.points.map((p) => p.values)).toEqual([{ 'enrolment.target': 32 }, { 'enrolment.target': 64 }]);
    expect(own.summary!.replicates).toBe(6);
    const over = await sweepCommand({ protocolFile: file, vary: ['biomarkers.y.drug_effect.emax=0.2,0.4'], replicates: 3, seed: 1, workers: 1, scenario: 'base', out: join(root, 'over'), force: false });
    expect(over.summary!.vary).toEqual([{ path: 'biomarkers.y.drug_effect.emax', values: [0.2, 0.4] }]);
    expect(over.summary!.replicates).toBe(3);
    await expect(sweepCommand({ protocolFile: protocolWith(root, (p) => (p.sweeps = { vary: { 'enrolment.target': [] } })), vary: [], seed: 1, workers: 1, out: join(root, 'empty'), force: false })).rejects.toThrow(/sweeps.vary.enrolment.target: expected at least 1 value/);
  });
});
