/**
 * `vtrial compare A.yaml B.yaml ... --replicates R --out DIR`: runs every protocol's replicates
 * with the same seed (each into DIR/LABEL/, a complete replicate-run directory), then writes the
 * side-by-side operating characteristics with the differences from the first protocol and their
 * Monte Carlo SEs (compare.csv, compare-trials.csv, compare-safety.csv, summary.json, run.json).
 * Every protocol and the --fail-if condition are checked before anything runs.
 */
import { basename, extname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { VERSION } from '../version.js';
import { UsageError } from '../errors/usage-error.js';
import { ExprError } from '../expr/parse.js';
import { RECORD_FILES, recordsFromRows } from '../io/record-files.js';
import { RunWriter } from '../io/run-writer.js';
import { compareProtocols, type Comparison } from '../design/compare-protocols.js';
import { compareTables } from '../design/compare-tables.js';
import { compileFailIf, type FailIf, type FailIfHit } from '../design/fail-if.js';
import { outputFile, PATIENTS_DIR } from '../io/output-files.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { loadRun, replicatesCommand, type ReplicatesProgress } from './replicates-command.js';

/** The version of summary.json's layout (schemas/compare-summary.schema.json); raised on any incompatible change. */
export const COMPARE_SCHEMA = 'vtrial-compare/2';

export interface CompareOptions {
  protocolFiles: string[];
  seed: number;
  replicates: number;
  workers: number;
  batchSize?: number;
  out: string;
  force: boolean;
  failIf?: string;
  argv?: readonly string[];
  onProgress?: (p: ReplicatesProgress & { protocol: string; protocolNumber: number; protocols: number }) => void;
}

export interface CompareSummary extends Comparison {
  schema: typeof COMPARE_SCHEMA;
  vtrial: string;
  seed: number;
  replicates: number;
  /** Each protocol's replicate-run directory, relative to the output directory. */
  directories: Record<string, string>;
  failIf: { condition: string; holds: boolean; hits: FailIfHit[] } | null;
}

export interface CompareResult {
  out: string;
  summary: CompareSummary;
  seconds: number;
}

/** Folders vtrial itself writes into output directories (kept replicates, sweep points, the report's specs). */
const RESERVED_FOLDERS = new Set([PATIENTS_DIR, 'points', 'report']);

/**
 * Labels from the files' base names, made unique (t2d, t2d-2, ...) and safe as folder names: only
 * letters, digits, _ . -, never hidden, never a formula's first character, never one of the
 * command's own file names.
 */
export function protocolLabels(files: readonly string[]): string[] {
  const used = new Set<string>();
  return files.map((f) => {
    let stem = basename(f, extname(f)).replace(/[^A-Za-z0-9_.-]/g, '_');
    if (stem === '' || /^[.\-]/.test(stem) || outputFile(stem) || RESERVED_FOLDERS.has(stem)) stem = `protocol_${stem}`;
    let label = stem;
    for (let i = 2; used.has(label); i++) label = `${stem}-${i}`;
    used.add(label);
    return label;
  });
}

/** Runs one protocol's part; a failure says which protocol (its class, and so its exit code, kept). */
async function namingProtocol<T>(label: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof Error) err.message = `protocol ${label}: ${err.message}`;
    throw err;
  }
}

export async function compareCommand(o: CompareOptions): Promise<CompareResult> {
  const started = performance.now();
  if (o.protocolFiles.length < 2) throw new UsageError(`vtrial compare needs at least two protocols, found ${o.protocolFiles.length}`);
  let failIf: FailIf | undefined;
  if (o.failIf !== undefined) {
    try {
      failIf = compileFailIf(o.failIf);
    } catch (err) {
      if (err instanceof ExprError) throw new UsageError(`--fail-if ${JSON.stringify(o.failIf)}: ${err.message}`);
      throw err;
    }
  }
  // Every protocol is read and checked before anything runs (spec errors name each file).
  const sources = o.protocolFiles.map((f) => loadRun(f, undefined, o.seed));
  const labels = protocolLabels(o.protocolFiles);
  // Each protocol's folder is checked before anything runs, as its replicate run will check it.
  for (const l of labels) {
    const d = join(o.out, l);
    if (!existsSync(d)) continue;
    if (!statSync(d).isDirectory()) throw new UsageError(`${d} exists and is not a directory: the replicate run of protocol ${l} goes there; move it or choose another --out`);
    if (!o.force && readdirSync(d).some((f) => !f.startsWith('.'))) throw new UsageError(`${d} is not empty (the replicate run of protocol ${l} goes there); choose another --out, or add --force to replace a previous comparison's files (other files are left alone)`);
  }
  const writer = RunWriter.open(o.out, { force: o.force, kind: 'compare', inputs: [...o.protocolFiles, ...sources.flatMap((s) => s.inputs.map((i) => i.file))] });
  try {
    const compared = [];
    // Progress over all protocols: replicates of every scenario of every protocol.
    const totalAll = sources.reduce((t, s) => t + s.scenarios.length * o.replicates, 0);
    let before = 0;
    for (let i = 0; i < sources.length; i++) {
      const dir = join(o.out, labels[i]!);
      const r = await namingProtocol(labels[i]!, () => replicatesCommand({
        protocolFile: o.protocolFiles[i]!,
        seed: o.seed,
        replicates: o.replicates,
        workers: o.workers,
        batchSize: o.batchSize,
        keepPatients: 0,
        out: dir,
        force: o.force,
        argv: o.argv,
        onProgress: (p) => o.onProgress?.({ ...p, doneAll: before + p.doneAll, totalAll, protocol: labels[i]!, protocolNumber: i + 1, protocols: sources.length }),
      }));
      before += sources[i]!.scenarios.length * o.replicates;
      // The records as written (shortest round-trip numbers: the very doubles of the run).
      const read = (name: string) => parse(readFileSync(join(dir, name)), { columns: true }) as Record<string, string>[];
      const records = recordsFromRows(read(RECORD_FILES.efficacy.name), read(RECORD_FILES.trials.name), read(RECORD_FILES.safety.name));
      compared.push({
        label: labels[i]!,
        file: o.protocolFiles[i]!,
        summary: r.summary!,
        records,
        nullScenarios: new Set(sources[i]!.scenarios.filter((s) => s.scenario.no_effect).map((s) => s.scenario.name)),
      });
    }
    const comparison = compareProtocols(compared);
    const hits = failIf?.hits(compared) ?? [];
    const summary: CompareSummary = {
      schema: COMPARE_SCHEMA,
      vtrial: VERSION,
      seed: o.seed,
      replicates: o.replicates,
      directories: Object.fromEntries(labels.map((l) => [l, l])),
      ...comparison,
      failIf: failIf ? { condition: failIf.text, holds: hits.length > 0, hits } : null,
    };
    for (const t of compareTables(comparison)) await writer.table(t);
    await writer.json('summary.json', summary);
    await writer.json('run.json', {
      vtrial: VERSION,
      command: o.argv ?? null,
      seed: o.seed,
      replicates: o.replicates,
      protocols: sources.map((s, i) => ({ label: labels[i], file: s.protocolFile, sha256: s.protocolSha256, cohort: { file: s.cohortFile, sha256: s.cohortSha256 }, inputs: s.inputs })),
      files: await writer.fileRecords(),
    });
    await writer.commit();
    return { out: o.out, summary, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    writer.abort();
    throw err;
  }
}
