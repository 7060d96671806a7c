/**
 * The variants of a protocol's enrolment criteria that `vtrial screen --trade-offs` screens: for
 * each criterion, the criteria without it, and (when its expression compares a covariate with a
 * number, e.g. `hba1c >= 7.0`) with every such threshold loosened by a step of 10% of its value
 * (>= and > move down, <= and < move up; the other way under `not`), or with the expression
 * `--move ID=EXPR` gives.
 */
import type { Value } from '../expr/compile.js';
import { parseExpression, type Expr } from '../expr/parse.js';
import type { ReplicateRecord } from '../replicates/replicate.js';
import type { EffectSpread } from '../twins/effect-spread.js';
import { analysisKey, decisions, sequentialDecisions, type PointResults } from './sweep-summary.js';
import { pairedPowerDifference } from './power-differences.js';
import { pairedDifference } from './paired-difference.js';

export interface CriterionText {
  id: string;
  text?: string;
  expr: string;
}

export interface Criteria {
  inclusion: CriterionText[];
  exclusion: CriterionText[];
}

export interface CriteriaVariant {
  /** The criterion changed (`inclusion.ID` or `exclusion.ID`), null for the protocol as written. */
  criterion: string | null;
  change: 'as written' | 'removed' | 'threshold moved';
  /** The changed criterion's expression (threshold moved), else null. */
  expr: string | null;
  criteria: Criteria;
}

/** The fraction of a threshold's value a loosening step moves it by. */
export const THRESHOLD_STEP = 0.1;

const COMPARISON = /([A-Za-z_][A-Za-z0-9_.]*)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)/g;

/**
 * The expression with every `NAME OP NUMBER` threshold loosened for inclusion (tightened for
 * exclusion, which excludes when true); null without one. Under `not` (or `!`) a comparison
 * works the other way, so its step flips at each negation around it; a comparison whose
 * direction the criterion does not fix (inside a function call, an `==`/`!=`, arithmetic or a
 * condition's test) is left as written.
 */
export function movedThresholds(expr: string, kind: 'inclusion' | 'exclusion', step = THRESHOLD_STEP): string | null {
  const signs = comparisonSigns(expr);
  let found = false;
  const out = expr.replace(COMPARISON, (m: string, name: string, op: string, num: string, offset: number) => {
    const sign = signs?.get(offset + m.indexOf(op, name.length)) ?? 0;
    if (sign === 0) return m;
    found = true;
    const v = Number(num);
    const decimals = Math.max(1, (num.split('.')[1] ?? '').length);
    const delta = Math.abs(v) * step || step;
    // An inclusion passes more twins when >= moves down and <= up; an exclusion excludes fewer when >= moves up and <= down; a negation swaps them.
    const down = ((op === '>=' || op === '>') === (kind === 'inclusion')) === sign > 0;
    return `${name} ${op} ${(down ? v - delta : v + delta).toFixed(decimals)}`;
  });
  return found ? out : null;
}

const COMPARISON_OPS = new Set(['<', '<=', '>', '>=']);

/**
 * Per comparison operator in the text (its offset), the sign of the criterion's truth in that
 * comparison's: +1 (it passes more when the comparison does), -1 (under an odd number of
 * negations), 0 (not fixed). The operators of the parse tree in source order are those of the
 * text outside string literals; null when the text does not parse or they differ.
 */
function comparisonSigns(expr: string): Map<number, number> | null {
  let tree: Expr;
  try {
    tree = parseExpression(expr);
  } catch {
    return null;
  }
  const signs: number[] = [];
  const walk = (node: Expr, sign: number): void => {
    if (node.type === 'BinaryExpression') {
      const op = node.operator as string;
      const logical = op === 'and' || op === 'or' || op === '&&' || op === '||';
      walk(node.left as Expr, logical ? sign : 0);
      if (COMPARISON_OPS.has(op)) signs.push(sign);
      walk(node.right as Expr, logical ? sign : 0);
    } else if (node.type === 'UnaryExpression') {
      const op = node.operator as string;
      walk(node.argument as Expr, op === 'not' || op === '!' ? -sign : 0);
    } else if (node.type === 'ConditionalExpression') {
      walk(node.test as Expr, 0);
      walk(node.consequent as Expr, sign);
      walk(node.alternate as Expr, sign);
    } else if (node.type === 'CallExpression') for (const a of node.arguments as Expr[]) walk(a, 0);
    else if (node.type === 'Compound') for (const b of node.body as Expr[]) walk(b, 0);
  };
  walk(tree, 1);
  const offsets: number[] = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (c === '"' || c === "'") {
      const close = expr.indexOf(c, i + 1);
      i = close < 0 ? expr.length : close;
    } else if (c === '<' || c === '>') {
      offsets.push(i);
      if (expr[i + 1] === '=') i++;
    }
  }
  if (offsets.length !== signs.length) return null;
  return new Map(offsets.map((o, k) => [o, signs[k]!]));
}

