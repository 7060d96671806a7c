/**
 * `vtrial merge DIR... --out OUT`: combines the record files of shards (`run --shard k/n`) into
 * the result of an unsharded run. The shards must come from the same protocol, cohort (same
 * file hashes), seed, replicate count and scenarios, and together cover every replicate once;
 * their records are aggregated in replicate order, exactly as an unsharded run does, so
 * summary.json and the CSV files are byte-identical to it.
 */
import { VERSION } from '../version.js';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { Aggregator } from '../replicates/aggregate.js';
import { RECORD_FILES, RecordFiles, recordsFromRows } from '../io/record-files.js';
import { aggregateTables, summaryOf, type ReplicatesSummary, type RunIdentity } from '../replicates/summary.js';
import { interimModelsOf } from '../replicates/sequential-designs.js';
import { DataError } from '../errors/data-error.js';
import { RunWriter } from '../io/run-writer.js';
import { incompleteReason } from '../io/staging.js';
import { UsageError } from '../errors/usage-error.js';
import { POINTS_DIR } from '../io/output-files.js';
import { sweepGrid } from '../design/grid.js';
import type { SweepSummary } from '../design/sweep-summary.js';
import { readPoint, writeSweepResults } from './sweep-command.js';

const fileRecord = z.object({ rows: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** What merge needs of a shard's run.json (other keys are carried over untouched). */
const shardManifest = z.looseObject({
  vtrial: z.string(),
  seed: z.number(),
  replicates: z.number().int().positive(),
  shard: z.object({ k: z.number().int(), n: z.number().int() }).nullable(),
  replicateRange: z.tuple([z.number().int(), z.number().int()]),
  scenarios: z.array(z.string()).min(1),
  protocol: z.looseObject({ file: z.string(), sha256: z.string(), resolved: z.looseObject({ scenarios: z.array(z.looseObject({ name: z.string(), description: z.string().optional() })).optional() }) }),
  cohort: z.looseObject({ file: z.string(), sha256: z.string() }),
  inputs: z.array(z.object({ file: z.string(), sha256: z.string() })).optional(),
  files: z.looseObject(Object.fromEntries(Object.values(RECORD_FILES).map((f) => [f.name, fileRecord])) as Record<string, typeof fileRecord>),
});
type ShardManifest = z.infer<typeof shardManifest>;

export interface MergeResult {
  out: string;
  shards: number;
  summary: ReplicatesSummary;
}

/** Reads and checks a shard folder's run.json; every problem is a DataError naming the folder's file. */
function readManifest(dir: string): ShardManifest {
  const f = join(dir, 'run.json');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(dir, 'not found or not a directory');
  const incomplete = incompleteReason(dir, 'run.json');
  if (incomplete) throw new DataError(dir, `${incomplete}: is this the output directory of a finished \`vtrial run --replicates R --shard k/n\`?`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(f, 'utf8'));
  } catch (err) {
    throw new DataError(f, `is not valid JSON (${(err as Error).message}): the file was truncated or edited; re-run this shard`);
  }
  const obj = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  if (obj.replicateRange === undefined && obj.replicates === 1 && obj.shard === undefined) throw new DataError(f, 'is the manifest of a single run (vtrial run without --replicates); merge combines the shards of `vtrial run --replicates R --shard k/n`');
  if (typeof obj.vtrial === 'string' && obj.vtrial !== VERSION) throw new DataError(f, `was written by vtrial ${obj.vtrial}; this is vtrial ${VERSION}: shards merge only within one version (re-run the shard with this version)`);
  if (obj.sampleSizeGrid !== undefined) throw new DataError(f, 'is the manifest of a sample-size shard (vtrial sample-size PROTOCOL --shard k/n): merge those with `vtrial sample-size --merge DIR... --out OUT`');
  if (obj.sweep !== undefined) throw new DataError(f, 'is the manifest of a sweep shard, and the first shard given is a replicate run\'s: merge combines the shards of one kind (give the sweep\'s shards together)');
  const m = shardManifest.safeParse(data);
  if (!m.success) {
    const i = m.error.issues[0]!;
    throw new DataError(f, `is not the manifest of a replicate run (${i.path.join('.') || 'top level'}: ${i.message}); re-run this shard with vtrial ${VERSION}`);
  }
  const [from, to] = m.data.replicateRange;
  if (from < 1 || to > m.data.replicates || from > to + 1) throw new DataError(f, `replicateRange [${from}, ${to}] is not within 1-${m.data.replicates}`);
  return m.data;
}

/** Reads a record file after checking it against the row count and SHA-256 its run.json recorded. */
function readRecordFile(dir: string, m: ShardManifest, name: string): Record<string, string>[] {
  const f = join(dir, name);
  if (!existsSync(f)) throw new DataError(f, `is missing, but ${join(dir, 'run.json')} lists it; re-run this shard`);
  const bytes = readFileSync(f);
  const want = m.files[name]!;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let rows: Record<string, string>[] | null = null;
  let parseError = '';
  try {
    rows = parse(bytes, { columns: true }) as Record<string, string>[];
  } catch (err) {
    parseError = (err as Error).message;
  }
  if (sha256 !== want.sha256 || rows?.length !== want.rows) {
    const found = rows ? `${rows.length} rows` : `unreadable rows (${parseError})`;
    throw new DataError(f, `has ${found} and SHA-256 ${sha256.slice(0, 12)}..., but run.json records ${want.rows} rows and ${want.sha256.slice(0, 12)}...: the file was truncated or changed after the run; re-run this shard`);
  }
  return rows;
}

export async function mergeCommand(dirs: readonly string[], out: string, force: boolean): Promise<MergeResult> {
  if (dirs.length === 0) throw new UsageError('merge needs at least one shard directory');
  if (isSweepShard(dirs[0]!)) return mergeSweep(dirs, out, force);
  // The destination is checked before the shards are read; previous results stay until the new ones are complete.
  const writer = RunWriter.open(out, { force, kind: 'merge', inputs: dirs });
  try {
    return await mergeInto(writer, checkShards(dirs), out);
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/** Whether DIR holds a shard of `vtrial sweep` (its run.json has a sweep section). */
function isSweepShard(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { sweep?: unknown }).sweep !== undefined;
  } catch {
    return false; // readManifest says what is wrong
  }
}

const sweepShardManifest = z.looseObject({
  vtrial: z.string(),
  sweep: z.object({
    vary: z.array(z.object({ path: z.string(), values: z.array(z.union([z.number(), z.string(), z.boolean()])).min(1) })).min(1),
    scenarios: z.array(z.string()).min(1),
    points: z.array(z.object({ point: z.number().int(), id: z.string().regex(/^p-[0-9a-f]{12}$/), values: z.array(z.union([z.number(), z.string(), z.boolean()])), key: z.string() })).min(1),
  }),
  seed: z.number(),
  replicates: z.number().int().positive(),
  shard: z.object({ k: z.number().int(), n: z.number().int() }).nullable(),
  protocol: z.object({ file: z.string(), sha256: z.string() }),
  cohort: z.object({ file: z.string(), sha256: z.string() }),
  inputs: z.array(z.object({ file: z.string(), sha256: z.string() })),
});

function readSweepManifest(dir: string) {
  const f = join(dir, 'run.json');
  const incomplete = incompleteReason(dir, 'run.json');
  if (incomplete) throw new DataError(dir, `${incomplete}: is this the output directory of a finished \`vtrial sweep --shard k/n\`?`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(f, 'utf8'));
  } catch (err) {
    throw new DataError(f, `is not valid JSON (${(err as Error).message}): the file was truncated or edited; re-run this shard`);
  }
  const m = sweepShardManifest.safeParse(data);
  if (!m.success) {
    const i = m.error.issues[0]!;
    throw new DataError(f, `is not the manifest of a sweep shard (${i.path.join('.') || 'top level'}: ${i.message}); merge combines the shards of one kind: all of vtrial sweep --shard k/n, or all of vtrial run --replicates R --shard k/n`);
  }
  if (m.data.vtrial !== VERSION) throw new DataError(f, `was written by vtrial ${m.data.vtrial}; this is vtrial ${VERSION}: shards merge only within one version (re-run the shard with this version)`);
  return m.data;
}

