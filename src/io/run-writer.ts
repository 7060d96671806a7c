/**
 * Writes a run's files into an output directory all-or-nothing: every file is staged under a
 * temporary name and renamed into place only after all were written, run.json last. A failed or
 * interrupted run leaves no file that looks complete; a run is complete when run.json exists.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Table } from '../adam/adam-tables.js';
import { UsageError } from '../app/errors.js';
import { openAtomicFile, type AtomicFile } from './atomic-file.js';
import { TableWriter } from './table-writer.js';

/** Every file name vtrial writes into a run directory (removed first by --force). */
export const RUN_FILES = [
  'adsl.csv',
  'adeff.csv',
  'adtte.csv',
  'adae.csv',
  'adpc.csv',
  'counterfactual.csv',
  'efficacy.csv',
  'safety.csv',
  'summary.json',
  'replicates.csv',
  'replicate-trials.csv',
  'replicate-safety.csv',
  'operating-characteristics.csv',
  'safety-characteristics.csv',
  'ite.csv',
  'run.json',
];
/** Directories vtrial writes into a run directory (patient files of kept replicates). */
export const RUN_DIRS = ['patients'];

export function prepareOutputDir(dir: string, force: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} exists and is not a directory`);
    const entries = readdirSync(dir).filter((f) => !f.startsWith('.'));
    if (entries.length > 0 && !force) throw new UsageError(`--out ${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); choose another directory or add --force to replace a previous run's files`);
    if (force) for (const f of [...RUN_FILES, ...RUN_DIRS]) rmSync(join(dir, f), { force: true, recursive: true });
  } else {
    mkdirSync(dir, { recursive: true });
  }
}

export class RunWriter {
  private readonly staged: AtomicFile[] = [];
  private manifest: AtomicFile | null = null;

  constructor(private readonly dir: string) {}

  async table(t: Table, subdir = ''): Promise<void> {
    const w = this.open(join(subdir, t.name), t.columns);
    for (const r of t.rows) await w.add(r);
    await w.flush();
  }

  /** A table written row by row (flush() before commit). `name` may include subdirectories. */
  open(name: string, columns: readonly string[]): TableWriter {
    const path = join(this.dir, name);
    mkdirSync(dirname(path), { recursive: true });
    const f = openAtomicFile(path);
    this.staged.push(f);
    return new TableWriter(f, 'csv', columns);
  }

  async json(name: string, value: unknown): Promise<void> {
    const f = openAtomicFile(join(this.dir, name));
    if (name === 'run.json') this.manifest = f;
    else this.staged.push(f);
    await f.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Renames every staged file into place, run.json last. */
  async commit(): Promise<void> {
    for (const f of [...this.staged, this.manifest]) await f?.finish();
    for (const f of this.staged) await f.commit();
    await this.manifest?.commit();
  }

  abort(): void {
    for (const f of this.staged) f.abort();
    this.manifest?.abort();
  }
}
