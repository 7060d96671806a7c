/**
 * The output-file registry (src/io/output-files.ts) is the truth about what vtrial writes: every
 * file each command writes is registered for it with the registry's header, and the run writer
 * refuses anything else.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { cohortCommand } from '../../src/app/cohort-command.js';
import { mergeCommand } from '../../src/app/merge-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { runCommand } from '../../src/app/run-command.js';
import { filesOf, foreignEntry, headerMatches, SHARD_FILES, OUTPUT_FILES, outputFile, PATIENT_FILES, type ColumnPart, type OutputKind } from '../../src/io/output-files.js';
import { RunWriter } from '../../src/io/run-writer.js';
import { runCli } from '../../src/cli/index.js';
import { tempDir } from '../helpers.js';

const IDENTICAL = 'test/fixtures/protocols/identical-arms.yaml';
const PROCOVA = 'test/fixtures/protocols/procova-planned.yaml';
const POWER = 'test/fixtures/protocols/power.yaml';

/** Every file below `dir`, relative, with `/` separators. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

const header = (path: string): string[] => readFileSync(path, 'utf8').split('\n')[0]!.split(',');

/** Checks every file of an output directory against the registry; returns the top-level names. */
function checkAgainstRegistry(dir: string, kind: OutputKind): string[] {
  const top: string[] = [];
  for (const rel of files(dir)) {
    const parts = rel.split('/');
    const name = parts[parts.length - 1]!;
    const entry = outputFile(name);
    expect(entry, `${rel} is not in the registry`).toBeDefined();
    if (parts.length === 1) {
      expect(entry!.writtenBy, `${rel} written by ${kind}`).toContain(kind);
      top.push(name);
    } else {
      expect(kind).toBe('replicates');
      expect(parts).toHaveLength(4);
      expect(parts[0]).toBe('patients');
      expect(parts[2]).toMatch(/^replicate-\d{6}$/);
      expect(entry!.patientFile, `${rel} is a patient file`).toBe(true);
    }
    if (name.endsWith('.csv')) expect(headerMatches(entry!.columns!, header(join(dir, rel))), `${rel}: ${header(join(dir, rel)).join(',')}`).toBe(true);
    else expect(entry!.columns, `${rel} is JSON`).toBeUndefined();
  }
  return top;
}

/**
 * Written only when the analysis plan has interim looks (test/replicates/interim-shards.test.ts and the single-run interim
 * tests run them), an mi item's tipping_point (test/methods/mi-tipping.test.ts), or only in the points of screen
 * --trade-offs --replicates (test/app/trade-offs-replicates.test.ts); the writer checks their headers.
 */
const SEQUENTIAL_FILES = new Set(['sequential-characteristics.csv', 'sequential-looks.csv', 'interim-looks.csv', 'tipping-point.csv', 'replicate-ite.csv']);
/** Written only when the protocol has intercurrent_events (checked below on test/fixtures/protocols/estimand-all.yaml). */
const ICE_FILES = new Set(['adice.csv']);
const names = (kind: OutputKind) => filesOf(kind).map((f) => f.name).filter((n) => !SEQUENTIAL_FILES.has(n) && !ICE_FILES.has(n)).sort();
/** adeff.csv's columns without the optional ones (those of intercurrent_events). */
const fixedColumns = (name: string): string[] => outputFile(name)!.columns!.filter((p): p is string => typeof p === 'string');