export function criteriaVariants(c: Criteria, moves: ReadonlyMap<string, string> = new Map()): CriteriaVariant[] {
  const out: CriteriaVariant[] = [{ criterion: null, change: 'as written', expr: null, criteria: c }];
  for (const kind of ['inclusion', 'exclusion'] as const) {
    c[kind].forEach((crit, i) => {
      const without = { ...c, [kind]: c[kind].filter((_, j) => j !== i) };
      out.push({ criterion: `${kind}.${crit.id}`, change: 'removed', expr: null, criteria: without });
      const expr = moves.get(crit.id) ?? movedThresholds(crit.expr, kind);
      if (expr !== null) out.push({ criterion: `${kind}.${crit.id}`, change: 'threshold moved', expr, criteria: { ...c, [kind]: c[kind].map((x, j) => (j === i ? { ...x, expr } : x)) } });
    });
  }
  return out;
}

/* ---- With replicates (`screen --trade-offs --replicates R`): every variant is a sweep point. ---- */

/** A variant's name: its point label and the key of its folder (pointId). */
export function variantLabel(v: CriteriaVariant): string {
  return v.criterion === null ? 'as written' : v.change === 'removed' ? `${v.criterion} removed` : `${v.criterion}: ${v.expr}`;
}

/** Each point's per-replicate spread of individual effects (in the points of screen --trade-offs --replicates). */
export const ITE_RECORD_FILE = 'replicate-ite.csv';
export const ITE_RECORD_COLUMNS = ['scenario', 'replicate', 'endpoint', 'arm', 'control', 'scale', 'n', 'mean', 'sd'] as const;

export interface IteRecord extends EffectSpread {
  scenario: string;
  /** 0-based. */
  replicate: number;
}

const na = (v: number | null): Value => (v === null ? 'NA' : v);
const num = (s: string | undefined): number | null => (s === undefined || s === 'NA' || s === '' ? null : Number(s));

export function iteRecordRows(r: ReplicateRecord): Value[][] {
  return (r.ite ?? []).map((e) => [r.scenario, r.replicate + 1, e.endpoint, e.arm, e.control, e.scale, e.n, na(e.mean), na(e.sd)]);
}

export function iteRecordsFromRows(rows: readonly Record<string, string>[]): IteRecord[] {
  return rows.map((t) => ({ scenario: t.scenario!, replicate: Number(t.replicate) - 1, endpoint: t.endpoint!, arm: t.arm!, control: t.control!, scale: t.scale as EffectSpread['scale'], n: Number(t.n), mean: num(t.mean), sd: num(t.sd) }));
}

