/**
 * `vtrial sweep PROTOCOL --vary PATH=VALUES ... --replicates R --out DIR`: the operating
 * characteristics of every point of a design grid (the protocol with each varied path set to the
 * point's values), crossed with the protocol's scenarios. Every point runs replicates 1..R with
 * the same seed, so replicate r of every point screens, randomises and simulates the same twins
 * (common random numbers): differences between points carry far less Monte Carlo error than the
 * points themselves (sweep-differences.csv shows both SEs).
 *
 * Each point is a replicate run's output folder, points/<id>/ (id from the point's values),
 * written all-or-nothing when the point is complete; sweep.csv, sweep-differences.csv and
 * summary.json are made from those folders at the end. So a re-run with the same DIR, seed and
 * inputs computes only the points whose folders are missing (resume), and `--shard k/n` (a share
 * of points x replicates) writes the points' record files for `vtrial merge`.
 */
import { VERSION } from '../version.js';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Aggregator } from '../replicates/aggregate.js';
import { compileRun, type RunSource } from '../replicates/compile-run.js';
import { executeBatches, ReplicateFailure } from '../replicates/executor.js';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import type { BatchTask } from '../replicates/worker.js';
import { aggregateTables, summaryOf, type ReplicatesSummary } from '../replicates/summary.js';
import { RECORD_FILES, RecordFiles, recordsFromRows } from '../io/record-files.js';
import { loadProtocolFrom } from '../io/load-specs.js';
import { readSpecFile, type SpecFile } from '../io/read-spec-file.js';
import { RunWriter } from '../io/run-writer.js';
import type { TableWriter } from '../io/table-writer.js';
import { filesOf, POINTS_DIR, type OutputKind } from '../io/output-files.js';
import { SpecError, type SpecIssue } from '../spec/spec-error.js';
import { DataError } from '../errors/data-error.js';
import { UsageError } from '../errors/usage-error.js';
import { checkDistinct, parseVary, varyFromSpec, type SweepValue, type Vary } from '../design/vary.js';
import { sweepGrid, type SweepPoint } from '../design/grid.js';
import { pointProtocol } from '../design/point-protocol.js';
import { sweepResults, type PointResults, type SweepIdentity, type SweepSummary } from '../design/sweep-summary.js';
import { runSourceOf, shardRange, type Shard } from './replicates-command.js';
import type { InterimModel } from '../trial/compile-interim.js';
import { ITE_RECORD_COLUMNS, ITE_RECORD_FILE, iteRecordRows, iteRecordsFromRows } from '../design/trade-offs.js';
import { declaresEstimand } from '../spec/estimand.js';

export interface SweepOptions {
  protocolFile: string;
  cohortFile?: string;
  /** `--vary PATH=VALUES` as given; none: the protocol's `sweeps.vary`. */
  vary: readonly string[];
  /** Default: the protocol's `sweeps.replicates`. */
  replicates?: number;
  seed: number;
  workers: number;
  batchSize?: number;
  scenario?: string;
  shard?: Shard;
  out: string;
  force: boolean;
  argv?: readonly string[];
  onProgress?: (p: SweepProgress) => void;
}

/** One progress display across points: where the sweep is, and its overall count for the ETA. */
export interface SweepProgress {
  /** 1-based grid position of the point in hand, and its values. */
  point: number;
  points: number;
  label: string;
  scenario: string;
  done: number;
  total: number;
  doneAll: number;
  totalAll: number;
}

export interface SweepResult {
  out: string;
  summary: SweepSummary | null;
  shard?: Shard;
  points: number;
  /** Point ids simulated by this call, and those already complete in DIR (resume). */
  computed: string[];
  reused: string[];
  replicatesRun: number;
  seconds: number;
}

