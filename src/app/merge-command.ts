/**
 * `vtrial merge DIR... --out OUT`: combines the record files of shards (`run --shard k/n`) into
 * the result of an unsharded run. The shards must come from the same protocol, cohort (same
 * file hashes), seed, replicate count and scenarios, and together cover every replicate once;
 * their records are aggregated in replicate order, exactly as an unsharded run does, so
 * summary.json and the CSV files are byte-identical to it.
 */
import { VERSION } from '../version.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Aggregator } from '../replicates/aggregate.js';
import { RECORD_FILES, RecordFiles, recordsFromRows } from '../replicates/record-files.js';
import { aggregateTables, summaryOf, type ReplicatesSummary, type RunIdentity } from '../replicates/summary.js';
import { DataError } from '../io/data-error.js';
import { prepareOutputDir, RunWriter } from '../io/run-writer.js';
import { UsageError } from './errors.js';

interface ShardManifest {
  seed: number;
  replicates: number;
  shard: { k: number; n: number } | null;
  replicateRange: [number, number];
  scenarios: string[];
  protocol: { file: string; sha256: string; resolved: { scenarios?: { name: string; description?: string }[] } };
  cohort: { file: string; sha256: string };
}

export interface MergeResult {
  out: string;
  shards: number;
  summary: ReplicatesSummary;
}

export async function mergeCommand(dirs: readonly string[], out: string, force: boolean): Promise<MergeResult> {
  if (dirs.length === 0) throw new UsageError('merge needs at least one shard directory');
  const manifests = dirs.map((d) => {
    const f = join(d, 'run.json');
    if (!existsSync(f)) throw new DataError(f, 'not found: is this the output directory of a finished `vtrial run --shard k/n`?');
    return JSON.parse(readFileSync(f, 'utf8')) as ShardManifest;
  });
  const first = manifests[0]!;
  manifests.forEach((m, i) => {
    const same = m.protocol.sha256 === first.protocol.sha256 && m.cohort.sha256 === first.cohort.sha256 && m.seed === first.seed && m.replicates === first.replicates && JSON.stringify(m.scenarios) === JSON.stringify(first.scenarios);
    if (!same) throw new DataError(join(dirs[i]!, 'run.json'), `comes from a different run than ${join(dirs[0]!, 'run.json')} (protocol, cohort, seed, replicates or scenarios differ)`);
  });
  // Coverage: every replicate exactly once.
  const ranges = manifests.map((m, i) => ({ from: m.replicateRange[0], to: m.replicateRange[1], dir: dirs[i]! })).sort((a, b) => a.from - b.from);
  let expected = 1;
  for (const r of ranges) {
    if (r.from !== expected) throw new DataError(r.dir, r.from > expected ? `replicates ${expected}-${r.from - 1} are missing (no shard covers them)` : `replicates ${r.from}-${Math.min(r.to, expected - 1)} are covered twice`);
    expected = r.to + 1;
  }
  if (expected !== first.replicates + 1) throw new DataError(ranges[ranges.length - 1]!.dir, `replicates ${expected}-${first.replicates} are missing (no shard covers them)`);

  const read = (dir: string, name: string) => parse(readFileSync(join(dir, name)), { columns: true }) as Record<string, string>[];
  const records = ranges.flatMap((r) => recordsFromRows(read(r.dir, RECORD_FILES.efficacy.name), read(r.dir, RECORD_FILES.trials.name), read(r.dir, RECORD_FILES.safety.name)));
  const order = new Map(first.scenarios.map((s, i) => [s, i]));
  records.sort((a, b) => order.get(a.scenario)! - order.get(b.scenario)! || a.replicate - b.replicate);

  const descriptions = new Map((first.protocol.resolved.scenarios ?? []).map((s) => [s.name, s.description ?? '']));
  const identity: RunIdentity = {
    protocol: { file: first.protocol.file, sha256: first.protocol.sha256 },
    cohort: { file: first.cohort.file, sha256: first.cohort.sha256 },
    seed: first.seed,
    scenarios: first.scenarios.map((name) => ({ name, description: name === 'base' ? 'the protocol as written' : (descriptions.get(name) ?? '') })),
  };
  prepareOutputDir(out, force);
  const agg = new Aggregator();
  const writer = new RunWriter(out);
  try {
    const files = new RecordFiles(writer);
    for (const r of records) {
      await files.add(r);
      agg.add(r);
    }
    await files.flush();
    const summary = summaryOf(identity, first.replicates, agg, VERSION);
    for (const t of aggregateTables(summary)) await writer.table(t);
    await writer.json('summary.json', summary);
    await writer.json('run.json', { ...first, command: null, shard: null, replicateRange: [1, first.replicates], mergedFrom: dirs });
    await writer.commit();
    return { out, shards: dirs.length, summary };
  } catch (err) {
    writer.abort();
    throw err;
  }
}