/** One row of trade-offs.csv: a variant, scenario and primary analysis. */
export interface TradeOffReplicateRow {
  /** 1-based variant (point) number; 1 is the protocol as written. */
  variant: number;
  criterion: string | null;
  change: CriteriaVariant['change'];
  expr: string | null;
  scenario: string;
  /** The scenario has no efficacy (no_effect): its rejection rate is the type I error. */
  nullScenario: boolean;
  endpoint: string;
  method: string;
  covariates: string;
  measure: string;
  arm: string;
  control: string;
  replicates: number;
  meanScreened: number;
  meanEnrolled: number;
  screenFailureRate: number;
  screenedPerEnrolled: number;
  /** The analysis at the study end, as if there were no interim looks (with looks: the fixed design on the same twins). */
  power: number;
  powerMcse: number;
  /** Against the protocol as written (same scenario and analysis), paired by replicate (common random numbers); null on its own rows. */
  powerDifference: number | null;
  differenceMcse: number | null;
  independentMcse: number | null;
  /**
   * With interim looks (the primary the looks test): the group-sequential design's power, its
   * rejection at any look (sequential-characteristics.csv's overall_reject), and its paired
   * difference from the protocol as written; absent without looks.
   */
  seqPower?: number;
  seqPowerMcse?: number;
  seqPowerDifference?: number | null;
  seqDifferenceMcse?: number | null;
  seqIndependentMcse?: number | null;
  iteScale: EffectSpread['scale'] | null;
  /** Mean over replicates of the enrolled twins' mean individual effect, and of their SD; MC SEs sqrt(var / R). */
  iteMean: number | null;
  iteMeanMcse: number | null;
  iteSd: number | null;
  iteSdMcse: number | null;
  /** The ITE SD's difference from the protocol as written, paired by replicate, and its MC SE. */
  iteSdDifference: number | null;
  iteSdDifferenceMcse: number | null;
}

export const TRADE_OFFS_CSV = 'trade-offs.csv';

export const TRADE_OFFS_COLUMNS: readonly [string, keyof TradeOffReplicateRow][] = [
  ['variant', 'variant'], ['criterion', 'criterion'], ['change', 'change'], ['expr', 'expr'], ['scenario', 'scenario'], ['null_scenario', 'nullScenario'],
  ['endpoint', 'endpoint'], ['method', 'method'], ['covariates', 'covariates'], ['measure', 'measure'], ['arm', 'arm'], ['control', 'control'], ['replicates', 'replicates'],
  ['mean_screened', 'meanScreened'], ['mean_enrolled', 'meanEnrolled'], ['screen_failure_rate', 'screenFailureRate'], ['screened_per_enrolled', 'screenedPerEnrolled'],
  ['power', 'power'], ['power_mcse', 'powerMcse'], ['power_difference', 'powerDifference'], ['difference_mcse', 'differenceMcse'], ['independent_mcse', 'independentMcse'],
  ['ite_scale', 'iteScale'], ['ite_mean', 'iteMean'], ['ite_mean_mcse', 'iteMeanMcse'], ['ite_sd', 'iteSd'], ['ite_sd_mcse', 'iteSdMcse'], ['ite_sd_difference', 'iteSdDifference'], ['ite_sd_difference_mcse', 'iteSdDifferenceMcse'],
];

/** trade-offs.csv's columns with interim looks (after the fixed design's power columns). */
export const TRADE_OFFS_SEQUENTIAL_COLUMNS: readonly [string, keyof TradeOffReplicateRow][] = [
  ['seq_power', 'seqPower'], ['seq_power_mcse', 'seqPowerMcse'], ['seq_power_difference', 'seqPowerDifference'], ['seq_difference_mcse', 'seqDifferenceMcse'], ['seq_independent_mcse', 'seqIndependentMcse'],
];

/** trade-offs.csv's columns: the sequential design's power beside the study end's when a row has it. */
export function tradeOffsColumns(rows: readonly TradeOffReplicateRow[]): readonly [string, keyof TradeOffReplicateRow][] {
  if (!rows.some((r) => r.seqPower !== undefined)) return TRADE_OFFS_COLUMNS;
  return TRADE_OFFS_COLUMNS.flatMap((c) => (c[0] === 'independent_mcse' ? [c, ...TRADE_OFFS_SEQUENTIAL_COLUMNS] : [c]));
}

/** Mean and MC SE sqrt(var / R) (variance with divisor R) of the finite values; nulls without any. */
function meanMcse(x: ArrayLike<number>): [number | null, number | null] {
  let n = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) (n++, (s += x[i]!));
  if (n === 0) return [null, null];
  const m = s / n;
  let v = 0;
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i]!)) v += (x[i]! - m) ** 2;
  return [m, Math.sqrt(v / n / n)];
}

