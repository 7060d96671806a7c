import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/usage-error.js';
import { isVtrialPatientsDir } from '../../src/io/output-files.js';
import { backupPath, createStaging, interruptedPublication, LOCK, publicationSteps, publish, recover, recoverStaleStaging, stagingPath } from '../../src/io/staging.js';
import { snapshotTree } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

/** DIR with a complete old run (run.json, two tables, vtrial's patients/) and a user's file. */
function oldRun(): string {
  const dir = join(tempDir(), 'out');
  mkdirSync(join(dir, 'patients', 'base', 'replicate-000001'), { recursive: true });
  writeFileSync(join(dir, 'patients', 'base', 'replicate-000001', 'adsl.csv'), 'old patients\n');
  writeFileSync(join(dir, 'replicates.csv'), 'old replicates\n');
  writeFileSync(join(dir, 'summary.json'), '{"old":true}\n');
  writeFileSync(join(dir, 'run.json'), '{"run":"old"}\n');
  writeFileSync(join(dir, 'notes.txt'), 'the user\'s notes\n');
  return dir;
}

/** Stages a new run (different files: adsl.csv is new, replicates.csv is gone). */
function stageNew(dir: string): void {
  const s = createStaging(dir);
  writeFileSync(join(s, 'adsl.csv'), 'new adsl\n');
  writeFileSync(join(s, 'summary.json'), '{"new":true}\n');
  writeFileSync(join(s, 'run.json'), '{"run":"new"}\n');
}

const REPLACED = ['adsl.csv', 'replicates.csv', 'summary.json', 'run.json', 'patients'];
const visible = (dir: string) => new Map([...snapshotTree(dir)].filter(([p]) => !p.startsWith('.')));

