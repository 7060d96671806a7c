/**
 * Writes an output directory all-or-nothing (the protocol is in staging.ts): every file is
 * written into a hidden staging folder inside DIR and published together, the completeness marker
 * (run.json; summary.json for `analyze`) last. A failed or interrupted run leaves the previous
 * complete result untouched; `--force` replaces only files vtrial writes (output-files.ts).
 */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { fileKind, realPath } from './atomic-file.js';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Table } from '../util/table.js';
import { UsageError } from '../errors/usage-error.js';
import { onInterrupt } from './interrupt-cleanup.js';
import { columnsText, foreignEntry, headerMatches, isVtrialPatientsDir, markerOf, outputFile, PATIENTS_DIR, replaceableNames, type FolderLayout, type OutputKind } from './output-files.js';
import { createStaging, makeDir, publish, recoverStaleStaging, removeIfEmpty, stagingPath } from './staging.js';
import { StagedFile } from './staged-file.js';
import { TableWriter } from './table-writer.js';

export { RUN_FILES } from './output-files.js';

export interface OutputDirOptions {
  force: boolean;
  /** What writes the directory (default 'run'): decides which existing files count as replaceable. */
  kind?: OutputKind;
  /** Whether the output has a patients/ folder (a replicate run keeping patients). */
  writesPatients?: boolean;
  /** Files and folders this command reads: the output may not be one of them. */
  inputs?: readonly string[];
  /**
   * Folders staged whole (stagedFolder) and published with the files, by name and layout: a merged
   * sweep's points/, a merged sample-size search's base/ and null/. An existing one is replaced
   * only when it holds nothing but what vtrial writes in that layout.
   */
  folders?: readonly (readonly [name: string, layout: FolderLayout])[];
}

/** What one staged file became: its rows (tables), bytes and SHA-256, as recorded in run.json. */
export interface FileRecord {
  rows?: number;
  bytes: number;
  sha256: string;
}

/**
 * An existing folder that a merge would replace whole (points/, or a sweep's folder): its folders
 * are first recovered from crashed writers (refused while one is live), then it must hold only
 * what vtrial writes in its layout; anything else is the user's, and vtrial never deletes it.
 */
function checkFolderReplaceable(folder: string, layout: FolderLayout, force: boolean): void {
  const recoverTree = (d: string, depth: number): void => {
    recoverStaleStaging(d, force);
    if (depth > 0) for (const e of readdirSync(d)) if (!e.startsWith('.') && lstatSync(join(d, e)).isDirectory()) recoverTree(join(d, e), depth - 1);
  };
  const isDir = lstatSync(folder).isDirectory();
  if (isDir) recoverTree(folder, layout === 'points' ? 1 : 2);
  const foreign = isDir ? foreignEntry(folder, layout) : '';
  if (foreign !== null) throw new UsageError(`${foreign ? join(folder, foreign) : folder} was not written by vtrial; a merge replaces ${basename(folder)}/ only when it holds nothing but vtrial's ${layout === 'points' ? 'point folders' : 'sweep files and point folders'}: move it away or choose another output directory`);
}

