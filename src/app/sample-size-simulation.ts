/**
 * `vtrial sample-size PROTOCOL --power P --replicates R --out DIR`: the smallest enrolment.target
 * (or another monotone numeric path, --vary PATH) at which the success criterion
 * (src/design/sample-size-criterion.ts) reaches power P, by simulation. Every N simulated is a
 * point of a sweep (DIR/base/points/<id>/, the base scenario; replicates 1..R with the same seed,
 * so the points are nested under common random numbers and a re-run resumes).
 *
 * The search starts from the analytic guess of a pilot (src/app/sample-size-start.ts; DIR/pilot/)
 * where the criterion's analysis has a formula, else from the protocol's value. Adaptive (the
 * default): after each round the search (src/design/sample-size-search.ts) fits probit(power) =
 * a + b log N to the points and proposes the next N; at the chosen N the protocol's null scenario
 * (the first with no_effect: true, DIR/null/) gives the type I error. Fixed grid (--grid, and
 * every --shard k/n): the grid's points are simulated under the base and the null scenario, and
 * the curve is fitted once; shards are merged by sampleSizeMerge into the same files.
 * DIR/sample-size.json holds the answer, sample-size-search.csv the points. Without an answer both
 * are still written, with converged false and the reason (the command line exits 3); falls in
 * power between neighbouring values (powerDrops, paired under common random numbers) are listed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { VERSION } from '../version.js';
import { readSpecFile } from '../io/read-spec-file.js';
import { loadProtocolFrom } from '../io/load-specs.js';
import { readPoint, sweepCommand, type SweepProgress } from './sweep-command.js';
import { checkSweepShards, mergeSweepInto } from './merge-command.js';
import type { Shard } from './replicates-command.js';
import { POINTS_DIR } from '../io/output-files.js';
import { RunWriter } from '../io/run-writer.js';
import { UsageError } from '../errors/usage-error.js';
import { DataError } from '../errors/data-error.js';
import { parseVary } from '../design/vary.js';
import { fittedPower, fixedGrid, gridFit, latticeMax, nInterval, powerDrops, SAMPLE_SIZE_JSON, SAMPLE_SIZE_SEARCH_COLUMNS, SAMPLE_SIZE_SEARCH_CSV, searchStep, snap, type PowerDrop, type SearchOptions, type SearchPoint } from '../design/sample-size-search.js';
import { setAtPath } from '../design/set-path.js';
import { protocolSchema } from '../spec/protocol-schema.js';
import { criterionLabel, CriterionUnavailable, successes, type SuccessCriterion } from '../design/sample-size-criterion.js';
import { analyticStart, noAnalyticStart, type AnalyticStart } from './sample-size-start.js';
import type { ReplicateRecord } from '../replicates/replicate.js';
import type { Table } from '../util/table.js';

export interface SampleSizeSimulationOptions {
  protocolFile: string;
  cohortFile?: string;
  power: number;
  /** The monotone path searched; default enrolment.target. */
  path?: string;
  /** The success criterion (README "Sample size by simulation"); default all-primary. Not with analysis.interim. */
  criterion?: 'all-primary' | 'plan';
  /** `ENDPOINT` or `ENDPOINT:METHOD`: the analysis that must reject (instead of a criterion). */
  analysis?: string;
  /** Where the search starts: the analytic guess from a pilot (default; the protocol's value when there is none), or the protocol's value. */
  start?: 'analytic' | 'protocol';
  /** Replicates of the pilot (default 200). */
  pilotReplicates?: number;
  /** A fixed grid instead of the adaptive search (implied by shard). */
  grid?: boolean;
  shard?: Shard;
  replicates: number;
  seed: number;
  workers: number;
  out: string;
  force: boolean;
  /** Rounds of the search before it stops unconverged (default 8; `--rounds`). */
  maxRounds?: number;
  /** Power rises with the value (increase, the default: the smallest value reaching the target) or falls (decrease: the largest). */
  direction?: 'increase' | 'decrease';
  /** The resolution: values searched are multiples of it (default: the block for enrolment.target, 1 for other whole-number paths, 3 significant digits of the protocol's value for real ones). */
  step?: number;
  /** The range searched (default: one step, and no upper limit). */
  min?: number;
  max?: number;
  argv?: readonly string[];
  onProgress?: (p: SweepProgress & { round: number }) => void;
}