/** Per scenario, endpoint, arm and control: each replicate's ITE mean and SD (NaN: none). */
function iteSeries(ite: readonly IteRecord[] | undefined, replicates: number): Map<string, { scale: EffectSpread['scale']; mean: Float64Array; sd: Float64Array }> {
  const out = new Map<string, { scale: EffectSpread['scale']; mean: Float64Array; sd: Float64Array }>();
  for (const e of ite ?? []) {
    const k = `${e.scenario}\u0000${e.endpoint}\u0000${e.arm}\u0000${e.control}`;
    let v = out.get(k);
    if (!v) out.set(k, (v = { scale: e.scale, mean: new Float64Array(replicates).fill(NaN), sd: new Float64Array(replicates).fill(NaN) }));
    v.mean[e.replicate] = e.mean ?? NaN;
    v.sd[e.replicate] = e.sd ?? NaN;
  }
  return out;
}

/**
 * trade-offs.csv's rows from the variants' replicate runs (results[i] is variants[i]'s point; the
 * first is the protocol as written): per variant, scenario and primary analysis, the screening
 * cost, the power and its paired difference from the protocol as written, and the spread of
 * individual effects on the analysis' endpoint among the enrolled.
 */
export function tradeOffReplicateRows(variants: readonly CriteriaVariant[], results: readonly PointResults[], replicates: number, nullScenarios: ReadonlySet<string>): TradeOffReplicateRow[] {
  const rejections = results.map((r) => decisions(r.records, replicates));
  const seqRejections = results.map((r) => sequentialDecisions(r.records, replicates));
  const ites = results.map((r) => iteSeries(r.ite, replicates));
  return variants.flatMap((v, i) =>
    results[i]!.summary.scenarios.flatMap((sc) =>
      sc.operatingCharacteristics.flatMap((o, j) => {
        if (o.role !== 'primary') return [];
        const k = analysisKey(o, j);
        const mine = rejections[i]!.get(k);
        const theirs = rejections[0]!.get(k);
        const d = i > 0 && mine && theirs ? pairedPowerDifference(theirs, mine) : null;
        const iteKey = `${sc.name}\u0000${o.endpoint}\u0000${o.arm}\u0000${o.control}`;
        const ite = ites[i]!.get(iteKey);
        const [iteMean, iteMeanMcse] = ite ? meanMcse(ite.mean) : [null, null];
        const [iteSd, iteSdMcse] = ite ? meanMcse(ite.sd) : [null, null];
        const base = ites[0]!.get(iteKey);
        const sdDiff = i > 0 && ite && base ? pairedDifference(base.sd, ite.sd) : null;
        const t = sc.trial;
        // The looks test the plan's one primary analysis (the first): its design's power beside the study end's.
        const seq = sc.sequential && j === 0 ? sc.sequential : undefined;
        const seqMine = seqRejections[i]!.get(sc.name);
        const seqTheirs = seqRejections[0]!.get(sc.name);
        const sd = seq && i > 0 && seqMine && seqTheirs ? pairedPowerDifference(seqTheirs, seqMine) : null;
        const sequential = seq ? { seqPower: seq.overallReject, seqPowerMcse: seq.overallRejectMcse, seqPowerDifference: sd?.difference ?? null, seqDifferenceMcse: sd?.mcse ?? null, seqIndependentMcse: sd?.independentMcse ?? null } : {};
        return [{
          variant: i + 1, criterion: v.criterion, change: v.change, expr: v.expr,
          scenario: sc.name, nullScenario: nullScenarios.has(sc.name),
          endpoint: o.endpoint, method: o.method, covariates: o.covariates, measure: o.measure, arm: o.arm, control: o.control, replicates,
          meanScreened: t.meanScreened, meanEnrolled: t.meanEnrolled, screenFailureRate: t.screenFailureRate, screenedPerEnrolled: t.meanScreened / t.meanEnrolled,
          power: o.power, powerMcse: o.powerMcse,
          powerDifference: d?.difference ?? null, differenceMcse: d?.mcse ?? null, independentMcse: d?.independentMcse ?? null,
          ...sequential,
          iteScale: ite?.scale ?? null, iteMean, iteMeanMcse, iteSd, iteSdMcse,
          iteSdDifference: sdDiff?.diff ?? null, iteSdDifferenceMcse: sdDiff?.mcse ?? null,
        }];
      }),
    ),
  );
}
