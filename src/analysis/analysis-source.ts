/**
 * What the efficacy analyses read, as columns, whatever the data came from: ADaM records (a
 * single run, `vtrial analyze`) or a simulated trial directly (the replicate engine, which never
 * builds ADaM rows it does not write). Both give the same subjects in the same order (ADSL
 * order: randomised twins, then external control twins) and the same numbers.
 */
import type { AnalysisItem } from '../spec/analysis-schema.js';
import type { RepeatedMeasures } from '../methods/method.js';
import { analysisMethod } from '../methods/registry.js';
import type { EndpointRuntime, TrialModel } from '../trial/trial-model.js';
import { ICE_TYPES, resolveEstimand, type IceType, type ResolvedEstimand } from '../spec/estimand.js';

export type Population = 'randomised' | 'completers';

/** One endpoint's analysis data: one entry per subject with data, in ADSL order. */
export interface EndpointSample {
  n: number;
  /** The subject's arm, as an index into the protocol's arms (-1: an arm the protocol does not define). */
  arm: Int32Array;
  /** Continuous value or 0/1 response (NaN for time to event). */
  value: Float64Array;
  /** Time and event flag (1 event, 0 censored) for time to event (NaN otherwise). */
  time: Float64Array;
  event: Float64Array;
  /** The item's covariates, in the item's order. */
  covariates: Float64Array[];
  /** Each subject's stratum by the item's strata variables (0, 1, ... in order of first appearance; all 0 without strata). */
  strata: Int32Array;
  /** For a method that reads repeated measures: each subject's values at the post-baseline visits up to the endpoint's. */
  repeated?: RepeatedMeasures;
}

export interface AnalysisSource {
  sample(e: EndpointRuntime, item: AnalysisItem, population: Population): EndpointSample;
  /**
   * The enrolled twins' counterfactual values of an endpoint under an arm (undefined: none, e.g. a
   * real trial's data); under the estimand of that label when given (README "Intercurrent events and estimands").
   */
  counterfactual(e: EndpointRuntime, arm: number, estimand?: string): Float64Array | undefined;
  /** A covariate of the same twins, in the same order (for truths that adjust): an ADSL column, or BASE (the endpoint's baseline value). */
  counterfactualCovariate(name: string, e: EndpointRuntime): Float64Array;
  /** The same twins' strata by these variables (codes as in EndpointSample). */
  counterfactualStrata(names: readonly string[]): Int32Array;
}

/** Stratum codes 0, 1, ... in order of first appearance of each key. */
export class StratumCoder {
  private readonly codes = new Map<string, number>();
  code(key: string): number {
    let c = this.codes.get(key);
    if (c === undefined) this.codes.set(key, (c = this.codes.size));
    return c;
  }
}

/** The key of a combination of strata values (text as ADSL holds them). */
export const stratumKey = (values: readonly unknown[]): string => values.map((v) => String(v ?? '')).join('\u0000');

export function emptySample(n: number, covariates: number): EndpointSample {
  return {
    n,
    arm: new Int32Array(n),
    value: new Float64Array(n),
    time: new Float64Array(n),
    event: new Float64Array(n),
    covariates: Array.from({ length: covariates }, () => new Float64Array(n)),
    strata: new Int32Array(n),
  };
}

/** The visit indices a repeated-measures item reads (1 .. the endpoint's visit), or undefined when its method reads one visit. */
export function repeatedVisits(e: EndpointRuntime, item: AnalysisItem): number[] | undefined {
  if (e.kind !== 'continuous' || !analysisMethod(item.method).repeated) return undefined;
  return Array.from({ length: e.visit }, (_, j) => j + 1);
}

/**
 * The repeated measures of one comparison's subjects: the sample's rows of the arm, then those
 * of the control arm, each in sample order (the order efficacy's gather gives every column).
 */
export function gatherRepeated(s: EndpointSample, arm: number, control: number): RepeatedMeasures | undefined {
  const r = s.repeated;
  if (!r) return undefined;
  const nv = r.visits.length;
  const rows: number[] = [];
  for (let i = 0; i < s.n; i++) if (s.arm[i] === arm) rows.push(i);
  for (let i = 0; i < s.n; i++) if (control >= 0 && s.arm[i] === control) rows.push(i);
  const values = new Float64Array(rows.length * nv);
  rows.forEach((i, k) => values.set(r.values.subarray(i * nv, (i + 1) * nv), k * nv));
  return { visits: r.visits, values };
}

/** An analysis item's estimand, resolved against the protocol's intercurrent events (undefined: none declared, today's truth and data). */
export function itemEstimand(model: TrialModel, item: AnalysisItem): ResolvedEstimand | undefined {
  const icm = model.intercurrent;
  return item.estimand !== undefined && icm ? resolveEstimand(item.estimand, item.post_ice, icm.modelled) : undefined;
}

/** The days from which an estimand changes what the analysis sees (Infinity: never). */
export interface IceCuts {
  /** The first ICE handled as failure (composite). */
  failure: number;
  /** The first ICE after which values are missing (hypothetical, or treatment policy with post_ice: discard). */
  discard: number;
  /** The first ICE after which values are the last on-treatment one (while on treatment). */
  lastOnTreatment: number;
}

/** The cuts of an estimand given a subject's observed ICE days. */
export function iceCuts(est: ResolvedEstimand, days: Readonly<Record<IceType, number>>): IceCuts {
  const cuts: IceCuts = { failure: Infinity, discard: Infinity, lastOnTreatment: Infinity };
  for (const t of ICE_TYPES) {
    const h = est.handling[t];
    const d = days[t];
    if (h === 'failure') cuts.failure = Math.min(cuts.failure, d);
    else if (h === 'discard') cuts.discard = Math.min(cuts.discard, d);
    else if (h === 'last_on_treatment') cuts.lastOnTreatment = Math.min(cuts.lastOnTreatment, d);
  }
  return cuts;
}

/**
 * The value an analysis sees at visit j (an index into the schedule, days `visitDays`): after a
 * discarded ICE missing; after a while-on-treatment ICE the value at the last visit on or before
 * it (baseline at worst); else as observed. `valueAt(v)` is the observed value at visit v (NaN: none).
 */
export function handledValue(cuts: IceCuts, visitDays: readonly number[], j: number, valueAt: (v: number) => number): number {
  const day = visitDays[j]!;
  if (!(day > cuts.discard || day > cuts.lastOnTreatment)) return valueAt(j);
  if (cuts.lastOnTreatment <= cuts.discard) {
    let u = j;
    while (u > 0 && visitDays[u]! > cuts.lastOnTreatment) u--;
    return valueAt(u);
  }
  return NaN;
}

/** A time to event as an estimand sees it: an event at a composite ICE, censored at a discarded or while-on-treatment one, whichever comes first. */
export function handledTime(cuts: IceCuts, time: number, event: number): [number, number] {
  const censor = Math.min(cuts.discard, cuts.lastOnTreatment);
  if (cuts.failure <= time && cuts.failure <= censor) return [cuts.failure, 1];
  if (censor < time) return [censor, 0];
  return [time, event];
}
