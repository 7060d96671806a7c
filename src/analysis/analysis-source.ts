/**
 * What the efficacy analyses read, as columns, whatever the data came from: ADaM records (a
 * single run, `vtrial analyze`) or a simulated trial directly (the replicate engine, which never
 * builds ADaM rows it does not write). Both give the same subjects in the same order (ADSL
 * order: randomised twins, then external control twins) and the same numbers.
 */
import type { AnalysisItem } from '../spec/analysis-schema.js';
import type { RepeatedMeasures } from '../methods/method.js';
import { analysisMethod } from '../methods/registry.js';
import type { EndpointRuntime } from '../trial/trial-model.js';

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
  /** The enrolled twins' counterfactual values of an endpoint under an arm (undefined: none, e.g. a real trial's data). */
  counterfactual(e: EndpointRuntime, arm: number): Float64Array | undefined;
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
