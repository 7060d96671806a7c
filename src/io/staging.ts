/**
 * The publication protocol of an output directory DIR. A reader can always tell complete from
 * incomplete, and a crash at any point (even SIGKILL) leaves the previous complete result or the
 * new one, never a mix (files are fsynced before they are published):
 *
 *  1. Every new file is written into DIR/.vtrial-staging-PID/ (same filesystem, so renames are
 *     atomic), completeness marker (run.json; summary.json for `analyze`) included.
 *  2. Publication, all synchronous (no signal handler can run in between): write the journal
 *     (the staged names) into the staging folder; move the old marker, then the other old files
 *     vtrial may replace, into DIR/.vtrial-backup-PID/; move the new files in; move the new
 *     marker in last; delete the backup and the staging folder.
 *  3. A marker in DIR means complete: it leaves DIR first and arrives last.
 *  4. Recovery, before any command writes into DIR: staging of a process that is no longer
 *     running (same host) is rolled back (journal but new marker not yet in: the new files go back
 *     to staging, the backup comes back, marker last) or cleaned up (no journal: nothing was
 *     published; marker in: publication finished). Recovery is idempotent. Staging of a live
 *     process, or of another host, makes the command refuse (exit 2); --force takes over staging
 *     of another host.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors/usage-error.js';

export const STAGING_PREFIX = '.vtrial-staging-';
export const BACKUP_PREFIX = '.vtrial-backup-';
const JOURNAL = '.journal';
const OWNER = '.owner';

interface Journal {
  marker: string;
  entries: string[];
}

export const stagingPath = (dir: string, pid = process.pid): string => join(dir, `${STAGING_PREFIX}${pid}`);
export const backupPath = (dir: string, pid = process.pid): string => join(dir, `${BACKUP_PREFIX}${pid}`);

/** Whether a process with this id runs on this machine. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether this id may still be a vtrial process: alive, and (where /proc tells) a Node process. */
export function writerAlive(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  try {
    return /node|vtrial/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (macOS) or no access: assume it is
  }
}

/** Flushes a folder's entries (the renames) to disk, where the platform allows it. */
function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported for folders on every platform; the renames are still atomic.
  }
}

/** Creates this process's staging folder in DIR and records its owner. */
export function createStaging(dir: string): string {
  const s = stagingPath(dir);
  try {
    mkdirSync(s);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UsageError(`${dir} is already being written by this process`);
    throw err;
  }
  writeFileSync(join(s, OWNER), `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`);
  return s;
}

/** Staging and backup folders of other processes in DIR, by pid. */
function stalePids(dir: string, includeSelf = false): number[] {
  const pids = new Set<number>();
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const m = /^\.vtrial-(?:staging|backup)-(\d+)$/.exec(name);
    if (m && (includeSelf || Number(m[1]) !== process.pid)) pids.add(Number(m[1]));
  }
  return [...pids].sort((a, b) => a - b);
}

function ownerHost(dir: string, pid: number): string | null {
  try {
    return (JSON.parse(readFileSync(join(stagingPath(dir, pid), OWNER), 'utf8')) as { host?: string }).host ?? null;
  } catch {
    return null;
  }
}

/**
 * Recovers DIR from the staging of crashed vtrial processes (see the protocol above). Refuses
 * (UsageError) while another vtrial process may still be writing into DIR.
 */
export function recoverStaleStaging(dir: string, force: boolean): void {
  removeStaleLock(dir);
  for (const pid of stalePids(dir)) {
    const host = ownerHost(dir, pid);
    const foreign = host !== null && host !== hostname();
    if (foreign && !force) throw new UsageError(`${join(dir, `${STAGING_PREFIX}${pid}`)}: a vtrial process on ${host} (pid ${pid}) was writing into ${dir}; if it is no longer running, add --force to recover the directory`);
    if (!foreign && writerAlive(pid)) throw new UsageError(`${dir} is being written by another process (pid ${pid}, see ${join(dir, `${STAGING_PREFIX}${pid}`)}); wait for it to finish or stop it`);
    recover(dir, pid);
  }
}

/** Rolls an unfinished publication of process `pid` back, or cleans up after a finished one. */
export function recover(dir: string, pid: number): void {
  const s = stagingPath(dir, pid);
  const b = backupPath(dir, pid);
  const journal = readJournal(s);
  if (!journal && existsSync(b)) {
    // A backup without a journal: a rollback that failed half-way, after which the staging (and its
    // journal) went. The backup holds the previous result: bring back what DIR lacks, marker last.
    const old = readdirSync(b).filter((e) => !existsSync(join(dir, e)));
    const markers: string[] = old.filter((e) => e === 'run.json' || e === 'summary.json');
    for (const e of [...old.filter((x) => !markers.includes(x)), ...markers]) renameSync(join(b, e), join(dir, e));
  }
  if (journal && existsSync(join(s, journal.marker))) {
    // The new marker never arrived: put the new files back into staging, the old ones back into DIR.
    for (const e of journal.entries) if (!existsSync(join(s, e)) && existsSync(join(dir, e))) renameSync(join(dir, e), join(s, e));
    const old = existsSync(b) ? readdirSync(b) : [];
    for (const e of old.filter((x) => x !== journal.marker)) renameSync(join(b, e), join(dir, e));
    if (old.includes(journal.marker)) renameSync(join(b, journal.marker), join(dir, journal.marker));
  }
  rmSync(b, { recursive: true, force: true });
  rmSync(s, { recursive: true, force: true });
}