/**
 * Merges the shards of a sweep: each point's shares (points/ID/ of the shards) as a replicate
 * run's shards into OUT/points/ID/, then the sweep's results from those folders, exactly as an
 * unsharded sweep makes them (so sweep.csv, sweep-differences.csv and summary.json are byte-identical).
 * All-or-nothing: every point's shares are checked before anything is written, and the points/
 * folder is staged with the files and published with them (a previous merge stays until then).
 */
async function mergeSweep(dirs: readonly string[], out: string, force: boolean): Promise<MergeResult & { sweep: SweepSummary }> {
  return mergeSweepInto(checkSweepShards(dirs), out, force);
}

/** A sweep's shards, read and checked: one sweep, every point held, each point's replicates once. */
export interface CheckedSweepShards {
  dirs: readonly string[];
  first: z.infer<typeof sweepShardManifest>;
  varies: { path: string; keys: string[]; values: (string | number | boolean)[] }[];
  points: ReturnType<typeof sweepGrid>;
  /** Per point, in grid order: its shares (points/ID/ of the shards), checked. */
  shares: CheckedShards[];
}

/** Reads a sweep's shards and checks them (DataError naming the shard and point); nothing is written. */
export function checkSweepShards(dirs: readonly string[]): CheckedSweepShards {
  const manifests = dirs.map(readSweepManifest);
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    const same = JSON.stringify([m.sweep, m.seed, m.replicates, m.protocol, m.cohort, m.inputs]) === JSON.stringify([first.sweep, first.seed, first.replicates, first.protocol, first.cohort, first.inputs]);
    if (!same) throw new DataError(join(dirs[i]!, 'run.json'), `comes from a different sweep than ${join(dirs[0]!, 'run.json')} (grid, protocol, cohort or data files, seed or replicates differ)`);
  });
  const varies = first.sweep.vary.map((v) => ({ path: v.path, keys: [], values: v.values }));
  const points = sweepGrid(varies);
  if (JSON.stringify(points.map((p) => p.id)) !== JSON.stringify(first.sweep.points.map((p) => p.id))) throw new DataError(join(dirs[0]!, 'run.json'), 'its points do not match its grid (the file was edited)');
  // Every point is held by the shards, each replicate once, before anything is written.
  const shares = points.map((p) => {
    const found = dirs.map((d) => join(d, POINTS_DIR, p.id)).filter((d) => existsSync(join(d, 'run.json')));
    if (found.length === 0) throw new DataError(dirs[0]!, `no shard holds point ${p.index} (${p.label}): points/${p.id} is missing from every shard`);
    return checkShards(found);
  });
  return { dirs, first, varies, points, shares };
}