export interface SearchRow {
  round: number;
  n: number;
  replicates: number;
  successes: number;
  power: number;
  powerMcse: number;
  fittedPower: number | null;
}

/** A mean over the replicates with its MC SE (SD / sqrt(R)). */
export interface McMean {
  mean: number;
  mcse: number;
}

export interface SampleSizeStart {
  from: 'analytic' | 'protocol';
  /** The value the search (or grid) is centred on: the analytic size, or the protocol's value. */
  value: number;
  analytic: AnalyticStart | null;
  /** Why there is no analytic guess (start from the protocol's value). */
  reason: string | null;
}

export interface SampleSizeSimulationResult {
  vtrial: string;
  protocol: string;
  path: string;
  criterion: string;
  criterionRule: SuccessCriterion;
  /** search: adaptive; grid: a fixed grid fitted once (--grid, --shard merged). */
  mode: 'search' | 'grid';
  targetPower: number;
  replicates: number;
  seed: number;
  block: number;
  start: SampleSizeStart;
  /** The grid's values (mode grid), else null. */
  grid: number[] | null;
  /** Whether the path takes whole numbers only (the schema refuses a fraction), and the direction power moves in. */
  integer: boolean;
  direction: 'increase' | 'decrease';
  /** The range searched: values are multiples of `block` in [min, max] (max null: no limit). */
  range: { min: number; max: number | null };
  converged: boolean;
  /** Why there is no answer (converged false), else null. */
  reason: string | null;
  /** Neighbouring values where the simulated power falls (more than 3 MC SE, paired replicates): power may not be monotone in the path. */
  powerDrops: PowerDrop[];
  /** The fitted curve's root, its MC interval, and it rounded up to the block. */
  nFitted: number | null;
  nInterval: [number, number] | null;
  n: number | null;
  fit: { a: number; b: number } | null;
  /** The power simulated at n (search), or at the grid's value nearest n (grid), with its MC SE. */
  power: { n: number; value: number; mcse: number } | null;
  typeIError: { scenario: string; n: number; value: number; mcse: number } | null;
  /** Group-sequential protocols: the expected patients randomised, information (events or patients observed) and calendar day at the stop, where power is. */
  sequential: { n: number; patients: McMean; information: McMean; day: McMean } | null;
  search: SearchRow[];
  out: string;
  seconds: number;
  /** A shard's run (--shard k/n): only its share was simulated; the answer comes from sampleSizeMerge. */
  shard?: Shard;
}

const get = (data: unknown, keys: readonly (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), data);
const mcse = (s: number, n: number) => Math.sqrt((s / n) * (1 - s / n) / n);
const ADAPTIVE_START = { analytic: [0.87, 1, 1.15], protocol: [0.5, 1, 2] } as const;
const PILOT_DIR = 'pilot';

/** The criterion of the options and the protocol (with analysis.interim: the group-sequential rejection, alone). */
export function criterionOf(o: Pick<SampleSizeSimulationOptions, 'criterion' | 'analysis'>, interim: boolean): SuccessCriterion {
  if (o.criterion && o.analysis) throw new UsageError('sample-size: give --criterion or --analysis, not both');
  if (interim) {
    if (o.criterion || o.analysis) throw new UsageError(`sample-size: the protocol has analysis.interim, so success is the group-sequential design's rejection; ${o.criterion ? '--criterion' : '--analysis'} is for fixed designs`);
    return { kind: 'sequential' };
  }
  if (o.analysis) {
    const [endpoint, method] = o.analysis.split(':');
    return { kind: 'analysis', endpoint: endpoint!, method };
  }
  return { kind: o.criterion ?? 'all-primary' };
}