/** A sweep as planned: grid, per-point run data and identity. */
export interface SweepPlan {
  identity: SweepIdentity;
  varies: Vary[];
  points: SweepPoint[];
  sources: RunSource[];
  /** Per point: SHA-256 of everything its results depend on (version, protocol, values, cohort and data files, seed, replicates, scenarios). */
  keys: string[];
  inputs: { file: string; sha256: string }[];
  scenarios: string[];
  /** Each replicate also records the spread of individual effects, in each point's replicate-ite.csv. */
  individualEffects?: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The varied paths: --vary, else the protocol's sweeps.vary. */
function variesOf(o: Pick<SweepOptions, 'vary' | 'protocolFile'>, spec: { sweeps?: { vary: Record<string, SweepValue | SweepValue[]> } }): Vary[] {
  const varies = o.vary.length > 0 ? o.vary.map(parseVary) : Object.entries(spec.sweeps?.vary ?? {}).map(([path, v]) => varyFromSpec(path, v, o.protocolFile));
  if (varies.length === 0) throw new UsageError(`nothing to vary: give --vary PATH=VALUES (e.g. --vary enrolment.target=100:400:100) or a sweeps: section in ${o.protocolFile}`);
  checkDistinct(varies);
  return varies;
}

/**
 * Reads the protocol, builds the grid and checks every point's protocol exactly as `vtrial
 * validate` checks a file; every problem of every point is reported at once (SpecError, exit code
 * 2), each naming its point, before anything is simulated.
 */
export function planSweep(o: Pick<SweepOptions, 'protocolFile' | 'cohortFile' | 'vary' | 'replicates' | 'seed' | 'scenario'>): SweepPlan {
  const sf = readSpecFile(o.protocolFile);
  const base = loadProtocolFrom(sf, o.cohortFile);
  const varies = variesOf(o, base.spec);
  const replicates = o.replicates ?? base.spec.sweeps?.replicates;
  if (replicates === undefined) throw new UsageError(`give --replicates R (or sweeps.replicates in ${o.protocolFile})`);
  if (o.cohortFile && varies.some((v) => v.path === 'cohort')) throw new UsageError('--cohort and --vary cohort=... both choose the cohort: give one');
  const points = sweepGrid(varies);
  return planPoints(sf, { ...o, replicates }, varies, points, (point) => {
    const { data, problems } = pointProtocol(sf.data as Record<string, unknown>, varies, point);
    return { data, issues: problems.map((p) => ({ path: varies.find((v) => v.path === p.path)!.keys.slice(0, -1), message: p.message })) };
  });
}

/**
 * The plan of given points of a protocol file, each with its protocol data (`dataOf`; problems as
 * spec issues): every point's protocol checked as `vtrial validate` checks a file, all problems at
 * once, each naming its point (SpecError), before anything is simulated. `individualEffects`:
 * each replicate also records the spread of individual effects (screen --trade-offs --replicates).
 */
export function planPoints(
  sf: SpecFile,
  o: { cohortFile?: string; seed: number; scenario?: string; replicates: number; individualEffects?: boolean },
  varies: Vary[],
  points: SweepPoint[],
  dataOf: (point: SweepPoint) => { data: Record<string, unknown>; issues: SpecIssue[] },
): SweepPlan {
  const replicates = o.replicates;
  const issues: SpecIssue[] = [];
  const sources: RunSource[] = [];
  const keys: string[] = [];
  for (const point of points) {
    const name = `point ${point.index} (${point.label})`;
    const { data, issues: problems } = dataOf(point);
    for (const p of problems) issues.push({ ...p, message: `${name}: ${p.message}` });
    if (problems.length > 0) continue;
    const pointFile: SpecFile = { file: sf.file, data, sha256: sf.sha256, locate: sf.locate };
    try {
      const source = runSourceOf(loadProtocolFrom(pointFile, o.cohortFile), o.seed, o.scenario);
      sources.push(source);
      keys.push(sha256(JSON.stringify({ vtrial: VERSION, protocol: sf.sha256, point: varies.map((v, i) => [v.path, point.values[i]]), cohort: source.cohortSha256, inputs: source.inputs, seed: o.seed, replicates, scenarios: source.scenarios.map((s) => s.scenario.name), ...(o.individualEffects ? { individualEffects: true } : {}) })));
    } catch (err) {
      if (err instanceof SpecError) issues.push(...err.issues.map((i) => ({ ...i, message: `${name}: ${i.message}` })));
      else if (err instanceof DataError || err instanceof UsageError) issues.push({ path: [], message: `${name}: ${err.message}` });
      else throw err;
    }
  }
  if (issues.length > 0) throw new SpecError(sf.file, issues);
  const first = sources[0]!;
  const inputs = [...new Map(sources.flatMap((s) => s.inputs).map((i) => [i.file, i])).values()];
  return {
    identity: { protocol: { file: first.protocolFile, sha256: first.protocolSha256 }, cohort: { file: first.cohortFile, sha256: first.cohortSha256 }, seed: o.seed, replicates },
    varies,
    points,
    sources,
    keys,
    inputs,
    scenarios: first.scenarios.map((s) => s.scenario.name),
    ...(o.individualEffects ? { individualEffects: true } : {}),
  };
}

/** The replicates [from, to) of each point in shard k of n of the points x replicates (contiguous in grid order). */
export function pointRanges(points: number, replicates: number, shard?: Shard): [number, number][] {
  const [u0, u1] = shardRange(points * replicates, shard);
  return Array.from({ length: points }, (_, i) => [Math.max(0, Math.min(replicates, u0 - i * replicates)), Math.max(0, Math.min(replicates, u1 - i * replicates))]);
}

/** A point folder's manifest, as far as resume reads it. */
function pointManifest(dir: string): { key?: string; replicateRange?: [number, number] } | null {
  const f = join(dir, 'run.json');
  if (!existsSync(f)) return null;
  try {
    const m = JSON.parse(readFileSync(f, 'utf8')) as { point?: { key?: string }; replicateRange?: [number, number] };
    return { key: m.point?.key, replicateRange: m.replicateRange };
  } catch {
    return {};
  }
}

/** What a directory of points holds: its top-level files (of the registry's kind) and its run.json's section naming it. */
export interface PointsLayout {
  kind: OutputKind;
  /** run.json's key that says the directory is this command's (`sweep`, `tradeOffs`). */
  manifestKey: string;
  /** For messages: "a sweep's". */
  what: string;
}

export const SWEEP_LAYOUT: PointsLayout = { kind: 'sweep', manifestKey: 'sweep', what: "a sweep's" };

/** DIR may hold a previous run of the command (resume) and files that are not vtrial's; anything vtrial writes for another command needs --force. */
function checkOutDir(out: string, force: boolean, layout: PointsLayout): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} exists and is not a directory`);
  const entries = readdirSync(out).filter((f) => !f.startsWith('.'));
  // A report of the sweep (vtrial report: report.html and its specs in report/) belongs with it.
  const sweepNames = new Set([...filesOf(layout.kind).map((f) => f.name), POINTS_DIR, 'report.html', 'report']);
  const foreign = entries.filter((e) => !sweepNames.has(e));
  if (foreign.length > 0 && !force) throw new UsageError(`--out ${out} holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}, not ${layout.what} files: choose another directory, or add --force to write beside them (vtrial replaces only its own files)`);
  const manifest = join(out, 'run.json');
  if (existsSync(manifest) && !force) {
    let kind: unknown;
    try {
      kind = (JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>)[layout.manifestKey];
    } catch {
      kind = undefined;
    }
    if (kind === undefined) throw new UsageError(`--out ${out} holds the results of another command (its run.json is not ${layout.what}): choose another directory or add --force`);
  }
}

export async function sweepCommand(o: SweepOptions): Promise<SweepResult> {
  const started = performance.now();
  if (o.shard && (o.shard.k < 1 || o.shard.k > o.shard.n)) throw new UsageError(`--shard ${o.shard.k}/${o.shard.n}: k must be between 1 and n`);
  const plan = planSweep(o);
  const R = plan.identity.replicates;
  const { computed, reused, replicatesRun } = await computePoints(o, plan, SWEEP_LAYOUT);
  const writer = RunWriter.open(o.out, { force: true, kind: 'sweep', inputs: [o.protocolFile, ...plan.inputs.map((i) => i.file)] });
  let summary: SweepSummary | null = null;
  try {
    if (!o.shard) {
      const results = plan.points.map((p) => readPoint(join(o.out, POINTS_DIR, p.id), plan.identity.replicates));
      summary = await writeSweepResults(writer, plan.identity, plan.varies, plan.points, results);
    }
    await writer.json('run.json', {
      vtrial: VERSION,
      command: o.argv ?? null,
      sweep: sweepManifest(plan),
      seed: o.seed,
      replicates: R,
      shard: o.shard ?? null,
      protocol: plan.identity.protocol,
      cohort: plan.identity.cohort,
      inputs: plan.inputs,
      files: await writer.fileRecords(),
    });
    await writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return { out: o.out, summary, shard: o.shard, points: plan.points.length, computed, reused, replicatesRun, seconds: (performance.now() - started) / 1000 };
}

/**
 * Brings DIR/points/ up to date with a plan: checks DIR (the layout's files, resume), then
 * simulates the points whose folders are missing (their share with --shard); a point folder from
 * other inputs is an error unless --force. The caller writes the top-level files.
 */
export async function computePoints(o: Omit<SweepOptions, 'vary'>, plan: SweepPlan, layout: PointsLayout): Promise<{ computed: string[]; reused: string[]; replicatesRun: number }> {
  const R = plan.identity.replicates;
  checkOutDir(o.out, o.force, layout);
  const ranges = pointRanges(plan.points.length, R, o.shard);
  // Resume: a point folder with the same key and replicates is complete; another key is an error (never a mix).
  const todo: number[] = [];
  const reused: string[] = [];
  const stale: string[] = [];
  plan.points.forEach((p, i) => {
    const [from, to] = ranges[i]!;
    if (from >= to) return;
    const m = pointManifest(join(o.out, POINTS_DIR, p.id));
    if (m === null) return void todo.push(i);
    const same = m.key === plan.keys[i] && m.replicateRange?.[0] === from + 1 && m.replicateRange?.[1] === to;
    if (same) reused.push(p.id);
    else if (o.force) todo.push(i);
    else stale.push(`${join(POINTS_DIR, p.id)} (point ${p.index}: ${p.label})`);
  });
  if (stale.length > 0) {
    throw new UsageError(`--out ${o.out} holds ${stale.length === 1 ? 'a point' : `${stale.length} points`} computed from other inputs (protocol, cohort or data files, seed, replicates, scenarios, shard or vtrial version): ${stale.slice(0, 3).join('; ')}${stale.length > 3 ? ` and ${stale.length - 3} more` : ''}. A ${layout.manifestKey === 'sweep' ? 'sweep' : 'run'} resumes only with the same inputs: choose another directory, or add --force to recompute them`);
  }
  mkdirSync(join(o.out, POINTS_DIR), { recursive: true });
  const computed = await runPoints(o, plan, todo, ranges);
  const replicatesRun = todo.reduce((n, i) => n + (ranges[i]![1] - ranges[i]![0]) * plan.scenarios.length, 0);
  return { computed, reused, replicatesRun };
}

/** What identifies a sweep in its run.json: merge checks that shards agree on it. */
export function sweepManifest(plan: Pick<SweepPlan, 'varies' | 'points' | 'keys' | 'scenarios'>) {
  return {
    vary: plan.varies.map((v) => ({ path: v.path, values: v.values })),
    scenarios: plan.scenarios,
    points: plan.points.map((p, i) => ({ point: p.index, id: p.id, values: p.values, key: plan.keys[i]! })),
  };
}

/** Writes sweep.csv, sweep-differences.csv and summary.json (not run.json) from the points' results. */
export async function writeSweepResults(writer: RunWriter, identity: SweepIdentity, varies: readonly Vary[], points: readonly SweepPoint[], results: readonly PointResults[]): Promise<SweepSummary> {
  const r = sweepResults(identity, VERSION, varies, points, results);
  for (const t of r.tables) await writer.table(t);
  await writer.json('summary.json', r.summary);
  return r.summary;
}

/** A complete point folder's summary and records (as merge reads a shard's). */
export function readPoint(dir: string, replicates: number): PointResults {
  const read = (name: string) => parse(readFileSync(join(dir, name)), { columns: true }) as Record<string, string>[];
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as ReplicatesSummary;
  const records = recordsFromRows(read(RECORD_FILES.efficacy.name), read(RECORD_FILES.trials.name), read(RECORD_FILES.safety.name));
  if (summary.replicates !== replicates) throw new DataError(dir, `holds ${summary.replicates} replicates, not ${replicates}`);
  const ite = existsSync(join(dir, ITE_RECORD_FILE)) ? iteRecordsFromRows(read(ITE_RECORD_FILE)) : undefined;
  return { summary, records, ...(ite ? { ite } : {}) };
}

/**
 * Simulates the points `todo` (their replicate ranges) in one pass of the replicate engine: one
 * worker pool for the whole sweep (workers compile every point's scenarios once), tasks in grid
 * order, and each point's folder written and published as soon as its last replicate is in.
 */
async function runPoints(o: Omit<SweepOptions, 'vary'>, plan: SweepPlan, todo: readonly number[], ranges: readonly [number, number][]): Promise<string[]> {
  if (todo.length === 0) return [];
  // One run of every point's scenarios: cohorts shared by file, scenarios in grid order.
  const cohorts: RunSource['cohorts'] = [];
  const cohortIndex = new Map<string, number>();
  const scenarios: RunSource['scenarios'] = [];
  const owner: { point: number; scenario: number }[] = [];
  for (const i of todo) {
    const src = plan.sources[i]!;
    const remap = src.cohorts.map((c) => {
      let k = cohortIndex.get(c.file);
      if (k === undefined) cohortIndex.set(c.file, (k = cohorts.push(c) - 1));
      return k;
    });
    src.scenarios.forEach((s, j) => {
      scenarios.push({ ...s, cohort: remap[s.cohort]!, external: s.external === undefined ? undefined : remap[s.external]! });
      owner.push({ point: i, scenario: j });
    });
  }
  const source: RunSource = { ...plan.sources[todo[0]!]!, cohorts, scenarios };
  const run = compileRun(source);
  const S = plan.scenarios.length;
  // Per point, what its replicate run's files depend on: accrual (the cut-off columns), the looks, and the interim designs.
  const layout = new Map<number, { calendar: boolean; looks: number; designs: Map<string, InterimModel>; estimands: boolean }>();
  owner.forEach(({ point }, g) => {
    const m = run.scenarios[g]!.model;
    const l = layout.get(point) ?? { calendar: false, looks: 0, designs: new Map<string, InterimModel>(), estimands: false };
    l.calendar ||= m.calendar !== undefined;
    l.estimands ||= declaresEstimand(run.scenarios[g]!.plan);
    if (m.interim) {
      l.looks = Math.max(l.looks, m.interim.looks.length + 1);
      l.designs.set(run.scenarios[g]!.spec.name, m.interim);
    }
    layout.set(point, l);
  });
  const tasks = function* (): Generator<BatchTask> {
    let g = 0;
    for (const i of todo) {
      const [from, to] = ranges[i]!;
      const batch = o.batchSize ?? (o.workers <= 1 ? 1 : Math.max(1, Math.min(25, Math.ceil((to - from) / (o.workers * 8)))));
      for (let s = 0; s < S; s++, g++) {
        for (let start = from; start < to; start += batch) yield { scenarioIndex: g, start, end: Math.min(to, start + batch), keepPatients: 0, ...(plan.individualEffects ? { individualEffects: true } : {}) };
      }
    }
  };
  const totalAll = todo.reduce((n, i) => n + (ranges[i]![1] - ranges[i]![0]) * S, 0);
  let doneAll = 0;
  // The point being written: its folder's writer, record files and aggregate.
  let current: { point: number; writer: RunWriter; records: RecordFiles; ite: TableWriter | null; agg: Aggregator | null; remaining: number } | null = null;
  const computed: string[] = [];
  const pointSource = (i: number) => plan.sources[i]!;
  // The point of a failed replicate, so its error names the point as well.
  let failed: SweepPoint | undefined;
  try {
    await executeBatches(tasks(), {
      workers: o.workers,
      source,
      run,
      onResult: async (result, task) => {
        const { point: i, scenario: s } = owner[task.scenarioIndex]!;
        const [from, to] = ranges[i]!;
        if (result.error) failed = plan.points[i];
        if (current?.point !== i) {
          const dir = join(o.out, POINTS_DIR, plan.points[i]!.id);
          const writer = RunWriter.open(dir, { force: true, kind: 'replicates', inputs: [o.protocolFile] });
          const l = layout.get(i)!;
          current = { point: i, writer, records: new RecordFiles(writer, l.calendar, l.looks, l.estimands), ite: plan.individualEffects ? writer.open(ITE_RECORD_FILE, ITE_RECORD_COLUMNS) : null, agg: o.shard ? null : new Aggregator(), remaining: (to - from) * S };
        }
        const c = current;
        for (const r of result.records) {
          await c.records.add(r);
          if (c.ite) for (const row of iteRecordRows(r)) await c.ite.add(row);
          c.agg?.add(r);
          doneAll++;
          c.remaining--;
        }
        const p = plan.points[i]!;
        o.onProgress?.({ point: p.index, points: plan.points.length, label: p.label, scenario: plan.scenarios[s]!, done: task.start - from + result.records.length, total: to - from, doneAll, totalAll });
        if (c.remaining === 0 && !result.error) {
          await c.ite?.flush();
          await finishPoint(c.writer, c.records, c.agg, pointSource(i), plan, i, [from, to], o, layout.get(i)!.designs);
          computed.push(p.id);
          current = null;
        }
      },
    });
  } catch (err) {
    (current as { writer: RunWriter } | null)?.writer.abort();
    if (failed) {
      // The points completed before stay in DIR: a re-run resumes after the fix.
      const at = `point ${failed.index} (${failed.label}), `;
      if (err instanceof EnrolmentShortfall) throw new EnrolmentShortfall(`${at}${err.message}`, err.flow);
      if (err instanceof ReplicateFailure) throw new ReplicateFailure(`${at}${err.message}`);
    }
    throw err;
  }
  return computed;
}

/** A point's folder: what `run --replicates` (or its `--shard`) writes, with the point in run.json. */
async function finishPoint(writer: RunWriter, records: RecordFiles, agg: Aggregator | null, src: RunSource, plan: SweepPlan, i: number, [from, to]: [number, number], o: Omit<SweepOptions, 'vary'>, designs: ReadonlyMap<string, InterimModel>): Promise<void> {
  await records.flush();
  const run = { protocolFile: src.protocolFile, protocolSha256: src.protocolSha256, cohortFile: src.cohortFile, cohortSha256: src.cohortSha256, seed: src.seed, scenarios: src.scenarios.map((s) => ({ spec: s.scenario })) };
  if (agg) {
    const summary = summaryOf({ protocol: { file: run.protocolFile, sha256: run.protocolSha256 }, cohort: { file: run.cohortFile, sha256: run.cohortSha256 }, seed: run.seed, scenarios: run.scenarios.map((s) => ({ name: s.spec.name, description: s.spec.description ?? '' })) }, plan.identity.replicates, agg, VERSION, designs);
    for (const t of aggregateTables(summary)) await writer.table(t);
    await writer.json('summary.json', summary);
  }
  const p = plan.points[i]!;
  await writer.json('run.json', {
    vtrial: VERSION,
    command: null,
    point: { point: p.index, id: p.id, values: Object.fromEntries(plan.varies.map((v, j) => [v.path, p.values[j]!])), key: plan.keys[i]! },
    seed: src.seed,
    replicates: plan.identity.replicates,
    shard: o.shard ?? null,
    replicateRange: [from + 1, to],
    scenarios: plan.scenarios,
    keepPatients: 0,
    protocol: { file: src.protocolFile, sha256: src.protocolSha256, resolved: src.resolved.protocol },
    cohort: { file: src.cohortFile, sha256: src.cohortSha256, resolved: src.resolved.cohort },
    inputs: src.inputs,
    files: await writer.fileRecords(),
  });
  await writer.commit();
}
