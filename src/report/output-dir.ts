/**
 * What a report reads from an output directory: which kind it is (from run.json, or summary.json
 * for `analyze`), and its CSV and JSON files, each read once. A directory that is not a finished
 * vtrial output is a UsageError (exit 2) saying what is missing. Before anything is read, every
 * file the manifest records is checked against its record (present, size, SHA-256), and only
 * those files are read: a file truncated, edited or deleted after the run stops the report
 * (exit 2) rather than being drawn.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError } from '../errors/data-error.js';
import { UsageError } from '../errors/usage-error.js';
import { incompleteReason } from '../io/staging.js';

/** The kinds of directory a report knows (a group-sequential replicate run is a replicate run with files of its own). */
export type DirKind = 'run' | 'replicates' | 'merge' | 'shard' | 'analyze' | 'sweep' | 'compare' | 'sample-size' | 'trade-offs';

/** The outputs the report knows, as its messages name them. */
const KNOWN = 'run, run --replicates, merge, analyze, sweep, compare, sample-size PROTOCOL or screen --trade-offs --replicates';

export type CsvRow = Record<string, string>;

export interface OutputDir {
  readonly path: string;
  readonly kind: DirKind;
  /** The manifest (run.json), or null for an `analyze` output. */
  readonly manifest: Record<string, unknown> | null;
  readonly summary: Record<string, unknown> | null;
  /** Whether the manifest records the file (then it was checked against its record at open). */
  has(name: string): boolean;
  /** A CSV file's rows as null-prototype records (read once); [] when absent. */
  csv(name: string): CsvRow[];
  /**
   * Only some columns of a CSV file, as arrays in that order (not cached): for files with a row
   * per replicate, which can hold millions of rows. A missing column is a DataError.
   */
  columns(name: string, columns: readonly string[]): string[][];
  /** A recorded JSON object file of the directory, or a point's or protocol's run.json; null when absent or not an object. */
  json(name: string): Record<string, unknown> | null;
}

function readJson(file: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw new DataError(file, `is not a vtrial manifest (${(err as Error).message})`);
  }
}

function kindOf(m: Record<string, unknown>, path: string): DirKind {
  const isObject = (v: unknown) => v !== null && typeof v === 'object';
  if (isObject(m.sweep)) {
    if (isObject(m.shard)) throw new UsageError(`${path} is one shard of a sweep: it holds record files only; combine all shards with vtrial merge, then report the merged directory`);
    return 'sweep';
  }
  if (isObject(m.sampleSizeGrid)) throw new UsageError(`${path} is one shard of a sample-size grid: combine all shards with vtrial sample-size --merge, then report the merged directory`);
  if (isObject(m.sampleSize)) return 'sample-size';
  if (isObject(m.tradeOffs)) return 'trade-offs';
  // vtrial compare's run.json lists its protocols (a replicate run's names one).
  if (Array.isArray(m.protocols)) return 'compare';
  if (Array.isArray(m.mergedFrom)) return 'merge';
  if (isObject(m.shard)) return 'shard';
  if (m.replicateRange !== undefined) return 'replicates';
  if (Array.isArray(m.arms) && m.replicates === 1) return 'run';
  // Never an empty report of a directory the report does not know.
  throw new UsageError(`${join(path, 'run.json')} does not describe an output the report knows (${KNOWN}); it has ${Object.keys(m).join(', ') || 'no keys'}`);
}

export interface FileRecord {
  bytes: number;
  sha256: string;
}

