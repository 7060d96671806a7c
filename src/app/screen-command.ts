/**
 * `vtrial screen`: screens twins of a protocol's cohort until the enrolment target is met or
 * the screening cap is reached, and returns the CONSORT-style flow.
 */
import { loadProtocol, loadProtocolFrom } from '../io/load-specs.js';
import { readSpecFile } from '../io/read-spec-file.js';
import { criteriaVariants, TRADE_OFFS_CSV, tradeOffsColumns, tradeOffReplicateRows, variantLabel, type CriteriaVariant, type CriterionText, type TradeOffReplicateRow } from '../design/trade-offs.js';
import { join } from 'node:path';
import { VERSION } from '../version.js';
import { computePoints, planPoints, readPoint, sweepManifest, type PointsLayout, type SweepProgress } from './sweep-command.js';
import { pointId, type SweepPoint } from '../design/grid.js';
import type { Vary } from '../design/vary.js';
import { POINTS_DIR } from '../io/output-files.js';
import { RunWriter } from '../io/run-writer.js';
import { csvCell } from '../util/csv-cell.js';
import { overLimit, resolveLimits } from '../spec/limits.js';
import { explainShortfall, screenUntilTarget } from '../screening/screen-until-target.js';
import type { ScreeningFlow } from '../screening/screening-tally.js';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import { UsageError } from '../errors/usage-error.js';

export interface ScreenCommandOptions {
  protocolFile: string;
  cohortFile?: string;
  seed: number;
  replicate: number;
  /** Overrides the protocol's enrolment.target. */
  target?: number;
  /** Overrides the protocol's enrolment.max_screened. */
  maxScreened?: number;
}

export interface ScreenCommandResult extends ScreeningFlow {
  protocol: string;
  cohort: string;
  seed: number;
  replicate: number;
}

export function screenCommand(o: ScreenCommandOptions): ScreenCommandResult {
  const p = loadProtocol(o.protocolFile, o.cohortFile);
  const target = o.target ?? p.spec.enrolment.target;
  const maxScreened = o.maxScreened ?? p.spec.enrolment.max_screened;
  // The flags are held to the protocol's size limits, like the values they replace.
  const limits = resolveLimits(p.spec.limits);
  if (target > limits.max_enrolled) throw new UsageError(`--target: ${overLimit('max_enrolled', limits, target)}`);
  if (maxScreened > limits.max_screened) throw new UsageError(`--max-screened: ${overLimit('max_screened', limits, maxScreened)}`);
  const { flow } = screenUntilTarget(p.cohort.model, p.criteria, { seed: o.seed, replicate: o.replicate, target, maxScreened });
  const result = { protocol: p.file, cohort: p.cohort.file, seed: o.seed, replicate: o.replicate, ...flow };
  if (!flow.targetReached) throw new EnrolmentShortfall(explainShortfall(flow), flow);
  return result;
}

export interface TradeOffsOptions extends ScreenCommandOptions {
  /** `ID=EXPR`: the changed expression of a criterion instead of the 10% threshold step. */
  moves?: readonly string[];
}

export interface TradeOffRow {
  criterion: string | null;
  change: CriteriaVariant['change'];
  expr: string | null;
  screened: number;
  eligible: number;
  targetReached: boolean;
  screenFailureRate: number;
  screenedPerEnrolled: number | null;
}

export interface TradeOffsResult {
  protocol: string;
  cohort: string;
  seed: number;
  replicate: number;
  target: number;
  rows: TradeOffRow[];
}

/**
 * `vtrial screen PROTOCOL --trade-offs`: the protocol's screening flow as written, then with each
 * criterion removed and with its thresholds moved (src/design/trade-offs.ts), every variant
 * screening the same twins (same seed and replicate: common random numbers), so the rows differ
 * by the criteria alone. A variant that does not reach the target within max_screened is reported
 * (targetReached false), not an error.
 */
export function screenTradeOffs(o: TradeOffsOptions): TradeOffsResult {
  const { sf, base, variants, protocolOf, target, maxScreened } = tradeOffVariants(o);
  const rows = variants.map((v) => {
    const p = v.criterion === null ? base : loadProtocolFrom({ ...sf, data: protocolOf(v) }, o.cohortFile);
    const { flow } = screenUntilTarget(p.cohort.model, p.criteria, { seed: o.seed, replicate: o.replicate, target, maxScreened });
    return { criterion: v.criterion, change: v.change, expr: v.expr, screened: flow.screened, eligible: flow.eligible, targetReached: flow.targetReached, screenFailureRate: flow.screenFailureRate, screenedPerEnrolled: flow.screenedPerEnrolled };
  });
  return { protocol: base.file, cohort: base.cohort.file, seed: o.seed, replicate: o.replicate, target, rows };
}

