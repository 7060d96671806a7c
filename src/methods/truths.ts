/**
 * The truths a simulation knows, one per estimand: the quantity computed on the counterfactual
 * outcomes of every enrolled twin under both arms (no sampling, no missing data). Differences
 * in means and risk differences are averages of individual differences; the odds ratio is that
 * of the two counterfactual response rates; the hazard ratio is a Cox fit to both arms' latent
 * event times, administratively censored at the end of the study (with the analysis' covariates
 * when the method adjusts, and its strata).
 */
import { coxPh } from '../stats/cox.js';
import { isNotEstimable } from '../stats/not-estimable.js';
import type { AnalysisItem } from '../spec/analysis-schema.js';
import { meanOf, type Counterfactuals } from './method.js';

/** A column of the enrolled twins repeated for the second arm's rows (the truths' data hold every twin under both arms). */
export function twice<T extends Float64Array | Int32Array>(v: T): T {
  const both = new (v.constructor as new (n: number) => T)(2 * v.length);
  both.set(v, 0);
  both.set(v, v.length);
  return both;
}

/** The item's covariates of the enrolled twins, each repeated for the second arm's rows. */
export function covariatesTwice(cf: Counterfactuals, names: readonly string[]): Record<string, Float64Array> {
  const covs: Record<string, Float64Array> = {};
  for (const k of names) covs[k] = twice(cf.covariate(k));
  return covs;
}

export function differenceInMeansTruth(cf: Counterfactuals): number {
  const { arm: ya, control: yc } = cf;
  let s = 0;
  for (let i = 0; i < ya.length; i++) s += ya[i]! - yc[i]!;
  return s / ya.length;
}

export function riskDifferenceTruth(cf: Counterfactuals): number {
  return meanOf(cf.arm) - meanOf(cf.control);
}

export function oddsRatioTruth(cf: Counterfactuals): number {
  const [pa, pc] = [meanOf(cf.arm), meanOf(cf.control)];
  return pa / (1 - pa) / (pc / (1 - pc));
}

/** Cox's hazard ratio of the latent event times of both arms (arm first), censored at the end of the study. */
export function hazardRatioTruth(cf: Counterfactuals, item: AnalysisItem, adjusted: boolean): number {
  const { arm: ya, control: yc } = cf;
  const m = ya.length;
  const D = cf.durationDays;
  const time = new Float64Array(2 * m);
  const status = new Float64Array(2 * m);
  const trt = new Float64Array(2 * m);
  for (let i = 0; i < m; i++) {
    time[i] = Math.min(ya[i]!, D);
    status[i] = ya[i]! <= D ? 1 : 0;
    trt[i] = 1;
    time[m + i] = Math.min(yc[i]!, D);
    status[m + i] = yc[i]! <= D ? 1 : 0;
  }
  const covs = adjusted ? covariatesTwice(cf, item.covariates) : {};
  const strata = item.strata?.length ? twice(cf.strata()) : undefined;
  const fit = coxPh(time, status, { TRT: trt, ...covs }, item.ties, 0.95, { strata });
  return isNotEstimable(fit) ? NaN : fit.coefficients.TRT!.hr;
}