/** Writes the merge of a sweep's checked shards into OUT (a sweep's directory), all-or-nothing. */
export async function mergeSweepInto({ dirs, first, varies, points, shares }: CheckedSweepShards, out: string, force: boolean): Promise<MergeResult & { sweep: SweepSummary }> {
  // The merged result is a sweep's, written as `vtrial sweep` writes it.
  const writer = RunWriter.open(out, { force, kind: 'sweep', inputs: dirs, folders: [[POINTS_DIR, 'points']] });
  try {
    const staged = writer.stagedFolder(POINTS_DIR);
    const results = [];
    for (const [i, p] of points.entries()) {
      const dir = join(staged, p.id);
      const pw = RunWriter.open(dir, { force: false, kind: 'merge', inputs: shares[i]!.dirs });
      try {
        await mergeInto(pw, shares[i]!, dir);
      } catch (err) {
        pw.abort();
        throw err;
      }
      results.push(readPoint(dir, first.replicates));
    }
    const identity = { protocol: first.protocol, cohort: first.cohort, seed: first.seed, replicates: first.replicates };
    const sweep = await writeSweepResults(writer, identity, varies, points, results);
    await writer.json('run.json', { ...first, command: null, shard: null, mergedFrom: dirs, files: await writer.fileRecords() });
    await writer.commit();
    return { out, shards: dirs.length, summary: results[0]!.summary, sweep };
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/** A replicate run's shards, read and checked: one run, every replicate exactly once (in `ranges`). */
interface CheckedShards {
  dirs: readonly string[];
  manifests: ShardManifest[];
  ranges: { from: number; to: number; dir: string }[];
}

/** Reads the shards' manifests and checks them (DataError naming the shard); nothing is written. */
function checkShards(dirs: readonly string[]): CheckedShards {
  const manifests = dirs.map(readManifest);
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    const same = m.protocol.sha256 === first.protocol.sha256 && m.cohort.sha256 === first.cohort.sha256 && JSON.stringify(m.inputs) === JSON.stringify(first.inputs) && m.seed === first.seed && m.replicates === first.replicates && JSON.stringify(m.scenarios) === JSON.stringify(first.scenarios);
    if (!same) throw new DataError(join(dirs[i]!, 'run.json'), `comes from a different run than ${join(dirs[0]!, 'run.json')} (protocol, cohort or data files, seed, replicates or scenarios differ)`);
  });
  // Coverage: every replicate exactly once.
  const ranges = manifests.map((m, i) => ({ from: m.replicateRange[0], to: m.replicateRange[1], dir: dirs[i]! })).sort((a, b) => a.from - b.from);
  let expected = 1;
  for (const r of ranges) {
    if (r.from !== expected) throw new DataError(r.dir, r.from > expected ? `${replicatesText(expected, r.from - 1)} missing (no shard covers ${r.from - 1 === expected ? 'it' : 'them'})` : `${replicatesText(r.from, Math.min(r.to, expected - 1))} covered twice`);
    expected = r.to + 1;
  }
  if (expected !== first.replicates + 1) throw new DataError(ranges[ranges.length - 1]!.dir, `${replicatesText(expected, first.replicates)} missing (no shard covers ${first.replicates === expected ? 'it' : 'them'})`);
  return { dirs, manifests, ranges };
}

