/**
 * `vtrial sample-size PROTOCOL --power P --replicates R --out DIR`: the smallest enrolment.target
 * (or another monotone numeric path, --vary PATH) at which the success criterion reaches power P,
 * by simulation. Every N simulated is a point of a sweep (DIR/base/points/<id>/, the base
 * scenario; replicates 1..R with the same seed, so the points are nested under common random
 * numbers and a re-run resumes); after each round the search (src/design/sample-size-search.ts)
 * fits probit(power) = a + b log N to the points and proposes the next N. At the chosen N the
 * protocol's null scenario (the first with no_effect: true) gives the type I error
 * (DIR/null/). DIR/sample-size.json holds the answer, sample-size-search.csv the search path.
 */
import { join } from 'node:path';
import { VERSION } from '../version.js';
import { readSpecFile } from '../io/read-spec-file.js';
import { readPoint, sweepCommand, type SweepProgress } from './sweep-command.js';
import { POINTS_DIR } from '../io/output-files.js';
import { RunWriter } from '../io/run-writer.js';
import { UsageError } from '../errors/usage-error.js';
import { parseVary } from '../design/vary.js';
import { fittedPower, nInterval, roundUp, SAMPLE_SIZE_JSON, SAMPLE_SIZE_SEARCH_COLUMNS, SAMPLE_SIZE_SEARCH_CSV, searchStep, type SearchPoint } from '../design/sample-size-search.js';
import type { ReplicateRecord } from '../replicates/replicate.js';
import type { Table } from '../util/table.js';

export interface SampleSizeSimulationOptions {
  protocolFile: string;
  cohortFile?: string;
  power: number;
  /** The monotone path searched; default enrolment.target. */
  path?: string;
  /** `ENDPOINT` or `ENDPOINT:METHOD`: the analysis that must reject; default every primary analysis. */
  analysis?: string;
  replicates: number;
  seed: number;
  workers: number;
  out: string;
  force: boolean;
  /** Rounds of the search before it stops unconverged. */
  maxRounds?: number;
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

export interface SampleSizeSimulationResult {
  vtrial: string;
  protocol: string;
  path: string;
  criterion: string;
  targetPower: number;
  replicates: number;
  seed: number;
  block: number;
  converged: boolean;
  /** The fitted curve's root, its MC interval, and it rounded up to the block. */
  nFitted: number | null;
  nInterval: [number, number] | null;
  n: number | null;
  fit: { a: number; b: number } | null;
  power: { value: number; mcse: number } | null;
  typeIError: { scenario: string; value: number; mcse: number } | null;
  search: SearchRow[];
  out: string;
  seconds: number;
}

const get = (data: unknown, keys: readonly (string | number)[]): unknown => keys.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), data);

/** Per replicate of the scenario: whether every analysis of the criterion rejected. */
export function successes(records: readonly ReplicateRecord[], scenario: string, analysis?: string): { successes: number; trials: number } {
  const [endpoint, method] = analysis ? analysis.split(':') : [];
  let s = 0;
  let n = 0;
  for (const r of records) {
    if (r.scenario !== scenario) continue;
    const rows = r.efficacy.filter((e) => (endpoint === undefined ? e.role === 'primary' : e.endpoint === endpoint && (method === undefined || e.method === method)));
    if (rows.length === 0) throw new UsageError(analysis ? `--analysis ${analysis}: the protocol's analysis plan has no such analysis` : 'the protocol has no primary analysis');
    n++;
    if (rows.every((e) => e.reject)) s++;
  }
  return { successes: s, trials: n };
}