/** The protocol file, its criteria variants (as written first) and each variant's protocol data. */
function tradeOffVariants(o: TradeOffsOptions) {
  const sf = readSpecFile(o.protocolFile);
  const data = sf.data as { enrolment?: { target?: number; max_screened?: number; inclusion?: CriterionText[]; exclusion?: CriterionText[] } };
  const moves = new Map<string, string>();
  for (const m of o.moves ?? []) {
    const eq = m.indexOf('=');
    if (eq < 1) throw new UsageError(`--move ${m}: expected CRITERION_ID=EXPR (e.g. hba1c_range="hba1c >= 6.5 and hba1c <= 10.0")`);
    moves.set(m.slice(0, eq).trim(), m.slice(eq + 1).trim());
  }
  const criteria = { inclusion: data.enrolment?.inclusion ?? [], exclusion: data.enrolment?.exclusion ?? [] };
  const ids = new Set([...criteria.inclusion, ...criteria.exclusion].map((c) => c.id));
  for (const id of moves.keys()) if (!ids.has(id)) throw new UsageError(`--move ${id}=...: the protocol has the criteria ${[...ids].join(', ') || '(none)'}`);
  const base = loadProtocolFrom(sf, o.cohortFile);
  const target = o.target ?? base.spec.enrolment.target;
  const maxScreened = o.maxScreened ?? base.spec.enrolment.max_screened;
  const protocolOf = (v: CriteriaVariant): Record<string, unknown> => ({ ...data, enrolment: { ...data.enrolment, inclusion: v.criteria.inclusion, exclusion: v.criteria.exclusion } });
  return { sf, base, variants: criteriaVariants(criteria, moves), protocolOf, target, maxScreened };
}

export interface TradeOffsReplicatesOptions extends Omit<TradeOffsOptions, 'replicate'> {
  replicates: number;
  workers: number;
  batchSize?: number;
  scenario?: string;
  out: string;
  force: boolean;
  argv?: readonly string[];
  onProgress?: (p: SweepProgress) => void;
}

export interface TradeOffsReplicatesResult {
  protocol: string;
  cohort: string;
  seed: number;
  replicates: number;
  /** The scenarios run (base first), and those without efficacy (their rejection rate is the type I error). */
  scenarios: string[];
  nullScenarios: string[];
  rows: TradeOffReplicateRow[];
  out: string;
  computed: string[];
  reused: string[];
  replicatesRun: number;
  seconds: number;
}

/** The output directory of `screen --trade-offs --replicates`: a sweep's layout (points/ per variant, resumable). */
export const TRADE_OFFS_LAYOUT: PointsLayout = { kind: 'trade-offs', manifestKey: 'tradeOffs', what: 'screen --trade-offs\'s' };

/**
 * `vtrial screen PROTOCOL --trade-offs --replicates R --out DIR`: every criteria variant of
 * screenTradeOffs (as written, each criterion removed, its thresholds moved) is a point of a sweep
 * of the protocol: R replicates of each of its scenarios, with the same seed, so replicate r of
 * every variant screens the same twins in the same order and gives them the same randomisation
 * streams and outcomes (common random numbers): the variants differ by their criteria alone, and
 * their differences from the protocol as written carry the paired MC SE. Each replicate also
 * records the spread of the enrolled twins' individual effects on the primary endpoints.
 * DIR/points/<id>/ holds each variant's replicate run; a re-run with the same inputs resumes.
 */
export async function screenTradeOffsReplicates(o: TradeOffsReplicatesOptions): Promise<TradeOffsReplicatesResult> {
  const started = performance.now();
  const { sf, variants, protocolOf } = tradeOffVariants({ ...o, replicate: 0 });
  const labels = variants.map(variantLabel);
  const varies: Vary[] = [{ path: 'criteria', keys: [], values: labels }];
  const points: SweepPoint[] = labels.map((label, i) => ({ index: i + 1, values: [label], id: pointId(varies, [label]), label }));
  // --target and --max-screened replace the protocol's values in every variant, as in a plain trade-offs screen.
  const dataOf = (i: number) => {
    const d = protocolOf(variants[i]!) as { enrolment: Record<string, unknown> };
    return { ...d, enrolment: { ...d.enrolment, ...(o.target !== undefined ? { target: o.target } : {}), ...(o.maxScreened !== undefined ? { max_screened: o.maxScreened } : {}) } };
  };
  const plan = planPoints(sf, { cohortFile: o.cohortFile, seed: o.seed, scenario: o.scenario, replicates: o.replicates, individualEffects: true }, varies, points, (p) => ({ data: dataOf(p.index - 1), issues: [] }));
  const { computed, reused, replicatesRun } = await computePoints(o, plan, TRADE_OFFS_LAYOUT);
  const results = points.map((p) => readPoint(join(o.out, POINTS_DIR, p.id), o.replicates));
  const nullScenarios = plan.sources[0]!.scenarios.filter((s) => s.scenario.no_effect).map((s) => s.scenario.name);
  const rows = tradeOffReplicateRows(variants, results, o.replicates, new Set(nullScenarios));
  const result = { protocol: plan.identity.protocol.file, cohort: plan.identity.cohort.file, seed: o.seed, replicates: o.replicates, scenarios: plan.scenarios, nullScenarios, rows };
  const writer = RunWriter.open(o.out, { force: true, kind: 'trade-offs', inputs: [o.protocolFile, ...plan.inputs.map((i) => i.file)] });
  try {
    const columns = tradeOffsColumns(rows);
    await writer.table({ name: TRADE_OFFS_CSV, columns: columns.map(([c]) => c), rows: rows.map((r) => columns.map(([, k]) => csvCell(r[k]))) });
    await writer.json('summary.json', { vtrial: VERSION, ...result, protocol: plan.identity.protocol, cohort: plan.identity.cohort });
    await writer.json('run.json', {
      vtrial: VERSION,
      command: o.argv ?? null,
      tradeOffs: { ...sweepManifest(plan), variants: variants.map((v, i) => ({ point: i + 1, criterion: v.criterion, change: v.change, expr: v.expr })) },
      seed: o.seed,
      replicates: o.replicates,
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
  return { ...result, out: o.out, computed, reused, replicatesRun, seconds: (performance.now() - started) / 1000 };
}
