/**
 * What a report reads from an output directory: which kind it is (from run.json, or summary.json
 * for `analyze`), and its CSV and JSON files, each read once. A directory that is not a finished
 * vtrial output is a UsageError (exit 2) saying what is missing.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataError } from '../errors/data-error.js';
import { UsageError } from '../errors/usage-error.js';
import { incompleteReason } from '../io/staging.js';

/** The kinds of directory a report knows (a group-sequential replicate run is a replicate run with files of its own). */
export type DirKind = 'run' | 'replicates' | 'merge' | 'shard' | 'analyze' | 'sweep' | 'compare';

export type CsvRow = Record<string, string>;

export interface OutputDir {
  readonly path: string;
  readonly kind: DirKind;
  /** The manifest (run.json), or null for an `analyze` output. */
  readonly manifest: Record<string, unknown> | null;
  readonly summary: Record<string, unknown> | null;
  has(name: string): boolean;
  /** A CSV file's rows as null-prototype records (read once); [] when absent. */
  csv(name: string): CsvRow[];
  /**
   * Only some columns of a CSV file, as arrays in that order (not cached): for files with a row
   * per replicate, which can hold millions of rows. A missing column is a DataError.
   */
  columns(name: string, columns: readonly string[]): string[][];
  /** A JSON object file of the directory (a point's or protocol's run.json), or null when absent or not an object. */
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
  if (m.sweep !== null && typeof m.sweep === 'object') {
    if (m.shard !== null && typeof m.shard === 'object') throw new UsageError(`${path} is one shard of a sweep: it holds record files only; combine all shards with vtrial merge, then report the merged directory`);
    return 'sweep';
  }
  // vtrial compare's run.json lists its protocols (a replicate run's names one).
  if (Array.isArray(m.protocols)) return 'compare';
  if (Array.isArray(m.mergedFrom)) return 'merge';
  if (m.shard !== null && typeof m.shard === 'object') return 'shard';
  if (m.replicateRange !== undefined) return 'replicates';
  return 'run';
}

/** Opens an output directory for a report; throws UsageError when it is not one. */
export function openOutputDir(path: string): OutputDir {
  if (!existsSync(path) || !statSync(path).isDirectory()) throw new UsageError(`${path}: not found or not a directory; give the output directory of vtrial run, run --replicates, merge, analyze, sweep or compare`);
  const hasRun = existsSync(join(path, 'run.json'));
  const isAnalyze = !hasRun && existsSync(join(path, 'summary.json')) && existsSync(join(path, 'efficacy.csv'));
  if (!hasRun && !isAnalyze) {
    const why = incompleteReason(path, 'run.json');
    throw new UsageError(`${path} ${why ?? 'has no run.json'}: it is not the output directory of a finished vtrial run, run --replicates, merge, analyze, sweep or compare`);
  }
  const manifest = hasRun ? readJson(join(path, 'run.json')) : null;
  if (manifest && typeof manifest.vtrial !== 'string') throw new UsageError(`${join(path, 'run.json')} is not a vtrial manifest (no "vtrial" version)`);
  const summary = existsSync(join(path, 'summary.json')) ? readJson(join(path, 'summary.json')) : null;
  const cache = new Map<string, CsvRow[]>();
  return {
    path,
    kind: manifest ? kindOf(manifest, path) : 'analyze',
    manifest,
    summary,
    has: (name) => existsSync(join(path, name)),
    csv(name) {
      const hit = cache.get(name);
      if (hit) return hit;
      const file = join(path, name);
      let rows: CsvRow[] = [];
      if (existsSync(file)) {
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
      if (!existsSync(file)) return null;
      try {
        const v: unknown = JSON.parse(readFileSync(file, 'utf8'));
        return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    },
    columns(name, columns) {
      const file = join(path, name);
      if (!existsSync(file)) return [];
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
