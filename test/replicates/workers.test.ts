/**
 * Worker threads compile the run from the plain data the main thread read (RunSource): they read
 * no file, and their records equal the in-process ones.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/app/replicates-command.js';
import { compileRun, type RunSource } from '../../src/replicates/compile-run.js';
import { executeBatches, planBatches } from '../../src/replicates/executor.js';
import type { ReplicateRecord } from '../../src/replicates/replicate.js';
import { fromThread, toThread } from '../../src/replicates/thread-data.js';
import { tempDir } from '../helpers.js';

async function records(source: RunSource, workers: number, replicates: number): Promise<ReplicateRecord[]> {
  const out: ReplicateRecord[] = [];
  const tasks = planBatches({ keepPatients: 0 }, source.scenarios.length, 0, replicates, 1);
  await executeBatches(tasks, { workers, source, run: compileRun(source), onResult: (r) => void out.push(...r.records) });
  return out;
}

describe('workers compile the run from plain data, reading no file', () => {
  it('an empirical cohort, an external control cohort and scenarios that change it: the files are gone before the workers start', async () => {
    const root = tempDir();
    for (const d of ['protocols', 'cohorts']) cpSync(d, join(root, d), { recursive: true });
    const source = loadRun(join(root, 'protocols', 't2d-twin-controls.yaml'), undefined, 5);
    expect(source.cohorts.map((c) => [basename(c.file), c.empirical?.rows])).toEqual([
      ['t2d.yaml', undefined],
      ['t2d-empirical.yaml', 60],
    ]);
    const inProcess = await records(source, 1, 2);
    rmSync(root, { recursive: true });
    const threaded = await records(source, 2, 2);
    expect(threaded.map((r) => [r.scenario, r.replicate])).toEqual(inProcess.map((r) => [r.scenario, r.replicate]));
    expect(threaded).toEqual(inProcess);
    expect(new Set(inProcess.map((r) => r.scenario)).size).toBe(source.scenarios.length);
  });

  it('a prognostic score fitted to a historical CSV (read once for all scenarios) reaches the workers as numbers', async () => {
    const root = tempDir();
    const protocol = join(root, 'p.yaml');
    // The fixture has the scenarios base and null.
    writeFileSync(protocol, readFileSync('test/fixtures/analysis/procova-historical.yaml', 'utf8').replace('cohort: ../protocols/cohort.yaml', `cohort: ${JSON.stringify(resolve('test/fixtures/protocols/cohort.yaml'))}`));
    const rows = Array.from({ length: 40 }, (_, i) => [50 + ((i * 7) % 13), 40 + ((i * 11) % 29)]);
    writeFileSync(join(root, 'historical-controls.csv'), ['y0,age,Y', ...rows.map(([y0, age], i) => `${y0},${age},${y0! + 0.02 * age! + ((i % 5) - 2) / 10}`)].join('\n'));
    const source = loadRun(protocol, undefined, 9);
    expect(source.scenarios.map((s) => s.prognostic!.fit!.n)).toEqual([40, 40]);
    // One read: the scenarios share the fit (a second read would fit a new object).
    expect(source.scenarios[1]!.prognostic!.fit).toBe(source.scenarios[0]!.prognostic!.fit);
    const inProcess = await records(source, 1, 3);
    rmSync(root, { recursive: true });
    expect(await records(source, 2, 3)).toEqual(inProcess);
  });
});

describe('plain data for another thread keeps its null prototypes', () => {
  it('objects keyed by user text come back without a prototype, everything else as it was', () => {
    const covariates = Object.assign(Object.create(null) as Record<string, unknown>, { constructor: { dist: 'normal' }, age: { mean: 55 } });
    const value = { cohorts: [{ spec: { covariates }, numbers: new Float64Array([1.5, -0]) }], shared: covariates };
    const back = fromThread(structuredClone(toThread(value)));
    expect(Object.getPrototypeOf(back.cohorts[0]!.spec.covariates)).toBeNull();
    expect(Object.getPrototypeOf(back.shared)).toBeNull();
    expect('toString' in back.cohorts[0]!.spec.covariates).toBe(false);
    expect(back.cohorts[0]!.spec.covariates.constructor).toEqual({ dist: 'normal' });
    expect(Object.getPrototypeOf(back.cohorts[0]!.spec)).toBe(Object.prototype);
    expect(Object.is(back.cohorts[0]!.numbers[1], -0)).toBe(true);
    expect(back).toEqual(value);
  });

  it('refuses what structured clone would change (class instances) or cannot send (functions)', () => {
    expect(() => toThread({ a: [new Map()] })).toThrow('toThread: a.0 is a Map, not plain data');
    expect(() => toThread({ f: () => 1 })).toThrow('toThread: f is a function, not plain data');
  });

  it('the run of a shipped protocol is plain data', () => {
    const source = loadRun('protocols/t2d-weekly-injectable.yaml', undefined, 1);
    const back = fromThread(structuredClone(toThread(source)));
    expect(Object.getPrototypeOf(back.cohorts[0]!.spec.covariates)).toBeNull();
    expect(Object.keys(back.cohorts[0]!.spec.covariates)).toEqual(Object.keys(source.cohorts[0]!.spec.covariates));
    expect(back).toEqual(source);
  });
});