/** The files a manifest records (run.json's or an analyze summary.json's `files`), or a UsageError when it records none. */
function recordsOf(m: Record<string, unknown>, marker: string): Map<string, FileRecord> {
  const files = m.files;
  const ok = (r: unknown): r is FileRecord => isRecord(r) && typeof r.bytes === 'number' && typeof r.sha256 === 'string';
  if (!isRecord(files) || !Object.values(files).every(ok)) {
    throw new UsageError(`${marker} does not record its files' sizes and SHA-256 (an older vtrial wrote it), so the report cannot check that the files are the run's: run the command again and report its output`);
  }
  return new Map(Object.entries(files) as [string, FileRecord][]);
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** SHA-256 of a file, read in chunks (a replicate run's files can be large). */
function fileSha256(file: string): string {
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(file, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Every recorded file against its record: a missing file, another size or another SHA-256 is a
 * UsageError naming each file and what differs (all of them at once).
 */
export function checkRecordedFiles(path: string, marker: string, records: ReadonlyMap<string, FileRecord>): void {
  const problems: string[] = [];
  for (const [name, r] of records) {
    // A manifest records the top-level files it published: no other path is looked at.
    if (!/^[^/\\]+$/.test(name) || name === '.' || name === '..') {
      problems.push(`${JSON.stringify(name)}: not a file name of the directory (${marker} is not vtrial's)`);
      continue;
    }
    const st = statSync(join(path, name), { throwIfNoEntry: false });
    if (!st) problems.push(`${name}: missing (${marker} records it: deleted or moved after the run)`);
    else if (!st.isFile()) problems.push(`${name}: not a regular file (${marker} records a file)`);
    else if (st.size !== r.bytes) problems.push(`${name}: ${st.size} bytes where ${marker} records ${r.bytes} (the file was ${st.size < r.bytes ? 'truncated' : 'changed'} after the run)`);
    else if (fileSha256(join(path, name)) !== r.sha256) problems.push(`${name}: SHA-256 differs from ${marker}'s (the file was changed after the run)`);
  }
  if (problems.length > 0) throw new UsageError(`${path}: its files are not the ones the run wrote, so the report would draw other data; re-run the command (or restore the files):\n  ${problems.join('\n  ')}`);
}

/**
 * The replicate runs inside a sweep (points/<id>, from its grid) or a comparison (one folder per
 * protocol label): the report reads their run.json (alpha, sidedness, null scenarios).
 */
function subRuns(manifest: Record<string, unknown>): string[] {
  const sweep = manifest.sweep as { points?: { id?: unknown }[] } | undefined;
  if (isRecord(sweep) && Array.isArray(sweep.points)) return sweep.points.flatMap((p) => (typeof p?.id === 'string' ? [`points/${p.id}`] : []));
  if (Array.isArray(manifest.protocols)) return (manifest.protocols as { label?: unknown }[]).flatMap((p) => (typeof p?.label === 'string' ? [p.label] : []));
  return [];
}

/** A replicate run inside the directory: present, finished (its run.json), and its files those its run.json records. */
function checkSubRun(path: string, sub: string): void {
  const leaf = sub.replace(/^points\//, '');
  if (leaf === '' || /[/\\]/.test(leaf) || leaf === '.' || leaf === '..') throw new UsageError(`${join(path, 'run.json')} names ${JSON.stringify(sub)}, not a folder of the directory (the run.json is not vtrial's)`);
  const dir = join(path, sub);
  const manifest = join(dir, 'run.json');
  if (!existsSync(manifest)) throw new UsageError(`${path}: ${sub}/ ${existsSync(dir) ? 'has no run.json' : 'is missing'} (run.json records it: deleted or moved after the run, or it did not finish); re-run the command (or restore the folder)`);
  checkRecordedFiles(dir, 'run.json', recordsOf(readJson(manifest), join(sub, 'run.json')));
}

/** Opens an output directory for a report; throws UsageError when it is not one. */
export function openOutputDir(path: string): OutputDir {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError(`${path}: not found or not a directory; give the output directory of vtrial ${KNOWN}`);
  const hasRun = existsSync(join(path, 'run.json'));
  // analyze writes efficacy.csv and summary.json beside no ADaM file; a single run writes adsl.csv (its run.json missing: not finished).
  const isAnalyze = !hasRun && existsSync(join(path, 'summary.json')) && existsSync(join(path, 'efficacy.csv')) && !existsSync(join(path, 'adsl.csv'));
  if (!hasRun && !isAnalyze) {
    const why = incompleteReason(path, 'run.json');
    throw new UsageError(`${path} ${why ?? 'has no run.json'}: it is not the output directory of a finished vtrial ${KNOWN} (run.json, the manifest, is written last: without it the run did not finish)`);
  }
  const manifest = hasRun ? readJson(join(path, 'run.json')) : null;
  if (manifest && typeof manifest.vtrial !== 'string') throw new UsageError(`${join(path, 'run.json')} is not a vtrial manifest (no "vtrial" version)`);
  const kind = manifest ? kindOf(manifest, path) : 'analyze';
  // An analyze output's marker is its summary.json, which records its tables.
  const marker = manifest ? 'run.json' : 'summary.json';
  const rawSummary = manifest ? null : readJson(join(path, 'summary.json'));
  const records = recordsOf(manifest ?? rawSummary!, marker);
  checkRecordedFiles(path, marker, records);
  if (manifest) for (const sub of subRuns(manifest)) checkSubRun(path, sub);
  const recorded = (name: string) => records.has(name) || name === marker;
  const summary = recorded('summary.json') && existsSync(join(path, 'summary.json')) ? (rawSummary ?? readJson(join(path, 'summary.json'))) : null;
  const cache = new Map<string, CsvRow[]>();
  return {
    path,
    kind,
    manifest,
    summary,
    has: recorded,
    csv(name) {
      const hit = cache.get(name);
      if (hit) return hit;
      const file = join(path, name);
      let rows: CsvRow[] = [];
      if (records.has(name)) {
        try {
          const records = parse(readFileSync(file), { bom: true, skip_empty_lines: true }) as string[][];
          const header = records[0] ?? [];
          rows = records.slice(1).map((r) => {
            const o = Object.create(null) as CsvRow;
            header.forEach((h, i) => (o[h] = r[i] ?? ''));
            return o;
          });
        } catch (err) {
          throw new DataError(file, `not a valid CSV file: ${(err as Error).message}`);
        }
      }
      cache.set(name, rows);
      return rows;
    },
    json(name) {
      const file = join(path, name);
      // A recorded file, or the manifest of a replicate run inside (a sweep's point, a compared protocol).
      if (!(recorded(name) || /^[^/]+(\/[^/]+)?\/run\.json$/.test(name)) || !existsSync(file)) return null;
      try {
        const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
        return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    },
    columns(name, columns) {
      const file = join(path, name);
      if (!records.has(name)) return [];
      const bytes = readFileSync(file);
      try {
        const header = (parse(bytes, { bom: true, to_line: 1 }) as string[][])[0] ?? [];
        const at = columns.map((c) => header.indexOf(c));
        const missing = columns.filter((_, i) => at[i]! < 0);
        if (missing.length > 0) throw new DataError(file, `has no column ${missing.join(', ')}`);
        // on_record keeps only the wanted cells of each row: memory grows with them, not with the file's width.
        return parse(bytes, { bom: true, from_line: 2, skip_empty_lines: true, on_record: (r: string[]) => at.map((i) => r[i] ?? '') }) as string[][];
      } catch (err) {
        if (err instanceof DataError) throw err;
        throw new DataError(file, `not a valid CSV file: ${(err as Error).message}`);
      }
    },
  };
}

/** A CSV cell as a number; NaN for NA, empty or text. */
export function num(v: string | undefined): number {
  if (v === undefined || v === '' || v === 'NA') return NaN;
  const x = Number(v);
  return Number.isFinite(x) ? x : NaN;
}