function readJournal(s: string): Journal | null {
  try {
    return JSON.parse(readFileSync(join(s, JOURNAL), 'utf8')) as Journal;
  } catch {
    return null;
  }
}

/**
 * The steps of publishing this process's staging folder into DIR, in order (each one rename or
 * one folder operation, so a crash falls between two of them): `replaced` are the existing names
 * of DIR to move away. Exposed so tests can stop after any step and check recovery.
 */
export function publicationSteps(dir: string, marker: string, replaced: readonly string[]): (() => void)[] {
  const s = stagingPath(dir);
  const b = backupPath(dir);
  const entries = readdirSync(s).filter((e) => e !== JOURNAL && e !== OWNER);
  if (!entries.includes(marker)) throw new Error(`internal: ${marker} was not staged`);
  const old = replaced.filter((e) => existsSync(join(dir, e)));
  return [
    () => writeFileSync(join(s, JOURNAL), JSON.stringify({ marker, entries } satisfies Journal)),
    () => mkdirSync(b),
    ...[...old.filter((x) => x === marker), ...old.filter((x) => x !== marker)].map((e) => () => renameSync(join(dir, e), join(b, e))),
    ...entries.filter((x) => x !== marker).map((e) => () => renameSync(join(s, e), join(dir, e))),
    () => renameSync(join(s, marker), join(dir, marker)),
    () => syncDir(dir),
    () => rmSync(b, { recursive: true, force: true }),
    () => rmSync(s, { recursive: true, force: true }),
  ];
}

/**
 * Publishes this process's staging folder into DIR (see the protocol above). Synchronous, so no
 * signal handler runs in between; an error (e.g. a folder of the same name appeared meanwhile)
 * rolls back to the previous state before it is rethrown. Publications into one DIR take turns
 * (a lock file held only during this call), and a run refuses to publish over results that
 * another run published into DIR after this one checked it (`candidates`: every name this kind
 * of output may replace), so two runs given the same --out never mix.
 */
export function publish(dir: string, marker: string, replaced: readonly string[], candidates: readonly string[] = replaced): void {
  const unlock = lockForPublication(dir);
  try {
    const appeared = candidates.filter((n) => !replaced.includes(n) && existsSync(join(dir, n)));
    if (appeared.length > 0) throw new UsageError(`another vtrial run published ${appeared.slice(0, 3).join(', ')}${appeared.length > 3 ? ', ...' : ''} into ${dir} while this one ran; its results are kept and this run's are discarded (give each run its own --out)`);
    const steps = publicationSteps(dir, marker, replaced);
    try {
      for (const step of steps) step();
    } catch (err) {
      recover(dir, process.pid);
      throw err;
    }
  } finally {
    unlock();
  }
}

export const LOCK = '.vtrial-lock';

/**
 * Takes DIR's publication lock (created exclusively, holding our pid), waiting up to 30 s for a
 * live holder; a lock whose holder is gone (a crash during publication) is taken over.
 */
function lockForPublication(dir: string): () => void {
  const path = join(dir, LOCK);
  const deadline = Date.now() + 30_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = lockHolder(path);
    if (holder !== undefined && !writerAlive(holder)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new UsageError(`${dir} is being published into by another vtrial process (${path}); try again when it has finished`);
    Atomics.wait(pause, 0, 0, 50);
  }
}

/** The pid in a lock file; undefined while the holder is still writing it (or it is gone). */
function lockHolder(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Removes DIR's publication lock when its holder is no longer running. */
function removeStaleLock(dir: string): void {
  const path = join(dir, LOCK);
  const holder = existsSync(path) ? lockHolder(path) : undefined;
  if (holder !== undefined && !writerAlive(holder)) rmSync(path, { force: true });
}

/** Creates DIR (and missing parents); returns the folders created, deepest first, to undo with removeIfEmpty. */
export function makeDir(dir: string): string[] {
  const first = mkdirSync(dir, { recursive: true });
  if (!first) return [];
  const top = resolve(first);
  const created: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    created.push(d);
    if (d === top || d === dirname(d)) break;
  }
  return created;
}

/** Removes folders created by makeDir, deepest first, as long as they are empty. */
export function removeIfEmpty(created: readonly string[]): void {
  for (const d of created) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
  }
}

/** A description of DIR's state for readers: null when complete, else why not. */
export function incompleteReason(dir: string, marker: string): string | null {
  const stale = stalePids(dir, true);
  if (existsSync(join(dir, marker))) return null;
  if (stale.length > 0) return `has no ${marker}: a vtrial run writing into it was interrupted (${STAGING_PREFIX}${stale[0]}) or is still running`;
  return `has no ${marker}`;
}

/** The staging folder of a publication into DIR that started and never finished (a mix of old and new files), if any. */
export function interruptedPublication(dir: string): string | null {
  for (const pid of stalePids(dir, true)) {
    const s = stagingPath(dir, pid);
    const journal = readJournal(s);
    if (journal && existsSync(join(s, journal.marker))) return s;
  }
  return null;
}