describe('publication protocol: a crash after any step leaves the old or the new complete result', () => {
  // Expected complete states.
  const before = oldRun();
  const OLD = visible(before);
  const after = oldRun();
  stageNew(after);
  publish(after, 'run.json', REPLACED);
  const NEW = visible(after);

  it('a finished publication has exactly the new files, the user\'s file, and no staging', () => {
    expect([...NEW.keys()].sort()).toEqual(['adsl.csv', 'notes.txt', 'run.json', 'summary.json']);
    expect(readdirSync(after).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  const steps = (() => {
    const d = oldRun();
    stageNew(d);
    return publicationSteps(d, 'run.json', REPLACED).length;
  })();
  it.each(Array.from({ length: steps + 1 }, (_, k) => k))('killed after %i steps: run.json present means complete; recovery restores old or keeps new', (k) => {
    const dir = oldRun();
    stageNew(dir);
    const all = publicationSteps(dir, 'run.json', REPLACED);
    for (const step of all.slice(0, k)) step();
    // What a reader sees at the crash: with run.json, exactly one complete result.
    const seen = visible(dir);
    if (existsSync(join(dir, 'run.json'))) expect([OLD, NEW].some((m) => JSON.stringify([...m]) === JSON.stringify([...seen]))).toBe(true);
    const published = !existsSync(join(stagingPath(dir), 'run.json')); // the new marker has left staging
    expect(interruptedPublication(dir) !== null).toBe(k >= 1 && !published);
    // A later process finds the staging of a dead process and recovers (here: same pid, called directly).
    recover(dir, process.pid);
    const now = visible(dir);
    expect(JSON.stringify([...now])).toBe(JSON.stringify([...(published ? NEW : OLD)]));
    expect(existsSync(stagingPath(dir)) || existsSync(backupPath(dir))).toBe(false);
    // Idempotent: recovering again changes nothing.
    recover(dir, process.pid);
    expect(JSON.stringify([...visible(dir)])).toBe(JSON.stringify([...now]));
  });

  it('a publication that fails midway (a folder appeared in the way) is rolled back in-process', () => {
    const dir = oldRun();
    const s = createStaging(dir);
    mkdirSync(join(s, 'patients', 'x'), { recursive: true });
    writeFileSync(join(s, 'run.json'), '{"run":"new"}\n');
    // patients/ is not in `replaced` (a user's folder), so moving the new one in fails.
    expect(() => publish(dir, 'run.json', ['run.json'])).toThrow();
    expect(JSON.stringify([...visible(dir)])).toBe(JSON.stringify([...OLD]));
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('stale staging of other processes', () => {
  it('a dead process\'s staging is recovered; a live one\'s makes the command refuse', () => {
    const dir = oldRun();
    const dead = 2 ** 22 + 12345; // above Linux's pid_max default: never a live process
    mkdirSync(stagingPath(dir, dead));
    writeFileSync(join(stagingPath(dir, dead), 'run.json'), 'new');
    writeFileSync(join(stagingPath(dir, dead), '.journal'), JSON.stringify({ marker: 'run.json', entries: ['run.json'] }));
    mkdirSync(backupPath(dir, dead));
    writeFileSync(join(backupPath(dir, dead), 'run.json'), '{"run":"old"}\n');
    const old = visible(dir);
    old.set('run.json', snapshotTree(backupPath(dir, dead)).get('run.json')!);
    recoverStaleStaging(dir, false);
    expect(JSON.stringify([...visible(dir)])).toBe(JSON.stringify([...old]));
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);

    mkdirSync(stagingPath(dir, process.ppid));
    expect(() => recoverStaleStaging(dir, true)).toThrow(UsageError);
    expect(() => recoverStaleStaging(dir, true)).toThrow(/being written by another process \(pid \d+/);
  });
});

describe('a reused process id', () => {
  it('staging whose pid now belongs to a process that is not Node is recovered, not a reason to refuse', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      await new Promise((r) => sleeper.once('spawn', r));
      const dir = oldRun();
      mkdirSync(stagingPath(dir, sleeper.pid!));
      writeFileSync(join(stagingPath(dir, sleeper.pid!), 'replicates.csv'), 'partial');
      recoverStaleStaging(dir, false);
      expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    } finally {
      sleeper.kill();
    }
  });
});

describe('patients/ belongs to vtrial only with vtrial\'s layout', () => {
  it.each([
    [['base/replicate-000001/adsl.csv', 'null/replicate-000002/adae.csv'], true],
    [[], true],
    [['alice.csv'], false],
    [['base/replicate-000001/notes.txt'], false],
    [['base/replicate-1/adsl.csv'], false],
    [['base/replicate-000001/deep/adsl.csv'], false],
  ])('%j -> %s', (files, ours) => {
    const d = join(tempDir(), 'patients');
    mkdirSync(d);
    for (const f of files) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), 'x');
    }
    expect(isVtrialPatientsDir(d)).toBe(ours);
  });
});

describe('publication lock', () => {
  it('publications take turns: a lock left by a crashed publisher is taken over, one held by a live process is waited for', () => {
    const dir = oldRun();
    stageNew(dir);
    writeFileSync(join(dir, LOCK), `${2 ** 22 + 12345}\n`); // a pid no process has
    publish(dir, 'run.json', REPLACED);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(visible(dir).has('adsl.csv')).toBe(true);
  });
});

describe('recovery never loses the previous result', () => {
  it('a backup left without its journal (a rollback that failed half-way) is restored, marker last', () => {
    const dir = oldRun();
    const OLD = visible(dir);
    const dead = 2 ** 22 + 777;
    // The old run.json and replicates.csv had been moved to the backup, and the staging is gone.
    mkdirSync(backupPath(dir, dead));
    for (const f of ['run.json', 'replicates.csv']) renameSync(join(dir, f), join(backupPath(dir, dead), f));
    expect(existsSync(join(dir, 'run.json'))).toBe(false);
    recoverStaleStaging(dir, false);
    expect(JSON.stringify([...visible(dir)])).toBe(JSON.stringify([...OLD]));
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