export async function sampleSizeSimulation(o: SampleSizeSimulationOptions): Promise<SampleSizeSimulationResult> {
  const started = performance.now();
  if (!(o.power > 0 && o.power < 1)) throw new UsageError(`--power: expected a value in (0, 1), found ${o.power}`);
  const path = o.path ?? 'enrolment.target';
  const keys = parseVary(`${path}=1`).keys;
  const sf = readSpecFile(o.protocolFile);
  const start = get(sf.data, keys);
  if (typeof start !== 'number' || !(start > 0)) throw new UsageError(`sample-size: ${path} in ${o.protocolFile} is ${JSON.stringify(start)}; the search starts from its value and needs a positive number`);
  const arms = get(sf.data, ['arms']);
  const blockSize = get(sf.data, ['randomisation', 'block_size']);
  // enrolment.target rounds up to the randomisation block (default: two per arm, as for 1:1); other paths to whole numbers.
  const block = path === 'enrolment.target' ? (typeof blockSize === 'number' ? blockSize : 2 * (Array.isArray(arms) ? arms.length : 1)) : 1;
  const scenarios = (get(sf.data, ['scenarios']) ?? []) as { name: string; no_effect?: boolean }[];
  const nullScenario = scenarios.find((s) => s.no_effect)?.name;
  const criterion = o.analysis ?? 'all primary analyses reject';
  const searchOpts = { target: o.power, block, min: block };

  const simulated = new Map<number, SearchPoint & { round: number }>();
  const sweep = async (ns: number[], scenario: string, dir: string, round: number) => {
    const r = await sweepCommand({ protocolFile: o.protocolFile, cohortFile: o.cohortFile, vary: [`${path}=${ns.join(',')}`], replicates: o.replicates, seed: o.seed, workers: o.workers, scenario, out: dir, force: o.force, onProgress: o.onProgress && ((p) => o.onProgress!({ ...p, round })) });
    return r.summary!.points.map((p) => ({ n: p.values[path] as number, ...successes(readPoint(join(dir, POINTS_DIR, p.id), o.replicates).records, scenario, o.analysis) }));
  };
  const baseDir = join(o.out, 'base');
  let next = [...new Set([start / 2, start, start * 2].map((n) => roundUp(n, block, block)))];
  let step = searchStep([], searchOpts);
  let converged = false;
  const maxRounds = o.maxRounds ?? 8;
  for (let round = 1; round <= maxRounds; round++) {
    const all = [...simulated.keys(), ...next];
    for (const p of await sweep(all, 'base', baseDir, round)) if (!simulated.has(p.n)) simulated.set(p.n, { ...p, round });
    step = searchStep([...simulated.values()], searchOpts);
    if (step.done) {
      converged = step.nChosen !== null;
      break;
    }
    next = step.next;
    if (next.length === 0) break;
  }
  const nChosen = step.nChosen;
  const at = nChosen === null ? undefined : simulated.get(nChosen);
  const mcse = (s: number, n: number) => Math.sqrt((s / n) * (1 - s / n) / n);
  let typeIError: SampleSizeSimulationResult['typeIError'] = null;
  if (nChosen !== null && nullScenario !== undefined) {
    const [p] = await sweep([nChosen], nullScenario, join(o.out, 'null'), 0);
    typeIError = { scenario: nullScenario, value: p!.successes / p!.trials, mcse: mcse(p!.successes, p!.trials) };
  }
  const power = at ? { value: at.successes / at.trials, mcse: mcse(at.successes, at.trials) } : null;
  // The interval needs a power strictly inside (0, 1) at N*: else its MC SE is 0 and says nothing.
  const interval = step.fit && step.nFitted !== null && power && power.mcse > 0 ? nInterval(step.fit, step.nFitted, o.power, power.mcse) : null;
  const search: SearchRow[] = [...simulated.values()].sort((x, y) => x.n - y.n).map((p) => ({ round: p.round, n: p.n, replicates: p.trials, successes: p.successes, power: p.successes / p.trials, powerMcse: mcse(p.successes, p.trials), fittedPower: step.fit ? fittedPower(step.fit, p.n) : null }));
  const result: SampleSizeSimulationResult = {
    vtrial: VERSION,
    protocol: o.protocolFile,
    path,
    criterion,
    targetPower: o.power,
    replicates: o.replicates,
    seed: o.seed,
    block,
    converged,
    nFitted: step.nFitted,
    nInterval: interval,
    n: nChosen,
    fit: step.fit ? { a: step.fit.a, b: step.fit.b } : null,
    power,
    typeIError,
    search,
    out: o.out,
    seconds: 0,
  };
  const writer = RunWriter.open(o.out, { force: true, kind: 'sample-size', inputs: [o.protocolFile] });
  try {
    await writer.table(searchTable(search));
    const { seconds: _s, out: _o, ...json } = result;
    await writer.json(SAMPLE_SIZE_JSON, json);
    await writer.json('run.json', { vtrial: VERSION, command: o.argv ?? null, sampleSize: { path, criterion, targetPower: o.power }, seed: o.seed, replicates: o.replicates, protocol: { file: sf.file, sha256: sf.sha256 }, files: await writer.fileRecords() });
    await writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

function searchTable(rows: readonly SearchRow[]): Table {
  return { name: SAMPLE_SIZE_SEARCH_CSV, columns: [...SAMPLE_SIZE_SEARCH_COLUMNS], rows: rows.map((r) => [r.round, r.n, r.replicates, r.successes, r.power, r.powerMcse, r.fittedPower ?? '']) };
}
