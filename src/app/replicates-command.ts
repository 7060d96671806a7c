/**
 * `vtrial run --replicates R`: many independent replicate trials of every scenario (or one),
 * across worker threads, aggregated into operating characteristics. With `--shard k/n` only
 * the k-th share of the replicates runs and the records are written for `vtrial merge`.
 */
import { VERSION } from '../version.js';
import { join } from 'node:path';
import { Aggregator, type AeCharacteristics, type OcRow, type TrialCharacteristics } from '../replicates/aggregate.js';
import { compileRun, type RunSource } from '../replicates/compile-run.js';
import { loadProtocol, type LoadedCohort, type LoadedProtocol } from '../io/load-specs.js';
import { executeBatches, planBatches } from '../replicates/executor.js';
import { RecordFiles } from '../io/record-files.js';
import { RunWriter } from '../io/run-writer.js';
import { aggregateTables, summaryOf, type ReplicatesSummary } from '../replicates/summary.js';
import { UsageError } from '../errors/usage-error.js';
import { declaresEstimand } from '../spec/estimand.js';
import { replicateTippingPointNote } from '../analysis/tipping-point.js';

export interface Shard {
  k: number;
  n: number;
}

export interface ReplicatesOptions {
  protocolFile: string;
  cohortFile?: string;
  seed: number;
  replicates: number;
  workers: number;
  batchSize?: number;
  scenario?: string;
  keepPatients: number;
  shard?: Shard;
  out: string;
  force: boolean;
  argv?: readonly string[];
  onProgress?: (p: ReplicatesProgress) => void;
}

/** Where a replicate run is: replicate `done` of `total` of the scenario in hand, and overall. */
export interface ReplicatesProgress {
  scenario: string;
  /** 1-based. */
  scenarioNumber: number;
  scenarios: number;
  done: number;
  total: number;
  doneAll: number;
  totalAll: number;
}

export interface ReplicatesResult {
  out: string;
  summary: ReplicatesSummary | null;
  shard?: Shard;
  replicatesRun: number;
  patientVisits: number;
  seconds: number;
  /** Notes for stderr: a tipping_point the replicates do not compute (README "Multiple imputation"). */
  notes: string[];
}

/** Replicates [from, to) of shard k of n: contiguous, as equal as possible. */
export function shardRange(R: number, shard?: Shard): [number, number] {
  if (!shard) return [0, R];
  return [Math.floor(((shard.k - 1) * R) / shard.n), Math.floor((shard.k * R) / shard.n)];
}

/**
 * Reads and checks a protocol (its cohorts and data files, each read once) as plain data for
 * replicate runs; `only` restricts the scenarios (by name). Workers compile it without a file.
 */
export function loadRun(protocolFile: string, cohortFile: string | undefined, seed: number, only?: string): RunSource {
  return runSourceOf(loadProtocol(protocolFile, cohortFile), seed, only);
}

/** A loaded protocol as a run's plain data (see loadRun). */
export function runSourceOf(p: LoadedProtocol, seed: number, only?: string): RunSource {
  const protocolFile = p.file;
  if (!p.trial) throw new UsageError(`${protocolFile} has no arms: it can be screened (vtrial screen) but not run`);
  const chosen = only ? p.scenarios.filter((s) => s.scenario.name === only) : p.scenarios;
  if (only && chosen.length === 0) throw new UsageError(`--scenario ${only}: the protocol has the scenarios ${p.scenarios.map((s) => s.scenario.name).join(', ')}`);
  // Only the cohorts the chosen scenarios read, each once (scenarios share them by index).
  const cohorts: LoadedCohort[] = [];
  const indexOf = (c: LoadedCohort): number => {
    const i = cohorts.indexOf(c);
    return i >= 0 ? i : cohorts.push(c) - 1;
  };
  const scenarios = chosen.map((s) => {
    const external = s.external && p.cohorts.find((c) => c.model === s.external!.cohort);
    if (s.external && !external) throw new Error(`loadRun: the external cohort of scenario ${s.scenario.name} is not among the loaded cohorts`);
    return { scenario: s.scenario, spec: s.spec, maxScreened: s.spec.enrolment.max_screened, cohort: indexOf(s.cohort), external: external ? indexOf(external) : undefined, prognostic: s.prognostic };
  });
  return {
    protocolFile: p.file,
    protocolSha256: p.sha256,
    cohortFile: p.cohort.file,
    cohortSha256: p.cohort.sha256,
    seed,
    inputs: p.inputs,
    resolved: { protocol: p.spec, cohort: p.cohort.spec },
    cohorts: cohorts.map((c) => ({ file: c.file, spec: c.spec, empirical: c.empirical })),
    scenarios,
  };
}

