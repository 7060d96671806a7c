/**
 * A replicate run names each analysis' estimand (README "Intercurrent events and estimands"):
 * operating-characteristics.csv and replicates.csv get a last `estimand` column, summary.json's
 * rows an `estimand` key and the terminal table an estimand column, only when some item declares
 * one (other protocols' outputs are unchanged: test/repo/golden.test.ts). And a replicate run
 * says on stderr that it does not compute an mi item's tipping_point (README "Multiple imputation").
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runVtrial } from '../cli-helper.js';
import { tempDir } from '../helpers.js';
import { OPERATING_CHARACTERISTICS_COLUMNS } from '../../src/replicates/summary.js';
import { RECORD_FILES } from '../../src/io/record-files.js';

const FIXTURES = resolve('test/fixtures/protocols');
const POLICY = join(FIXTURES, 'estimand-policy.yaml');
const OC_COLUMNS = OPERATING_CHARACTERISTICS_COLUMNS.map(([c]) => c);

const csv = (file: string) => parseCsv(readFileSync(file), { columns: true }) as Record<string, string>[];
const header = (file: string) => readFileSync(file, 'utf8').split('\n')[0]!.split(',');
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { scenarios: { operatingCharacteristics: Record<string, unknown>[] }[] };

/** estimand-policy.yaml with its analysis items changed, written to `dir` (cohort path made absolute). */
function variant(dir: string, change: (items: Record<string, any>[]) => void): string {
  const spec = parseYaml(readFileSync(POLICY, 'utf8')) as Record<string, any>;
  spec.cohort = join(FIXTURES, String(spec.cohort));
  change([...spec.analysis.primary, ...spec.analysis.secondary]);
  const file = join(dir, 'protocol.yaml');
  writeFileSync(file, stringifyYaml(spec));
  return file;
}