/** A folder that does not exist yet can be created: its nearest existing ancestor is a writable folder. */
function checkCreatable(dir: string): void {
  let up = resolve(dir);
  while (!existsSync(up) && dirname(up) !== up) up = dirname(up);
  if (!statSync(up).isDirectory()) throw new UsageError(`--out ${dir} cannot be created: ${up} is not a directory`);
  try {
    accessSync(up, constants.W_OK);
  } catch {
    throw new UsageError(`--out ${dir} cannot be created: ${up} is not writable`);
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export class RunWriter {
  private readonly staging: string;
  private readonly marker: string;
  /** Every name this kind of output may replace (checked again at publication). */
  private readonly candidates: readonly string[];
  private readonly files = new Map<string, { file: StagedFile; table?: TableWriter; rows?: number }>();
  private readonly done = new Map<string, FileRecord>();
  private release: (() => void) | null = null;
  private finished = false;

  private created: readonly string[] = [];
  private ownsStaging = false;

  private constructor(
    readonly dir: string,
    private readonly replaced: readonly string[],
    /** The names DIR held when it was checked (a name that appears later was published by another run). */
    private readonly existing: readonly string[],
    private readonly create: boolean,
    private readonly kind: OutputKind,
    /** The names of the folders staged whole (OutputDirOptions.folders). */
    private readonly folders: readonly string[] = [],
  ) {
    this.marker = markerOf(kind);
    this.candidates = [...replaceableNames(kind), ...(kind === 'analyze' ? [] : [PATIENTS_DIR]), ...folders];
    this.staging = stagingPath(dir);
  }

  /**
   * Creates DIR (if needed) and the staging folder at the first write, not at open: until then
   * nothing exists to clean up, so a signal during the (synchronous) simulation keeps its default
   * effect and ends the process at once.
   */
  private stage(): void {
    if (this.release) return;
    // The undo action is registered before anything exists, so no signal can leave a trace.
    this.release = onInterrupt(() => this.discard());
    try {
      if (this.create) this.created = makeDir(this.dir);
      createStaging(this.dir);
      this.ownsStaging = true;
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  /**
   * Checks DIR before any work (and recovers it from crashed earlier runs): it must be a folder,
   * empty unless --force (for `analyze`: without any of its output files), not an input of the
   * command, and a patients/ folder that is not vtrial's is never replaced. Creates DIR if needed.
   */
  static open(dir: string, o: OutputDirOptions): RunWriter {
    const kind = o.kind ?? 'run';
    const folders = (o.folders ?? []).map(([name]) => name);
    const full = realPath(dir);
    for (const input of o.inputs ?? []) {
      const inp = realPath(input);
      // An input that is (or lies inside) one of the entries a run replaces, e.g. o/run.json or o/patients/x.csv.
      const rel = relative(full, inp);
      const top = rel.split(sep)[0]!;
      const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
      const replacedInput = inside && (replaceableNames(kind).includes(top) || (top === PATIENTS_DIR && kind !== 'analyze' && rel !== top) || folders.includes(top));
      if (full === inp || replacedInput) throw new UsageError(`--out ${dir} ${full === inp ? 'is' : 'holds'} an input of this command (${input}); choose another output directory`);
    }
    if (!existsSync(dir)) {
      checkCreatable(dir);
      return new RunWriter(dir, [], [], true, kind, folders);
    }
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} exists and is not a directory`);
    recoverStaleStaging(dir, o.force);
    const entries = readdirSync(dir).filter((f) => !f.startsWith('.'));
    const ours = replaceableNames(kind).filter((f) => entries.includes(f));
    // A device or FIFO that bears one of vtrial's file names is the user's, not a previous result.
    for (const f of ours) {
      const st = statSync(join(dir, f), { throwIfNoEntry: false }) ?? lstatSync(join(dir, f));
      if (!st.isFile()) throw new UsageError(`${join(dir, f)} exists and is not a regular file (${fileKind(st)}); vtrial only replaces its own regular files: move it away or choose another output directory`);
    }
    const patients = entries.includes(PATIENTS_DIR) && kind !== 'analyze';
    const patientsOurs = patients && isVtrialPatientsDir(join(dir, PATIENTS_DIR));
    if (patients && !patientsOurs && o.writesPatients) throw new UsageError(`${join(dir, PATIENTS_DIR)} was not written by vtrial (it holds other files); vtrial never replaces it: move it away or choose another output directory`);
    // A run directory's files are recorded (rows, SHA-256) in its run.json, which stays its marker:
    // replacing its efficacy.csv beside that run.json would leave a mixed, mis-described result.
    if (kind === 'analyze' && entries.includes(markerOf('run'))) throw new UsageError(`${dir} is a vtrial run's directory (its run.json records its files); write the re-analysis elsewhere with --out`);
    if (!o.force) {
      if (kind === 'analyze' && ours.length > 0) throw new UsageError(`${dir} already has ${ours.join(', ')}; write the results elsewhere with --out, or add --force to replace them`);
      if (kind !== 'analyze' && entries.length > 0) throw new UsageError(`--out ${dir} is not empty (${plural(entries.length, 'entry', 'entries')}); choose another directory or add --force to replace a previous run's files (other files are left alone)`);
    }
    const replacedFolders = (o.folders ?? []).filter(([name]) => entries.includes(name));
    for (const [name, layout] of replacedFolders) checkFolderReplaceable(join(dir, name), layout, o.force);
    return new RunWriter(dir, [...ours, ...(patientsOurs ? [PATIENTS_DIR] : []), ...replacedFolders.map(([name]) => name)], entries, false, kind, folders);
  }

  /**
   * A folder staged beside the files and published with them (OutputDirOptions.folders; nested
   * writers fill it): its path inside the staging folder. Nothing reaches DIR before commit().
   */
  stagedFolder(name: string): string {
    if (!this.folders.includes(name)) throw new Error(`internal: ${name}/ is not a folder this writer was opened to stage`);
    if (this.finished) throw new Error('internal: write after commit');
    this.stage();
    const path = join(this.staging, name);
    mkdirSync(path);
    return path;
  }

  /** Writes a whole table (closed at once). `subdir` places it below DIR (patients/...). */
  async table(t: Table, subdir = ''): Promise<void> {
    const name = subdir ? join(subdir, t.name) : t.name;
    this.checkRegistered(t.name, subdir, t.columns);
    const f = this.createFile(name);
    const w = new TableWriter(f, 'csv', t.columns);
    for (const r of t.rows) await w.add(r);
    await w.flush();
    await this.close(name, t.rows.length);
  }

  /** A table written row by row; it is flushed and closed by fileRecords() or commit(). */
  open(name: string, columns: readonly string[]): TableWriter {
    this.checkRegistered(name, '', columns);
    const f = this.createFile(name);
    const table = new TableWriter(f, 'csv', columns);
    this.files.get(name)!.table = table;
    return table;
  }

  async json(name: string, value: unknown): Promise<void> {
    this.checkRegistered(name, '', undefined);
    const f = this.createFile(name);
    await f.write(`${JSON.stringify(value, null, 2)}\n`);
    await this.close(name);
  }

  /** Rows, bytes and SHA-256 of the top-level files staged so far (open tables are closed first). */
  async fileRecords(): Promise<Record<string, FileRecord>> {
    for (const name of [...this.files.keys()]) {
      const t = this.files.get(name)!.table;
      if (t) {
        await t.flush();
        await this.close(name, t.rows);
      }
    }
    return Object.fromEntries([...this.done].filter(([n]) => !n.includes('/') && !n.includes('\\')));
  }

  /** Publishes every staged file into DIR, the marker last (see staging.ts). */
  async commit(): Promise<void> {
    await this.fileRecords();
    if (!this.done.has(this.marker)) throw new Error(`internal: ${this.marker} was not written`);
    publish(this.dir, this.marker, this.replaced, this.candidates.filter((n) => !this.existing.includes(n)));
    this.finished = true;
    this.release?.();
  }

  /** Discards the staged files; DIR is left as it was (and removed if this run created it). */
  abort(): void {
    if (this.finished) return;
    this.finished = true;
    for (const { file } of this.files.values()) file.destroy();
    this.discard();
    this.release?.();
  }

  private discard(): void {
    if (this.ownsStaging) rmSync(this.staging, { recursive: true, force: true });
    removeIfEmpty(this.created);
  }

  /**
   * A file this command does not write by the registry (output-files.ts), or a CSV header that is
   * not the registry's, is a programming error: --force, the help and the README would not know it.
   * `subdir` is a kept replicate's patients/SCENARIO/replicate-NNNNNN folder.
   */
  private checkRegistered(name: string, subdir: string, columns: readonly string[] | undefined): void {
    const entry = outputFile(name);
    const where = subdir ? join(subdir, name) : name;
    const patientDir = subdir.split(/[\\/]/);
    const listed = subdir
      ? this.kind === 'replicates' && entry?.patientFile === true && patientDir.length === 3 && patientDir[0] === PATIENTS_DIR && /^replicate-\d{6}$/.test(patientDir[2]!)
      : entry?.writtenBy.includes(this.kind) === true;
    if (!entry || !listed) throw new Error(`internal: ${where} is not an output file of ${this.kind} in the registry (src/io/output-files.ts)`);
    if ((entry.columns === undefined) !== (columns === undefined)) throw new Error(`internal: ${where} is registered as ${entry.columns ? 'a CSV table' : 'a JSON file'}`);
    if (entry.columns && columns && !headerMatches(entry.columns, columns)) {
      throw new Error(`internal: ${where} has the columns ${columns.join(', ')}; the registry (src/io/output-files.ts) has ${columnsText(entry.columns)}`);
    }
  }

  private createFile(name: string): StagedFile {
    if (this.finished) throw new Error('internal: write after commit');
    this.stage();
    if (this.files.has(name) || this.done.has(name)) throw new Error(`internal: ${name} written twice`);
    const path = join(this.staging, name);
    mkdirSync(dirname(path), { recursive: true });
    const file = new StagedFile(path);
    this.files.set(name, { file });
    return file;
  }

  private async close(name: string, rows?: number): Promise<void> {
    const f = this.files.get(name)!.file;
    await f.close();
    this.files.delete(name);
    this.done.set(name, { ...(rows === undefined ? {} : { rows }), bytes: f.bytes, sha256: f.sha256 });
  }
}