export async function replicatesCommand(o: ReplicatesOptions): Promise<ReplicatesResult> {
  const started = performance.now();
  const source = loadRun(o.protocolFile, o.cohortFile, o.seed, o.scenario);
  const run = compileRun(source);
  if (o.shard && (o.shard.k < 1 || o.shard.k > o.shard.n)) throw new UsageError(`--shard ${o.shard.k}/${o.shard.n}: k must be between 1 and n`);
  // Checked before the work; the previous results stay until the new ones are complete.
  const writer = RunWriter.open(o.out, { force: o.force, kind: 'replicates', writesPatients: o.keepPatients > 0, inputs: [o.protocolFile, ...run.inputs.map((i) => i.file)] });
  const [from, to] = shardRange(o.replicates, o.shard);
  const perScenario = to - from;
  // In-process, one replicate per batch: the loop yields between batches, so signals and progress
  // get through at once (the run is compiled once, so a batch costs nothing extra). With workers,
  // at least 8 batches per worker keep the end of a run short, and up to 25 replicates make a
  // task's round trip negligible. Workers do not wait for this thread: it is busy ~4% of a
  // 2-worker run, and a record costs 30 (design A) to 170 (design B) microseconds to clone
  // there and back against 12-35 ms to simulate (measured), so records travel as structured clones.
  const batchSize = o.batchSize ?? (o.workers <= 1 ? 1 : Math.max(1, Math.min(25, Math.ceil(perScenario / (o.workers * 8)))));
  const tasks = planBatches({ keepPatients: o.keepPatients }, run.scenarios.length, from, to, batchSize);

  const records = new RecordFiles(writer, run.scenarios.some((s) => s.model.calendar !== undefined), Math.max(0, ...run.scenarios.map((s) => (s.model.interim ? s.model.interim.looks.length + 1 : 0))), run.scenarios.some((s) => declaresEstimand(s.plan)));
  // A shard only writes records (vtrial merge aggregates them), so it keeps nothing per replicate.
  const agg = o.shard ? null : new Aggregator();
  let done = 0;
  let patientVisits = 0;
  const total = perScenario * run.scenarios.length;
  let summary: ReplicatesSummary | null = null;
  try {
    await executeBatches(tasks, {
      workers: o.workers,
      source,
      run,
      onResult: async (result, task) => {
        const scenario = run.scenarios[task.scenarioIndex]!.spec.name;
        for (const p of result.patients) {
          for (const t of p.tables) await writer.table(t, join('patients', scenario, `replicate-${String(p.replicate + 1).padStart(6, '0')}`));
        }
        for (const r of result.records) {
          await records.add(r);
          agg?.add(r);
          patientVisits += r.patientVisits;
          done++;
        }
        o.onProgress?.({ scenario, scenarioNumber: task.scenarioIndex + 1, scenarios: run.scenarios.length, done: task.start - from + result.records.length, total: perScenario, doneAll: done, totalAll: total });
      },
    });
    await records.flush();
    if (agg) {
      summary = summaryOf(run, o.replicates, agg, VERSION);
      for (const t of aggregateTables(summary)) await writer.table(t);
      await writer.json('summary.json', summary);
    }
    await writer.json('run.json', {
      vtrial: VERSION,
      command: o.argv ?? null,
      seed: o.seed,
      replicates: o.replicates,
      shard: o.shard ?? null,
      replicateRange: [from + 1, to],
      scenarios: run.scenarios.map((s) => s.spec.name),
      keepPatients: o.keepPatients,
      protocol: { file: run.protocolFile, sha256: run.protocolSha256, resolved: run.resolved.protocol },
      cohort: { file: run.cohortFile, sha256: run.cohortSha256, resolved: run.resolved.cohort },
      // Every cohort and data file the scenarios read: merge refuses shards that read different ones.
      inputs: run.inputs,
      // Rows, bytes and SHA-256 of every file, checked by `vtrial merge`.
      files: await writer.fileRecords(),
    });
    await writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  const tipping = replicateTippingPointNote(run.scenarios.map((s) => s.plan));
  return { out: o.out, summary, shard: o.shard, replicatesRun: total, patientVisits, seconds: (performance.now() - started) / 1000, notes: tipping ? [tipping] : [] };
}

export type { OcRow, TrialCharacteristics, AeCharacteristics };
