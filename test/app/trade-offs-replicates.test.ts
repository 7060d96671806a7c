/**
 * `vtrial screen --trade-offs --replicates R --out DIR`: every criteria variant is a sweep point
 * (common random numbers), so the protocol as written is its plain replicate run, a criterion
 * that excludes no twin changes nothing, and the spread of individual effects is that of the
 * enrolled twins' counterfactual differences.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { screenTradeOffsReplicates } from '../../src/app/screen-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { runCli } from '../../src/cli/index.js';
import type { ReplicatesSummary } from '../../src/replicates/summary.js';
import { tempDir } from '../helpers.js';

const P = 'test/fixtures/protocols/trade-offs.yaml';
const R = 30;
const csv = (f: string) => parse(readFileSync(f), { columns: true }) as Record<string, string>[];
const RECORDS = ['replicates.csv', 'replicate-trials.csv', 'replicate-safety.csv', 'operating-characteristics.csv', 'safety-characteristics.csv', 'summary.json'];

describe('screen --trade-offs --replicates', async () => {
  const root = tempDir();
  const out = join(root, 'trade-offs');
  const run = (extra: { workers?: number } = {}) => screenTradeOffsReplicates({ protocolFile: P, seed: 5, replicates: R, workers: extra.workers ?? 1, out, force: false });
  const r = await run();
  const plain = join(root, 'plain');
  await replicatesCommand({ protocolFile: P, seed: 5, replicates: R, workers: 1, keepPatients: 1, out: plain, force: false });
  const asWritten = r.rows.filter((x) => x.variant === 1);

  it('lists every variant x scenario x primary analysis; the protocol as written is the plain replicate run (same seed), its point folder byte for byte', () => {
    expect(r.scenarios).toEqual(['base', 'null']);
    expect(r.nullScenarios).toEqual(['null']);
    expect(r.rows.map((x) => `${x.variant} ${x.criterion ?? '-'} ${x.change} ${x.scenario}`)).toEqual(
      ['- as written', 'inclusion.older removed', 'inclusion.older threshold moved', 'inclusion.weight_range removed', 'inclusion.weight_range threshold moved', 'exclusion.asia removed', 'exclusion.impossible removed', 'exclusion.impossible threshold moved']
        .flatMap((v, i) => [`${i + 1} ${v} base`, `${i + 1} ${v} null`]),
    );
    const summary = JSON.parse(readFileSync(join(plain, 'summary.json'), 'utf8')) as ReplicatesSummary;
    for (const sc of summary.scenarios) {
      const row = asWritten.find((x) => x.scenario === sc.name)!;
      expect(row.power).toBe(sc.operatingCharacteristics[0]!.power);
      expect(row.powerMcse).toBe(sc.operatingCharacteristics[0]!.powerMcse);
      expect(row.screenFailureRate).toBe(sc.trial.screenFailureRate);
      expect(row.screenedPerEnrolled).toBe(sc.trial.meanScreened / sc.trial.meanEnrolled);
      expect(row.powerDifference).toBeNull();
    }
    const point = join(out, 'points', readdirSync(join(out, 'points')).find((id) => JSON.parse(readFileSync(join(out, 'points', id, 'run.json'), 'utf8')).point.point === 1)!);
    for (const f of RECORDS) expect(readFileSync(join(point, f)).equals(readFileSync(join(plain, f))), f).toBe(true);
    // The effect is real: power well above the type I error.
    expect(asWritten[0]!.power).toBeGreaterThan(0.3);
    expect(asWritten[1]!.power).toBeLessThan(0.15);
  });

  it('removing (or loosening) a criterion that excludes no twin gives the very same numbers, with a paired difference of 0 (MC SE 0)', () => {
    for (const change of ['removed', 'threshold moved']) {
      const rows = r.rows.filter((x) => x.criterion === 'exclusion.impossible' && x.change === change);
      rows.forEach((x, i) => {
        const { variant, criterion, change: c, expr, powerDifference, differenceMcse, independentMcse, iteSdDifference, iteSdDifferenceMcse, ...numbers } = x;
        const { variant: _v, criterion: _c, change: _ch, expr: _e, powerDifference: _p, differenceMcse: _d, independentMcse: _i, iteSdDifference: _s, iteSdDifferenceMcse: _sm, ...base } = asWritten[i]!;
        expect(numbers).toEqual(base);
        expect([powerDifference, differenceMcse, iteSdDifference, iteSdDifferenceMcse]).toEqual([0, 0, 0, 0]);
        expect(independentMcse).toBeGreaterThan(0);
      });
    }
    // A criterion that does exclude twins changes who is enrolled: the screening cost and the effects' spread move.
    const weight = r.rows.find((x) => x.criterion === 'inclusion.weight_range' && x.change === 'removed' && x.scenario === 'base')!;
    expect(weight.screenFailureRate).toBeLessThan(asWritten[0]!.screenFailureRate);
    expect(weight.iteSd!).toBeGreaterThan(asWritten[0]!.iteSd!);
    expect(weight.iteSdDifferenceMcse!).toBeLessThan(weight.iteSdDifference!);
  });

  it("the spread of individual effects is the enrolled twins' counterfactual differences (counterfactual.csv of replicate 1)", () => {
    const cf = csv(join(plain, 'patients', 'base', 'replicate-000001', 'counterfactual.csv'));
    expect(cf).toHaveLength(40);
    const d = cf.map((x) => Number(x['Y.active']) - Number(x['Y.control']));
    const mean = d.reduce((s, v) => s + v, 0) / d.length;
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / (d.length - 1));
    const point = readdirSync(join(out, 'points')).find((id) => JSON.parse(readFileSync(join(out, 'points', id, 'run.json'), 'utf8')).point.point === 1)!;
    const ite = csv(join(out, 'points', point, 'replicate-ite.csv'));
    const first = ite.find((x) => x.scenario === 'base' && x.replicate === '1')!;
    expect(first).toMatchObject({ endpoint: 'Y', arm: 'active', control: 'control', scale: 'difference', n: '40' });
    expect(Number(first.mean)).toBeCloseTo(mean, 10);
    expect(Number(first.sd)).toBeCloseTo(sd, 10);
    expect(sd).toBeGreaterThan(0.05);
    // The row's ITE SD is the mean over replicates of each replicate's SD.
    const sds = ite.filter((x) => x.scenario === 'base').map((x) => Number(x.sd));
    expect(sds).toHaveLength(R);
    expect(asWritten[0]!.iteSd!).toBeCloseTo(sds.reduce((s, v) => s + v, 0) / R, 12);
    // No efficacy: every twin's effect is 0.
    expect(asWritten[1]!.iteSd).toBe(0);
  });

  it('writes trade-offs.csv and summary.json; a re-run resumes (nothing computed) and gives the same bytes, also with 2 workers', async () => {
    expect(readdirSync(out).sort()).toEqual(['points', 'run.json', 'summary.json', 'trade-offs.csv']);
    const rows = csv(join(out, 'trade-offs.csv'));
    expect(rows).toHaveLength(r.rows.length);
    expect(rows[2]).toMatchObject({ variant: '2', criterion: 'inclusion.older', change: 'removed', scenario: 'base', null_scenario: 'N', power: String(r.rows[2]!.power) });
    const before = readFileSync(join(out, 'trade-offs.csv'), 'utf8');
    const again = await run({ workers: 2 });
    expect(again.computed).toEqual([]);
    expect(again.reused).toHaveLength(8);
    expect(readFileSync(join(out, 'trade-offs.csv'), 'utf8')).toBe(before);
  });

  it('the CLI: a table per variant (base scenario, type I error under null); --replicates needs --trade-offs and --out', async () => {
    const printed: string[] = [];
    const io = { stdout: (s: string) => void printed.push(s), stderr: () => undefined, interactive: false };
    expect(await runCli(['node', 'vtrial', 'screen', P, '--trade-offs', '--replicates', String(R), '--seed', '5', '--workers', '1', '--out', out, '--quiet'], io)).toBe(0);
    expect(await runCli(['node', 'vtrial', 'screen', P, '--trade-offs', '--replicates', String(R), '--seed', '5', '--workers', '1', '--out', out], io)).toBe(0);
    const text = printed.join('\n');
    expect(text).toMatch(/type I error/);
    expect(text).toMatch(/exclusion\.impossible +removed .* \+0\.000 \(0\.000\)/);
    expect(text).toMatch(/0 of 8 variants computed, 8 already complete/);
    const err: string[] = [];
    const io2 = { stdout: () => undefined, stderr: (s: string) => void err.push(s), interactive: false };
    expect(await runCli(['node', 'vtrial', 'screen', P, '--trade-offs', '--replicates', '4'], io2)).toBe(2);
    expect(await runCli(['node', 'vtrial', 'screen', P, '--replicates', '4', '--out', join(root, 'x')], io2)).toBe(2);
    expect(err.join('\n')).toMatch(/needs --out DIR[\s\S]*--replicates belongs to --trade-offs/);
  });
});