describe('the output-file registry', () => {
  it('matches headers: fixed columns in order, an optional column at its place, variable columns where they go', () => {
    const adsl = outputFile('adsl.csv')!.columns!;
    const fixed = adsl.filter((p): p is string => typeof p === 'string');
    const [id1, id2, ...status] = fixed;
    expect([id1, id2]).toEqual(['USUBJID', 'SUBJID']);
    expect(status.slice(0, 2)).toEqual(['ELIGFL', 'SCRFCRIT']);
    expect(headerMatches(adsl, [id1!, id2!, 'age', 'sex', ...status])).toBe(true);
    expect(headerMatches(adsl, [id1!, id2!, ...status])).toBe(true);
    expect(headerMatches(adsl, [id1!, id2!, 'age', ...status, 'PROG'])).toBe(true);
    expect(headerMatches(adsl, [id1!, id2!, 'age', ...status, 'PROG', 'PROG'])).toBe(false);
    expect(headerMatches(adsl, [id1!, id2!, 'age', ...status.slice(1)])).toBe(false);
    expect(headerMatches(adsl, [id2!, id1!, 'age', ...status])).toBe(false);
    expect(headerMatches(adsl, [id1!, id2!, 'age', ...status.slice().reverse()])).toBe(false);
    const cf = outputFile('counterfactual.csv')!.columns!;
    expect(headerMatches(cf, ['USUBJID', 'TRTA', 'Y.control', 'Y.active'])).toBe(true);
    expect(headerMatches(cf, ['USUBJID', 'TRTA', 'Y'])).toBe(false);
    const adeff: readonly ColumnPart[] = outputFile('adeff.csv')!.columns!;
    const fixedAdeff = fixedColumns('adeff.csv');
    expect(headerMatches(adeff, fixedAdeff)).toBe(true);
    expect(headerMatches(adeff, [...fixedAdeff, 'ONTRTFL', 'RESCFL'])).toBe(true);
    expect(headerMatches(adeff, [...fixedAdeff, 'EXTRA'])).toBe(false);
    expect(headerMatches(adeff, fixedAdeff.slice(1))).toBe(false);
  });

  it('names each file once; patient files are the ADaM tables of a single run; analyze writes its three files', () => {
    expect(new Set(OUTPUT_FILES.map((f) => f.name)).size).toBe(OUTPUT_FILES.length);
    expect(PATIENT_FILES.map((f) => f.name)).toEqual(['adsl.csv', 'adeff.csv', 'adtte.csv', 'adae.csv', 'adpc.csv', 'adice.csv', 'counterfactual.csv']);
    expect(names('analyze')).toEqual(['efficacy.csv', 'safety.csv', 'summary.json']);
    for (const f of OUTPUT_FILES) expect(f.description).not.toMatch(/\n|\|/);
  });

  it('every file run, run --replicates --keep-patients (whole and sharded), merge and analyze write is registered for that command, with its header', async () => {
    const root = tempDir();
    const single = join(root, 'single');
    await runCommand({ protocolFile: IDENTICAL, seed: 5, out: single, force: false });
    expect(checkAgainstRegistry(single, 'run').sort()).toEqual(names('run'));
    // The variable part of adsl.csv is the cohort's covariates, in the cohort's order.
    const twins = join(root, 'twins.csv');
    await cohortCommand({ cohortFile: 'test/fixtures/protocols/cohort.yaml', n: 1, seed: 1, replicate: 0, format: 'csv', out: twins });
    const covariates = header(twins).slice(1);
    expect(covariates.length).toBeGreaterThan(0);
    expect(header(join(single, 'adsl.csv')).slice(2, 2 + covariates.length)).toEqual(covariates);
    expect(header(join(single, 'adsl.csv'))).not.toContain('PROG');

    const procova = join(root, 'procova');
    await runCommand({ protocolFile: PROCOVA, seed: 5, out: procova, force: false });
    expect(checkAgainstRegistry(procova, 'run').sort()).toEqual(names('run'));
    expect(header(join(procova, 'adsl.csv')).at(-1)).toBe('PROG');

    // With intercurrent_events: adice.csv and the optional ICE columns of adsl.csv and adeff.csv.
    const ice = join(root, 'ice');
    await runCommand({ protocolFile: 'test/fixtures/protocols/estimand-all.yaml', seed: 5, out: ice, force: false });
    expect(checkAgainstRegistry(ice, 'run').sort()).toEqual([...names('run'), 'adice.csv'].sort());
    expect(header(join(ice, 'adeff.csv')).slice(-2)).toEqual(['ONTRTFL', 'RESCFL']);

    const reps = join(root, 'reps');
    await replicatesCommand({ protocolFile: POWER, seed: 5, replicates: 3, workers: 1, keepPatients: 2, out: reps, force: false });
    expect(checkAgainstRegistry(reps, 'replicates').sort()).toEqual(names('replicates'));
    // Two kept replicates of each of the three scenarios, each with every patient file.
    expect(files(reps).filter((f) => f.startsWith('patients/'))).toHaveLength(3 * 2 * (PATIENT_FILES.length - ICE_FILES.size));

    const base = { protocolFile: POWER, seed: 5, replicates: 3, workers: 1, keepPatients: 1, force: false };
    await replicatesCommand({ ...base, shard: { k: 1, n: 2 }, out: join(root, 's1') });
    await replicatesCommand({ ...base, shard: { k: 2, n: 2 }, out: join(root, 's2') });
    expect(checkAgainstRegistry(join(root, 's1'), 'replicates').sort()).toEqual([...SHARD_FILES].sort());
    expect([...SHARD_FILES].sort()).toEqual(['replicate-safety.csv', 'replicate-trials.csv', 'replicates.csv', 'run.json']);
    await mergeCommand([join(root, 's1'), join(root, 's2')], join(root, 'merged'), false);
    expect(checkAgainstRegistry(join(root, 'merged'), 'merge').sort()).toEqual(names('merge'));

    await analyzeCommand({ dir: procova, protocolFile: PROCOVA, out: join(root, 'analysed'), force: false });
    expect(checkAgainstRegistry(join(root, 'analysed'), 'analyze').sort()).toEqual(names('analyze'));
  }, 60_000);

  it('the run writer refuses a file its command does not write, a patient file outside patients/, a wrong header or format', async () => {
    const root = tempDir();
    const table = (name: string, columns: string[]) => ({ name, columns, rows: [] });
    const adeff = fixedColumns('adeff.csv');

    const analyze = RunWriter.open(join(root, 'a'), { force: false, kind: 'analyze' });
    await expect(analyze.json('run.json', {})).rejects.toThrow('internal: run.json is not an output file of analyze in the registry');
    await expect(analyze.table(table('notes.csv', ['x']))).rejects.toThrow('internal: notes.csv is not an output file of analyze');
    analyze.abort();

    const run = RunWriter.open(join(root, 'r'), { force: false, kind: 'run' });
    expect(() => run.open('replicates.csv', ['scenario'])).toThrow('internal: replicates.csv is not an output file of run');
    await expect(run.table(table('adeff.csv', adeff), join('patients', 'base', 'replicate-000001'))).rejects.toThrow('not an output file of run');
    await expect(run.table(table('adeff.csv', [...adeff].reverse()))).rejects.toThrow(/internal: adeff\.csv has the columns ABLFL, .* the registry .* has USUBJID, TRTA, PARAMCD/);
    await expect(run.json('adeff.csv', {})).rejects.toThrow('internal: adeff.csv is registered as a CSV table');
    await expect(run.table(table('summary.json', ['x']))).rejects.toThrow('internal: summary.json is registered as a JSON file');
    await run.table(table('adeff.csv', adeff));
    run.abort();

    const reps = RunWriter.open(join(root, 'p'), { force: false, kind: 'replicates', writesPatients: true });
    await expect(reps.table(table('efficacy.csv', outputFile('efficacy.csv')!.columns as string[]), join('patients', 'base', 'replicate-000001'))).rejects.toThrow('internal: patients/base/replicate-000001/efficacy.csv is not an output file of replicates');
    await expect(reps.table(table('adeff.csv', adeff), join('patients', 'base'))).rejects.toThrow('not an output file of replicates');
    await reps.table(table('adeff.csv', adeff), join('patients', 'base', 'replicate-000001'));
    reps.abort();
    // Nothing refused was created; aborted writers leave no folder behind.
    expect(readdirSync(root)).toEqual([]);
  });

  it('the help of run, merge and analyze lists, under "Output files", exactly the files the registry has for each mode', async () => {
    const help = async (cmd: string): Promise<Map<string, string[]>> => {
      let out = '';
      expect(await runCli(['node', 'vtrial', cmd, '--help'], { stdout: (s) => (out += s), stderr: () => {}, interactive: false })).toBe(0);
      const section = out.split('Output files (README: Output files):\n')[1]!.split('\n\n')[0]!;
      // One mode per labelled line, continued on indented lines.
      const modes = new Map<string, string[]>();
      for (const m of section.replace(/\n {6,}/g, ' ').split('\n')) {
        const [, label, text] = /^ {2}(.+?):\s+(.*)$/.exec(m)!;
        modes.set(label!, text!.split('; ')[0]!.match(/[\w-]+\.(csv|json)/g)!);
      }
      return modes;
    };
    const run = await help('run');
    expect([...run.keys()]).toEqual(['run', 'run --replicates', '--shard k/n']);
    expect(run.get('run')).toEqual(filesOf('run').map((f) => f.name));
    expect(run.get('run --replicates')).toEqual(filesOf('replicates').map((f) => f.name));
    expect(run.get('--shard k/n')).toEqual([...SHARD_FILES]);
    expect((await help('merge')).get('merge')).toEqual(filesOf('merge').map((f) => f.name));
    expect((await help('analyze')).get('analyze')).toEqual(['efficacy.csv', 'tipping-point.csv', 'safety.csv', 'summary.json']);
  });
});

