/**
 * What an analysis method is: the endpoint type it accepts, what it estimates and on which
 * scale, how it estimates from one comparison's data, and how the simulation's truth of that
 * quantity is computed from the twins' counterfactual outcomes. The registry (registry.ts) maps
 * each method's name to one of these; nothing else lists the methods.
 *
 * This folder is a leaf (floor 0) so that the spec schema can take the method names from the
 * registry; an entry sees only statistics and plain columns, never the trial or its files.
 */
import type { AnalysisItem } from '../spec/analysis-schema.js';
import type { NotEstimable } from '../stats/not-estimable.js';
import type { Source } from '../random/stream.js';

export type EndpointKind = 'continuous' | 'responder' | 'time_to_event';

/**
 * One comparison's data as columns: the active arm's subjects first (indices 0..nArm-1), then
 * the control arm's. `value` is the continuous value or the 0/1 response; `time` and `event`
 * (1 event, 0 censored) are for time-to-event endpoints; `treatment` is 1 for the active arm.
 */
export interface Comparison {
  nArm: number;
  nControl: number;
  value: Float64Array;
  time: Float64Array;
  event: Float64Array;
  treatment: Float64Array;
  /** The item's adjustment covariates by name, in the item's order. */
  covariates: Record<string, Float64Array>;
  /** Each subject's stratum (0, 1, ... in order of first appearance) when the item is stratified. */
  strata?: Int32Array;
  /** For methods with `repeated`: every subject's values at the repeated visits (subjects in the order above). */
  repeated?: RepeatedMeasures;
  /**
   * The comparison's own random stream, for methods that draw (mi): keyed by (seed, replicate,
   * trial level, "imputation/<item index>/<arm index>"), so the draws are the same for any
   * worker count, batch or shard, and in a run and its re-analysis. Each call opens it afresh.
   */
  random?: () => Source;
  /** Asks mi for its item's tipping-point analysis (single runs and analyze; Estimate.tippingPoint). */
  tippingPoint?: boolean;
}

/**
 * A continuous endpoint at each post-baseline visit up to its own (the last): `values` holds
 * subject i's value at visit j at i·visits.length + j, NaN where it was not observed.
 */
export interface RepeatedMeasures {
  visits: readonly string[];
  values: Float64Array;
}

export interface Summaries {
  measure: string;
  armSummary?: number;
  controlSummary?: number;
}

export interface Estimate extends Summaries {
  estimate: number;
  se?: number;
  ci: [number, number];
  statistic?: number;
  p?: number;
  note?: string;
  /**
   * The direction of the effect where the estimate itself is not estimable (the log-rank test
   * without a hazard ratio): negative when the active arm does better than the null on the
   * estimate's scale (fewer events than expected). One-sided p-values need it.
   */
  sign?: number;
  /** mi's tipping-point analysis (when Comparison.tippingPoint asks): per delta, the pooled two-sided result. */
  tippingPoint?: TippingPointRow[];
}

/** One delta of a tipping-point analysis: the estimate, SE, CI at the item's level, t, Barnard–Rubin df and two-sided p. */
export interface TippingPointRow {
  delta: number;
  estimate: number;
  se: number;
  lower: number;
  upper: number;
  statistic: number;
  df: number;
  p: number;
}

/** A row whose quantity cannot be estimated: every derived number is NA, the reason is its note. */
export interface Unestimable extends Summaries {
  notEstimable: string;
  /** Kept where it is exact although nothing else can be estimated (see NotEstimable). */
  estimate?: number;
}

export type Outcome = Estimate | Unestimable;

export const unestimable = (s: Summaries, why: NotEstimable | string): Unestimable =>
  typeof why === 'string' ? { ...s, notEstimable: why } : { ...s, notEstimable: why.reason, estimate: why.estimate };

/**
 * The enrolled twins' counterfactual outcomes of one endpoint under the active and the control
 * arm (same twins, same order), with what a truth may need besides.
 */
export interface Counterfactuals {
  arm: Float64Array;
  control: Float64Array;
  /** Study duration in days: latent event times beyond it are censored there. */
  durationDays: number;
  /** The item's covariates for the same twins (only asked for by methods that adjust). */
  covariate(name: string): Float64Array;
  /** The same twins' strata (codes 0, 1, ...) by the item's strata variables. */
  strata(): Int32Array;
}

export interface AnalysisMethod<Name extends string = string> {
  /** The name written in a protocol's analysis plan. */
  id: Name;
  endpoint: EndpointKind;
  /** What `estimate` is, as efficacy.csv shows it. */
  measure: string;
  /** Differences are compared with 0 and averaged as they are; ratios with 1 and on the log scale. */
  scale: 'difference' | 'ratio';
  /** Whether the method takes adjustment covariates (`covariates:` in the plan). */
  adjusts: boolean;
  /** Whether the method can be stratified (`strata:` in the plan: cohort covariates whose combinations are the strata). */
  stratifies?: boolean;
  /**
   * Whether the method reads the endpoint at every post-baseline visit up to the endpoint's own
   * (Comparison.repeated); its subjects are then those with any of those visits observed, and
   * `value` is NaN for a subject without the endpoint's own visit.
   */
  repeated?: boolean;
  /** The confidence intervals an item may choose with `ci:` (the first is the default); none: only its own. */
  cis?: readonly string[];
  /** For the README's table of methods (a test keeps the two equal): what is estimated, and the test. */
  docs: { estimate: string; test: string };
  compare(c: Comparison, item: AnalysisItem, conf: number): Outcome;
  /** The same quantity on the counterfactual outcomes of all enrolled twins (NaN when it has none). */
  truth(cf: Counterfactuals, item: AnalysisItem): number;
}

/** Mean in index order (the same sum as Array.prototype.reduce from 0). */
export function meanOf(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** How many entries equal 1. */
export function countOnes(xs: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < xs.length; i++) if (xs[i] === 1) k++;
  return k;
}

/** The arm's and the control's part of a column. */
export const armPart = (c: Comparison, col: Float64Array): Float64Array => col.subarray(0, c.nArm);
export const controlPart = (c: Comparison, col: Float64Array): Float64Array => col.subarray(c.nArm, c.nArm + c.nControl);
