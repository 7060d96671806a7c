import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { cohortCommand } from '../../src/app/cohort-command.js';
import { EnrolmentShortfall } from '../../src/screening/enrolment-shortfall.js';
import { UsageError } from '../../src/errors/usage-error.js';
import { mergeCommand } from '../../src/app/merge-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { runCommand } from '../../src/app/run-command.js';
import { DataError } from '../../src/errors/data-error.js';
import { tempDir } from '../helpers.js';

const IDENTICAL = 'test/fixtures/protocols/identical-arms.yaml';
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const tree = (d: string) => new Map(readdirSync(d, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name), sha(join(e.parentPath, e.name))]));

describe('output directories (issue 9, items 7, 13, 14, 16)', () => {
  it('a --force re-run that fails leaves the previous results byte-identical; a single run never touches a user\'s patients/', async () => {
    const d = join(tempDir(), 'run');
    await runCommand({ protocolFile: IDENTICAL, seed: 7, out: d, force: false });
    mkdirSync(join(d, 'patients'));
    writeFileSync(join(d, 'patients', 'alice.csv'), 'mine');
    const before = tree(d);
    const fail = join(tempDir(), 'fail.yaml');
    writeFileSync(fail, readFileSync(IDENTICAL, 'utf8').replace('cohort: cohort.yaml', `cohort: ${join(process.cwd(), 'test/fixtures/protocols/cohort.yaml')}`).replace(/enrolment:.*\n/, 'enrolment: { target: 10, max_screened: 10, inclusion: [{ id: never, expr: age > 500 }] }\n'));
    await expect(runCommand({ protocolFile: fail, seed: 7, out: d, force: true })).rejects.toThrow(EnrolmentShortfall);
    expect(tree(d)).toEqual(before);
    await runCommand({ protocolFile: IDENTICAL, seed: 8, out: d, force: true });
    expect(readFileSync(join(d, 'patients', 'alice.csv'), 'utf8')).toBe('mine');
    expect(readdirSync(d).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('run.json records rows and SHA-256 of every file; merge checks them and refuses a truncated shard naming it', async () => {
    const root = tempDir();
    const base = { protocolFile: 'test/fixtures/protocols/power.yaml', seed: 3, replicates: 8, workers: 1, keepPatients: 0, force: false, scenario: 'base' };
    await replicatesCommand({ ...base, shard: { k: 1, n: 2 }, out: join(root, 's1') });
    await replicatesCommand({ ...base, shard: { k: 2, n: 2 }, out: join(root, 's2') });
    const m = JSON.parse(readFileSync(join(root, 's2', 'run.json'), 'utf8'));
    for (const f of ['replicates.csv', 'replicate-trials.csv', 'replicate-safety.csv']) expect(m.files[f].sha256).toBe(sha(join(root, 's2', f)));
    expect(m.files['replicate-trials.csv'].rows).toBe(4);
    const trials = join(root, 's2', 'replicate-trials.csv');
    writeFileSync(trials, readFileSync(trials, 'utf8').split('\n').slice(0, -2).join('\n') + '\n');
    const err = await mergeCommand([join(root, 's1'), join(root, 's2')], join(root, 'm'), false).catch((e) => e);
    expect(err).toBeInstanceOf(DataError);
    expect(err.message).toMatch(/s2\/replicate-trials\.csv: has 3 rows .* run\.json records 4 rows/);
    expect(readdirSync(root).sort()).toEqual(['s1', 's2']);
  });

  it('cohort and analyze refuse existing outputs without --force and inputs always, before the work', async () => {
    const dir = tempDir();
    const out = join(dir, 'twins.csv');
    writeFileSync(out, 'mine');
    const o = { cohortFile: 'test/fixtures/protocols/cohort.yaml', n: 3, seed: 1, replicate: 0, format: 'csv' as const };
    await expect(cohortCommand({ ...o, out })).rejects.toThrow(UsageError);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    await cohortCommand({ ...o, out, force: true });
    expect(readFileSync(out, 'utf8').split('\n')).toHaveLength(5);
    await expect(cohortCommand({ ...o, out: o.cohortFile, force: true })).rejects.toThrow(/is an input of this command/);

    const run = join(dir, 'run');
    await runCommand({ protocolFile: IDENTICAL, seed: 2, out: run, force: false });
    const before = tree(run);
    // A run directory is never the output of analyze, with or without --force.
    await expect(analyzeCommand({ dir: run, protocolFile: IDENTICAL, force: true })).rejects.toThrow(/is a vtrial run's directory/);
    expect(tree(run)).toEqual(before);
    const out2 = join(dir, 'analysed');
    await analyzeCommand({ dir: run, protocolFile: IDENTICAL, out: out2 });
    expect(tree(run)).toEqual(before);
    await expect(analyzeCommand({ dir: run, protocolFile: IDENTICAL, out: out2 })).rejects.toThrow(/already has efficacy\.csv, safety\.csv, summary\.json/);
    await analyzeCommand({ dir: run, protocolFile: IDENTICAL, out: out2, force: true });
    // The same plan on the run's own tables gives its efficacy.csv byte for byte.
    expect(readFileSync(join(out2, 'efficacy.csv'), 'utf8')).toBe(readFileSync(join(run, 'efficacy.csv'), 'utf8'));
  });
});