async function run(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const r = await runVtrial('run', ...args, '--seed', '5', '--workers', '1');
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe('replicate outputs name each analysis\u2019 estimand', () => {
  it('operating-characteristics.csv and replicates.csv end with an estimand column, summary.json and the table carry it, and a merge of shards gives the same files', async () => {
    const dir = tempDir('vtrial-estimand-reps-');
    const { stdout } = await run(POLICY, '--replicates', '4', '--out', join(dir, 'all'));
    const ocFile = join(dir, 'all', 'operating-characteristics.csv');
    expect(header(ocFile)).toEqual([...OC_COLUMNS, 'estimand']);
    const oc = csv(ocFile);
    expect(oc.map((r) => [r.method, r.estimand])).toEqual([['ancova', 'treatment_policy'], ['mi', 'treatment_policy'], ['mmrm', 'hypothetical']]);
    // Each row's truth is its own estimand's: the two treatment-policy rows share one, the hypothetical one is larger in size.
    expect(oc[1]!.true_effect).toBe(oc[0]!.true_effect);
    expect(Number(oc[2]!.true_effect)).toBeLessThan(Number(oc[0]!.true_effect) - 0.3);
    expect(header(join(dir, 'all', 'replicates.csv'))).toEqual([...RECORD_FILES.efficacy.columns, 'estimand']);
    expect(csv(join(dir, 'all', 'replicates.csv')).map((r) => r.estimand)).toEqual(Array.from({ length: 4 }, () => ['treatment_policy', 'treatment_policy', 'hypothetical']).flat());
    const summary = json(join(dir, 'all', 'summary.json'));
    expect(summary.scenarios[0]!.operatingCharacteristics.map((o) => o.estimand)).toEqual(['treatment_policy', 'treatment_policy', 'hypothetical']);
    // The terminal table: an estimand column, last.
    const lines = stdout.split('\n');
    expect(lines.find((l) => l.startsWith('Endpoint'))).toMatch(/^Endpoint\s+analysis\s+comparison\s.*\scoverage\s+estimand$/);
    expect(lines.find((l) => l.includes('mmrm(BASE)'))).toMatch(/mmrm\(BASE\)\s+active vs placebo\s.*\d\s+hypothetical$/);
    expect(lines.find((l) => l.includes('mi(BASE)'))).toMatch(/mi\(BASE\)\s+active vs placebo\s.*\d\s+treatment_policy$/);

    // Shards write the column in their records; the merge reads it back: the same bytes as the unsharded run.
    await run(POLICY, '--replicates', '4', '--shard', '1/2', '--out', join(dir, 's1'));
    await run(POLICY, '--replicates', '4', '--shard', '2/2', '--out', join(dir, 's2'));
    const m = await runVtrial('merge', join(dir, 's1'), join(dir, 's2'), '--out', join(dir, 'merged'));
    expect(m.code, m.stderr).toBe(0);
    for (const f of ['operating-characteristics.csv', 'replicates.csv', 'summary.json']) expect(readFileSync(join(dir, 'merged', f), 'utf8')).toBe(readFileSync(join(dir, 'all', f), 'utf8'));
  });

  it('an item without an estimand has "" in the column; a plan without any has neither the column nor the key', async () => {
    const dir = tempDir('vtrial-estimand-reps-');
    // Only the MMRM item keeps its estimand (the others: no estimand, no post_ice).
    const mixed = variant(tempDir('vtrial-estimand-reps-'), (items) => {
      for (const i of items.slice(0, 2)) {
        delete i.estimand;
        delete i.post_ice;
      }
    });
    await run(mixed, '--replicates', '2', '--out', join(dir, 'mixed'));
    expect(csv(join(dir, 'mixed', 'operating-characteristics.csv')).map((r) => r.estimand)).toEqual(['', '', 'hypothetical']);
    expect(json(join(dir, 'mixed', 'summary.json')).scenarios[0]!.operatingCharacteristics.map((o) => 'estimand' in o)).toEqual([false, false, true]);

    const none = variant(tempDir('vtrial-estimand-reps-'), (items) => {
      for (const i of items) {
        delete i.estimand;
        delete i.post_ice;
      }
    });
    const { stdout } = await run(none, '--replicates', '2', '--out', join(dir, 'none'));
    expect(header(join(dir, 'none', 'operating-characteristics.csv'))).toEqual(OC_COLUMNS);
    expect(header(join(dir, 'none', 'replicates.csv'))).toEqual([...RECORD_FILES.efficacy.columns]);
    expect(readFileSync(join(dir, 'none', 'summary.json'), 'utf8')).not.toContain('"estimand"');
    expect(stdout.split('\n').find((l) => l.startsWith('Endpoint'))).toMatch(/^Endpoint\s+analysis\s+comparison\s.*\scoverage$/);
  });
});

describe('tipping_point in a replicate run', () => {
  it('prints one note on stderr that tipping points are computed in single runs and analyze, not per replicate; a single run and a plan without one print none', async () => {
    const dir = tempDir('vtrial-estimand-tp-');
    const file = variant(dir, (items) => {
      items[1]!.tipping_point = { from: 0, to: 0.4, by: 0.2 };
    });
    const reps = await run(file, '--replicates', '2', '--out', join(dir, 'reps'));
    const notes = reps.stderr.split('\n').filter((l) => l.includes('tipping_point'));
    expect(notes).toEqual(['vtrial: note: tipping_point of analysis secondary 1 (Y mi) is computed in single runs and `vtrial analyze`, not per replicate: each replicate analyses the item at its delta']);
    // A shard says so too.
    const shard = await run(file, '--replicates', '2', '--shard', '1/2', '--out', join(dir, 'shard'));
    expect(shard.stderr).toContain(notes[0]!.slice('vtrial: '.length));
    // A single run computes it (tipping-point.csv) and needs no note.
    const single = await run(file, '--out', join(dir, 'single'));
    expect(single.stderr).not.toContain('tipping_point');
    expect(csv(join(dir, 'single', 'tipping-point.csv')).map((r) => r.delta)).toEqual(['0', '0.2', '0.4']);
    // Without tipping_point: no note.
    const plain = await run(POLICY, '--replicates', '2', '--out', join(dir, 'plain'));
    expect(plain.stderr).not.toContain('tipping_point');
  });
});
