/**
 * `vtrial screen`: screens twins of a protocol's cohort until the enrolment target is met or
 * the screening cap is reached, and returns the CONSORT-style flow.
 */
import { loadProtocol, loadProtocolFrom } from '../io/load-specs.js';
import { readSpecFile } from '../io/read-spec-file.js';
import { criteriaVariants, type CriteriaVariant, type CriterionText } from '../design/trade-offs.js';
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
  const rows = criteriaVariants(criteria, moves).map((v) => {
    const p = v.criterion === null ? base : loadProtocolFrom({ ...sf, data: { ...data, enrolment: { ...data.enrolment, inclusion: v.criteria.inclusion, exclusion: v.criteria.exclusion } } }, o.cohortFile);
    const { flow } = screenUntilTarget(p.cohort.model, p.criteria, { seed: o.seed, replicate: o.replicate, target, maxScreened });
    return { criterion: v.criterion, change: v.change, expr: v.expr, screened: flow.screened, eligible: flow.eligible, targetReached: flow.targetReached, screenFailureRate: flow.screenFailureRate, screenedPerEnrolled: flow.screenedPerEnrolled };
  });
  return { protocol: base.file, cohort: base.cohort.file, seed: o.seed, replicate: o.replicate, target, rows };
}