/** Writes the merge of checked shards into WRITER and publishes it. */
async function mergeInto(writer: RunWriter, { dirs, manifests, ranges }: CheckedShards, out: string): Promise<MergeResult> {
  const first = manifests[0]!;

  const byDir = new Map(dirs.map((d, i) => [d, manifests[i]!]));
  const read = (dir: string, name: string) => readRecordFile(dir, byDir.get(dir)!, name);
  const records = ranges.flatMap((r) => {
    try {
      return recordsFromRows(read(r.dir, RECORD_FILES.efficacy.name), read(r.dir, RECORD_FILES.trials.name), read(r.dir, RECORD_FILES.safety.name));
    } catch (err) {
      if (err instanceof DataError) throw err;
      throw new DataError(r.dir, (err as Error).message);
    }
  });
  const order = new Map(first.scenarios.map((s, i) => [s, i]));
  records.sort((a, b) => order.get(a.scenario)! - order.get(b.scenario)! || a.replicate - b.replicate);

  const descriptions = new Map((first.protocol.resolved.scenarios ?? []).map((s) => [s.name, s.description ?? '']));
  const identity: RunIdentity = {
    protocol: { file: first.protocol.file, sha256: first.protocol.sha256 },
    cohort: { file: first.cohort.file, sha256: first.cohort.sha256 },
    seed: first.seed,
    scenarios: first.scenarios.map((name) => ({ name, description: name === 'base' ? 'the protocol as written' : (descriptions.get(name) ?? '') })),
  };
  const agg = new Aggregator();
  const files = new RecordFiles(writer, records.some((r) => r.cutoff !== undefined), records.reduce((m, r) => Math.max(m, r.sequential?.lookDay.length ?? 0), 0), records.some((r) => r.efficacy.some((e) => e.estimand !== undefined)));
  for (const r of records) {
    await files.add(r);
    agg.add(r);
  }
  await files.flush();
  const summary = summaryOf(identity, first.replicates, agg, VERSION, interimModelsOf(first.protocol.resolved));
  for (const t of aggregateTables(summary)) await writer.table(t);
  await writer.json('summary.json', summary);
  await writer.json('run.json', { ...first, command: null, shard: null, replicateRange: [1, first.replicates], mergedFrom: dirs, files: await writer.fileRecords() });
  await writer.commit();
  return { out, shards: dirs.length, summary };
}

/** "replicate 3 is" or "replicates 3-5 are", for merge's messages. */
function replicatesText(from: number, to: number): string {
  return from === to ? `replicate ${from} is` : `replicates ${from}-${to} are`;
}