describe('folders a merge replaces whole (foreignEntry)', () => {
  const id = 'p-0123456789ab';
  const points = () => {
    const dir = join(tempDir(), 'points');
    mkdirSync(join(dir, id), { recursive: true });
    for (const f of ['replicates.csv', 'run.json', 'summary.json']) writeFileSync(join(dir, id, f), 'x\n');
    return dir;
  };
  it("points/: only point folders holding vtrial's files; anything else is named", () => {
    expect(foreignEntry(points(), 'points')).toBeNull();
    const stray = points();
    writeFileSync(join(stray, id, 'notes.txt'), 'mine\n');
    expect(foreignEntry(stray, 'points')).toBe(`${id}/notes.txt`);
    const other = points();
    mkdirSync(join(other, 'p-mine'));
    expect(foreignEntry(other, 'points')).toBe('p-mine');
    const hidden = points();
    writeFileSync(join(hidden, '.keep'), '');
    expect(foreignEntry(hidden, 'points')).toBe('.keep');
    const linked = points();
    rmSync(join(linked, id, 'summary.json'));
    symlinkSync(join(linked, id, 'run.json'), join(linked, id, 'summary.json'));
    expect(foreignEntry(linked, 'points')).toBe(`${id}/summary.json`);
  });
  it("a sweep's folder: its files and a points/ as above", () => {
    const sweep = dirname(points());
    writeFileSync(join(sweep, 'sweep.csv'), 'x\n');
    writeFileSync(join(sweep, 'run.json'), 'x\n');
    expect(foreignEntry(sweep, 'sweep')).toBeNull();
    writeFileSync(join(sweep, 'points', id, 'adsl.csv'), 'x\n');
    expect(foreignEntry(sweep, 'sweep')).toBe(`points/${id}/adsl.csv`);
    rmSync(join(sweep, 'points', id, 'adsl.csv'));
    writeFileSync(join(sweep, 'efficacy.csv'), 'x\n');
    expect(foreignEntry(sweep, 'sweep')).toBe('efficacy.csv');
  });
});