function count(records: readonly ReplicateRecord[], scenario: string, c: SuccessCriterion) {
  try {
    return successes(records, scenario, c);
  } catch (err) {
    if (err instanceof CriterionUnavailable) throw new UsageError(err.message);
    throw err;
  }
}

function meanOf(xs: readonly number[]): McMean {
  const m = xs.reduce((t, x) => t + x, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((t, x) => t + (x - m) ** 2, 0) / (xs.length - 1) : 0;
  return { mean: m, mcse: Math.sqrt(v / xs.length) };
}

function sequentialAt(records: readonly ReplicateRecord[], n: number): SampleSizeSimulationResult['sequential'] {
  const seq = records.filter((r) => r.scenario === 'base' && r.sequential).map((r) => r.sequential!);
  if (seq.length === 0) return null;
  return { n, patients: meanOf(seq.map((q) => q.patients)), information: meanOf(seq.map((q) => q.information)), day: meanOf(seq.map((q) => q.day)) };
}

/** What every mode shares: the protocol read, the path, its lattice, the criterion and the null scenario. */
interface Setup {
  path: string;
  start: number;
  block: number;
  integer: boolean;
  lattice: Omit<SearchOptions, 'target'> & { direction: 1 | -1 };
  nullScenario: string | undefined;
  criterion: SuccessCriterion;
  sha256: string;
  file: string;
  spec: ReturnType<typeof loadProtocolFrom>['spec'];
}

function setup(o: SampleSizeSimulationOptions): Setup {
  if (!(o.power > 0 && o.power < 1)) throw new UsageError(`--power: expected a value in (0, 1), found ${o.power}`);
  const path = o.path ?? 'enrolment.target';
  const keys = parseVary(`${path}=1`).keys;
  const sf = readSpecFile(o.protocolFile);
  const start = get(sf.data, keys);
  if (typeof start !== 'number' || !(start > 0)) {
    throw new UsageError(`sample-size: ${path} in ${o.protocolFile} is ${JSON.stringify(start)}; the search works on the log of the value and starts from the protocol's value, so it needs a positive number${typeof start === 'number' && start < 0 ? ' (a negative value, such as a negative Emax, cannot be searched: write the protocol so the searched value is positive)' : ''}`);
  }
  const spec = loadProtocolFrom(sf, o.cohortFile).spec;
  const arms = get(sf.data, ['arms']);
  const blockSize = get(sf.data, ['randomisation', 'block_size']);
  const integer = path === 'enrolment.target' || (Number.isInteger(start) && wholeNumbersOnly(sf.data, keys, start));
  // enrolment.target rounds up to the randomisation block (default: two per arm, as for 1:1); other whole-number paths to whole numbers; real ones to 3 significant digits of the start.
  const block = o.step ?? (path === 'enrolment.target' ? (typeof blockSize === 'number' ? blockSize : 2 * (Array.isArray(arms) ? arms.length : 1)) : integer ? 1 : defaultStep(start));
  if (!(block > 0) || !Number.isFinite(block)) throw new UsageError(`--step: expected a positive number, found ${o.step}`);
  if (integer && !Number.isInteger(block)) throw new UsageError(`--step: ${path} takes whole numbers, so the step must be one; found ${block}`);
  const direction = o.direction === 'decrease' ? -1 : 1;
  for (const [flag, v] of [['min', o.min], ['max', o.max]] as const) if (v !== undefined && !(v > 0 && Number.isFinite(v))) throw new UsageError(`--${flag}: expected a positive number, found ${v}`);
  const min = o.min === undefined ? block : Math.max(block, snap(o.min, { target: 0, block, min: block, direction: 1 }));
  const max = latticeMax(o.max, block);
  if (min > max) throw new UsageError(`sample-size: the range searched is empty: --min ${o.min ?? min} is above --max ${o.max} (values are multiples of ${block})`);
  const scenarios = (get(sf.data, ['scenarios']) ?? []) as { name: string; no_effect?: boolean }[];
  return { path, start, block, integer, lattice: { block, min, max: Number.isFinite(max) ? max : undefined, direction }, nullScenario: scenarios.find((s) => s.no_effect)?.name, criterion: criterionOf(o, spec.analysis?.interim !== undefined), sha256: sf.sha256, file: sf.file, spec };
}

/**
 * The default resolution of a real-valued path: the largest 1, 2 or 5 x 10^k at or below 1% of
 * the protocol's value (0.002 for an Emax of 0.4, 0.01 for an SD of 1.1), about the relative
 * resolution of enrolment.target in blocks of 4 near 300; finer steps only chase Monte Carlo noise.
 */
export function defaultStep(start: number): number {
  const x = start / 100;
  const e = Math.floor(Math.log10(x));
  const m = x / 10 ** e;
  return Number(((m >= 5 - 1e-9 ? 5 : m >= 2 - 1e-9 ? 2 : 1) * 10 ** e).toPrecision(12));
}

/**
 * Whether the protocol's schema takes only whole numbers at the path: a value a millionth above
 * and below the (whole) protocol value are both refused. One side alone can be a bound (a
 * proportion of 1), not wholeness.
 */
function wholeNumbersOnly(data: unknown, keys: readonly (string | number)[], value: number): boolean {
  return [1 + 1e-6, 1 - 1e-6].every((f) => {
    const copy = structuredClone(data) as Record<string, unknown>;
    if (setAtPath(copy, keys, value * f) !== null) return false;
    return !protocolSchema.safeParse(copy).success;
  });
}

export async function sampleSizeSimulation(o: SampleSizeSimulationOptions): Promise<SampleSizeSimulationResult> {
  const started = performance.now();
  const s = setup(o);
  const { path, block } = s;
  const searchOpts: SearchOptions = { target: o.power, ...s.lattice };
  const sweepIn = async (ns: number[], scenario: string, dir: string, round: number, replicates: number, shard?: Shard) => {
    const r = await sweepCommand({ protocolFile: o.protocolFile, cohortFile: o.cohortFile, vary: [`${path}=${ns.join(',')}`], replicates, seed: o.seed, workers: o.workers, scenario, shard, out: dir, force: o.force, onProgress: o.onProgress && ((p) => o.onProgress!({ ...p, round })) });
    return r.summary;
  };
  const sweep = async (ns: number[], scenario: string, dir: string, round: number) => {
    const summary = (await sweepIn(ns, scenario, dir, round, o.replicates))!;
    return summary.points.map((p) => {
      const records = readPoint(join(dir, POINTS_DIR, p.id), o.replicates).records;
      return { n: p.values[path] as number, records, ...count(records, scenario, s.criterion) };
    });
  };

  // The start: the pilot's analytic guess, else the protocol's value.
  let start: SampleSizeStart = { from: 'protocol', value: s.start, analytic: null, reason: 'not asked (--start protocol)' };
  const noGuess = (o.start ?? 'analytic') === 'analytic' ? noAnalyticStart(s.spec, path, s.criterion) : null;
  if (noGuess !== null) start = { ...start, reason: noGuess };
  else if ((o.start ?? 'analytic') === 'analytic') {
    const R = o.pilotReplicates ?? 200;
    const summary = (await sweepIn([s.start], 'base', join(o.out, PILOT_DIR), -1, R))!;
    const records = readPoint(join(o.out, PILOT_DIR, POINTS_DIR, summary.points[0]!.id), R).records;
    const a = analyticStart(s.spec, path, s.criterion, records, s.start, o.power);
    start = 'reason' in a ? { from: 'protocol', value: s.start, analytic: null, reason: a.reason } : { from: 'analytic', value: a.n, analytic: a, reason: null };
  }

  if (o.grid || o.shard) {
    const grid = fixedGrid(start.value, block, s.lattice.min, s.lattice.max, s.lattice.direction);
    if (grid.length < 2) throw new UsageError(`sample-size --grid: the grid around ${start.value} has ${grid.length} value${grid.length === 1 ? '' : 's'} within the range searched (--min ${s.lattice.min}${s.lattice.max === undefined ? '' : `, --max ${s.lattice.max}`}); widen the range or move the start`);
    await sweepIn(grid, 'base', join(o.out, 'base'), 1, o.replicates, o.shard);
    if (s.nullScenario !== undefined) await sweepIn(grid, s.nullScenario, join(o.out, 'null'), 0, o.replicates, o.shard);
    const identity: GridIdentity = { protocol: o.protocolFile, protocolSha256: s.sha256, path, criterion: s.criterion, targetPower: o.power, replicates: o.replicates, seed: o.seed, block, start, grid, nullScenario: s.nullScenario ?? null, integer: s.integer, direction: s.lattice.direction, min: s.lattice.min, max: s.lattice.max ?? null };
    if (o.shard) {
      const writer = RunWriter.open(o.out, { force: true, kind: 'sample-size', inputs: [o.protocolFile] });
      try {
        await writer.json('run.json', { vtrial: VERSION, command: o.argv ?? null, sampleSizeGrid: identity, shard: o.shard, seed: o.seed, replicates: o.replicates, files: await writer.fileRecords() });
        await writer.commit();
      } catch (err) {
        writer.abort();
        throw err;
      }
      return { ...emptyResult(identity), out: o.out, shard: o.shard, seconds: (performance.now() - started) / 1000 };
    }
    const writer = RunWriter.open(o.out, { force: true, kind: 'sample-size', inputs: [o.protocolFile] });
    try {
      const result = await finishGrid(identity, o.out, writer, o.out, o.argv);
      result.seconds = (performance.now() - started) / 1000;
      return result;
    } catch (err) {
      writer.abort();
      throw err;
    }
  }

  const simulated = new Map<number, SearchPoint & { round: number; records: readonly ReplicateRecord[] }>();
  const baseDir = join(o.out, 'base');
  let next = [...new Set(ADAPTIVE_START[start.from].map((f) => snap(start.value * f, searchOpts)))];
  let step = searchStep([], searchOpts);
  let converged = false;
  const maxRounds = o.maxRounds ?? 8;
  if (!(Number.isInteger(maxRounds) && maxRounds >= 1)) throw new UsageError(`--rounds: expected a whole number of at least 1, found ${maxRounds}`);
  let reason: string | null = null;
  for (let round = 1; round <= maxRounds; round++) {
    const all = [...simulated.keys(), ...next];
    for (const p of await sweep(all, 'base', baseDir, round)) if (!simulated.has(p.n)) simulated.set(p.n, { ...p, round });
    step = searchStep([...simulated.values()], searchOpts);
    if (step.done) {
      converged = step.nChosen !== null;
      reason = step.reason;
      break;
    }
    next = step.next;
    if (next.length === 0) {
      reason = step.reason ?? 'the search has no further value to simulate';
      break;
    }
    if (round === maxRounds) reason = `the search did not settle within ${maxRounds} rounds${step.nFitted !== null ? ` (the last fitted root was ${step.nFitted.toPrecision(4)})` : ''}; raise --rounds, or start nearer the answer`;
  }
  const drops = powerDrops([...simulated.values()], s.lattice.direction);
  const nChosen = step.nChosen;
  const at = nChosen === null ? undefined : simulated.get(nChosen);
  let typeIError: SampleSizeSimulationResult['typeIError'] = null;
  if (nChosen !== null && s.nullScenario !== undefined) {
    const [p] = await sweep([nChosen], s.nullScenario, join(o.out, 'null'), 0);
    typeIError = { scenario: s.nullScenario, n: nChosen, value: p!.successes / p!.trials, mcse: mcse(p!.successes, p!.trials) };
  }
  const power = at ? { n: at.n, value: at.successes / at.trials, mcse: mcse(at.successes, at.trials) } : null;
  // The interval needs a power strictly inside (0, 1) at N*: else its MC SE is 0 and says nothing.
  const interval = step.fit && step.nFitted !== null && power && power.mcse > 0 ? nInterval(step.fit, step.nFitted, o.power, power.mcse) : null;
  const search: SearchRow[] = [...simulated.values()].sort((x, y) => x.n - y.n).map((p) => ({ round: p.round, n: p.n, replicates: p.trials, successes: p.successes, power: p.successes / p.trials, powerMcse: mcse(p.successes, p.trials), fittedPower: step.fit ? fittedPower(step.fit, p.n) : null }));
  const result: SampleSizeSimulationResult = {
    vtrial: VERSION,
    protocol: o.protocolFile,
    path,
    criterion: criterionLabel(s.criterion),
    criterionRule: s.criterion,
    mode: 'search',
    targetPower: o.power,
    replicates: o.replicates,
    seed: o.seed,
    block,
    start,
    grid: null,
    integer: s.integer,
    direction: s.lattice.direction === 1 ? 'increase' : 'decrease',
    range: { min: s.lattice.min, max: s.lattice.max ?? null },
    converged,
    reason: converged ? null : (reason ?? 'the search stopped without an answer'),
    powerDrops: drops,
    nFitted: step.nFitted,
    nInterval: interval,
    n: nChosen,
    fit: step.fit ? { a: step.fit.a, b: step.fit.b } : null,
    power,
    typeIError,
    sequential: at ? sequentialAt(at.records, at.n) : null,
    search,
    out: o.out,
    seconds: 0,
  };
  await writeResult(o.out, result, { vtrial: VERSION, command: o.argv ?? null, sampleSize: { path, criterion: s.criterion, targetPower: o.power, mode: 'search' }, seed: o.seed, replicates: o.replicates, protocol: { file: s.file, sha256: s.sha256 } }, [o.protocolFile]);
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

async function writeResult(out: string, result: SampleSizeSimulationResult, manifest: Record<string, unknown>, inputs: readonly string[]): Promise<void> {
  const writer = RunWriter.open(out, { force: true, kind: 'sample-size', inputs: [...inputs] });
  try {
    await writeResultWith(writer, result, manifest);
  } catch (err) {
    writer.abort();
    throw err;
  }
}

/** Writes sample-size-search.csv, sample-size.json and run.json into WRITER and publishes them. */
async function writeResultWith(writer: RunWriter, result: SampleSizeSimulationResult, manifest: Record<string, unknown>): Promise<void> {
  await writer.table(searchTable(result.search));
  const { seconds: _s, out: _o, shard: _k, ...json } = result;
  await writer.json(SAMPLE_SIZE_JSON, json);
  await writer.json('run.json', { ...manifest, files: await writer.fileRecords() });
  await writer.commit();
}

/** What identifies a fixed-grid search: shards of one grid agree on all of it (merge checks). */
const gridIdentitySchema = z.object({
  protocol: z.string(),
  protocolSha256: z.string(),
  path: z.string(),
  criterion: z.looseObject({ kind: z.enum(['all-primary', 'plan', 'analysis', 'sequential']) }),
  targetPower: z.number(),
  replicates: z.number().int(),
  seed: z.number(),
  block: z.number(),
  start: z.looseObject({ from: z.enum(['analytic', 'protocol']), value: z.number() }),
  grid: z.array(z.number()).min(2),
  nullScenario: z.string().nullable(),
  integer: z.boolean(),
  direction: z.union([z.literal(1), z.literal(-1)]),
  min: z.number(),
  max: z.number().nullable(),
});
interface GridIdentity {
  protocol: string;
  protocolSha256: string;
  path: string;
  criterion: SuccessCriterion;
  targetPower: number;
  replicates: number;
  seed: number;
  block: number;
  start: SampleSizeStart;
  grid: number[];
  nullScenario: string | null;
  integer: boolean;
  direction: 1 | -1;
  min: number;
  max: number | null;
}

function emptyResult(id: GridIdentity): Omit<SampleSizeSimulationResult, 'out' | 'seconds'> {
  return { vtrial: VERSION, protocol: id.protocol, path: id.path, criterion: criterionLabel(id.criterion), criterionRule: id.criterion, mode: 'grid', targetPower: id.targetPower, replicates: id.replicates, seed: id.seed, block: id.block, start: id.start, grid: id.grid, integer: id.integer, direction: id.direction === 1 ? 'increase' : 'decrease', range: { min: id.min, max: id.max }, converged: false, reason: null, powerDrops: [], nFitted: null, nInterval: null, n: null, fit: null, power: null, typeIError: null, sequential: null, search: [] };
}

/** The points of a complete (unsharded or merged) grid sweep in DIR: N, its records and successes. */
function gridPoints(dir: string, id: GridIdentity, scenario: string) {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { points: { id: string; values: Record<string, unknown> }[] };
  return summary.points.map((p) => {
    const records = readPoint(join(dir, POINTS_DIR, p.id), id.replicates).records;
    return { n: p.values[id.path] as number, records, ...count(records, scenario, id.criterion) };
  });
}

/**
 * Fits the grid's points once (from the sweeps SRC/base and SRC/null) and writes sample-size.json
 * and sample-size-search.csv into WRITER, committing it (the same for a grid run and its merged shards).
 */
async function finishGrid(id: GridIdentity, src: string, writer: RunWriter, out: string, argv: readonly string[] | undefined): Promise<SampleSizeSimulationResult> {
  const pts = gridPoints(join(src, 'base'), id, 'base');
  const g = gridFit(pts, { target: id.targetPower, block: id.block, min: id.min, max: id.max ?? undefined, direction: id.direction });
  // Power, type I error and the sequential means are read at the grid's value nearest n (log scale).
  const nearest = <T extends { n: number }>(xs: readonly T[], n: number) => xs.reduce((b, x) => (Math.abs(Math.log(x.n / n)) < Math.abs(Math.log(b.n / n)) ? x : b));
  const at = g.nChosen === null ? undefined : nearest(pts, g.nChosen);
  let typeIError: SampleSizeSimulationResult['typeIError'] = null;
  if (at && id.nullScenario !== null) {
    const p = nearest(gridPoints(join(src, 'null'), id, id.nullScenario), at.n);
    typeIError = { scenario: id.nullScenario, n: p.n, value: p.successes / p.trials, mcse: mcse(p.successes, p.trials) };
  }
  // Without a simulated N*, the MC SE of the power there is the binomial one at the target power.
  const se = Math.sqrt((id.targetPower * (1 - id.targetPower)) / id.replicates);
  const result: SampleSizeSimulationResult = {
    ...emptyResult(id),
    converged: g.nChosen !== null,
    reason: g.reason,
    powerDrops: powerDrops(pts, id.direction),
    nFitted: g.nFitted,
    nInterval: g.fit && g.nFitted !== null ? nInterval(g.fit, g.nFitted, id.targetPower, se) : null,
    n: g.nChosen,
    fit: g.fit ? { a: g.fit.a, b: g.fit.b } : null,
    power: at ? { n: at.n, value: at.successes / at.trials, mcse: mcse(at.successes, at.trials) } : null,
    typeIError,
    sequential: at ? sequentialAt(at.records, at.n) : null,
    search: pts.sort((x, y) => x.n - y.n).map((p) => ({ round: 1, n: p.n, replicates: p.trials, successes: p.successes, power: p.successes / p.trials, powerMcse: mcse(p.successes, p.trials), fittedPower: g.fit ? fittedPower(g.fit, p.n) : null })),
    out,
    seconds: 0,
  };
  await writeResultWith(writer, result, { vtrial: VERSION, command: argv ?? null, sampleSize: { path: id.path, criterion: id.criterion, targetPower: id.targetPower, mode: 'grid', grid: id.grid }, seed: id.seed, replicates: id.replicates, protocol: { file: id.protocol, sha256: id.protocolSha256 } });
  return result;
}

/**
 * `vtrial sample-size --merge DIR... --out OUT`: the shards of one fixed-grid search (each run
 * with --shard k/n) merged: their base and null sweeps by `vtrial merge`'s rules (OUT/base,
 * OUT/null, byte for byte the unsharded sweeps), then the fit, as an unsharded --grid run writes it.
 * All-or-nothing: both sweeps' shards are checked first, and base/ and null/ are staged with the
 * files and published with them (a previous merge in OUT stays until then).
 */
export async function sampleSizeMerge(o: { dirs: readonly string[]; out: string; force: boolean; argv?: readonly string[] }): Promise<SampleSizeSimulationResult> {
  const started = performance.now();
  if (o.dirs.length === 0) throw new UsageError('sample-size --merge: give the shards\' directories');
  const shards = o.dirs.map((dir) => {
    const f = join(dir, 'run.json');
    if (!existsSync(f)) throw new DataError(f, 'is missing: is this the output directory of a finished `vtrial sample-size PROTOCOL --shard k/n`?');
    const m = JSON.parse(readFileSync(f, 'utf8')) as { vtrial?: string; sampleSizeGrid?: unknown; shard?: Shard };
    const id = gridIdentitySchema.safeParse(m.sampleSizeGrid);
    if (!id.success || !m.shard) throw new DataError(f, 'is not the manifest of a sample-size shard (vtrial sample-size PROTOCOL --shard k/n)');
    if (m.vtrial !== VERSION) throw new DataError(f, `was written by vtrial ${m.vtrial}; this is vtrial ${VERSION}: shards merge only within one version`);
    return { dir, identity: m.sampleSizeGrid as GridIdentity, shard: m.shard };
  });
  const first = shards[0]!;
  for (const sh of shards) {
    if (JSON.stringify(sh.identity) !== JSON.stringify(first.identity)) throw new DataError(join(sh.dir, 'run.json'), `comes from a different sample-size grid than ${join(first.dir, 'run.json')} (protocol, criterion, power, replicates, seed, start or grid differ)`);
  }
  const n = first.shard.n;
  const ks = shards.map((sh) => sh.shard.k).sort((a, b) => a - b);
  if (shards.some((sh) => sh.shard.n !== n) || ks.length !== n || ks.some((k, i) => k !== i + 1)) throw new UsageError(`sample-size --merge: expected the shards 1..${n} of one split, found ${shards.map((sh) => `${sh.shard.k}/${sh.shard.n}`).join(', ')}`);
  const sweeps = (first.identity.nullScenario === null ? ['base'] : ['base', 'null']).map((name) => ({ name, shards: checkSweepShards(o.dirs.map((d) => join(d, name))) }));
  const writer = RunWriter.open(o.out, { force: o.force, kind: 'sample-size', inputs: [...o.dirs, first.identity.protocol], folders: sweeps.map(({ name }) => [name, 'sweep'] as const) });
  try {
    let staging = '';
    for (const { name, shards: c } of sweeps) {
      const dir = writer.stagedFolder(name);
      staging = dirname(dir);
      await mergeSweepInto(c, dir, false);
    }
    const result = await finishGrid(first.identity, staging, writer, o.out, o.argv);
    result.seconds = (performance.now() - started) / 1000;
    return result;
  } catch (err) {
    writer.abort();
    throw err;
  }
}

function searchTable(rows: readonly SearchRow[]): Table {
  return { name: SAMPLE_SIZE_SEARCH_CSV, columns: [...SAMPLE_SIZE_SEARCH_COLUMNS], rows: rows.map((r) => [r.round, r.n, r.replicates, r.successes, r.power, r.powerMcse, r.fittedPower ?? '']) };
}
