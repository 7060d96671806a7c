/**
 * The true effect a simulation knows: the estimand computed on the counterfactual outcomes of
 * every enrolled twin under both arms (no sampling, no missing data). Difference in means and
 * risk difference are averages of individual differences; the odds ratio is that of the two
 * counterfactual response rates; the hazard ratio is a Cox fit to both arms' latent event times,
 * administratively censored at the end of the study (with the analysis' covariates for cox).
 */
import { coxPh } from '../stats/cox.js';
import { DataError } from '../errors/data-error.js';
import { isNotEstimable } from '../stats/not-estimable.js';
import type { AnalysisItem } from '../spec/analysis-schema.js';
import type { EndpointRuntime, TrialModel } from '../trial/trial-model.js';
import { num, type AdamData } from './adam-data.js';

export function trueEffect(model: TrialModel, e: EndpointRuntime, item: AnalysisItem, arm: string, control: string | undefined, data: AdamData): number {
  const cf = data.counterfactual;
  const colA = `${e.id}.${arm}`;
  if (!cf || cf.length === 0 || !(colA in cf[0]!)) return NaN;
  const ya = cf.map((r) => num(r[colA]));
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  if (!control) {
    if (e.kind !== 'time_to_event') return mean(ya);
    const sorted = [...ya].sort((x, y) => x - y);
    const m = sorted.length;
    return m % 2 ? sorted[(m - 1) / 2]! : (sorted[m / 2 - 1]! + sorted[m / 2]!) / 2;
  }
  const yc = cf.map((r) => num(r[`${e.id}.${control}`]));
  if (e.kind === 'continuous') return mean(ya.map((v, i) => v - yc[i]!));
  if (e.kind === 'responder') {
    const [pa, pc] = [mean(ya), mean(yc)];
    return item.method === 'fisher' ? pa / (1 - pa) / (pc / (1 - pc)) : pa - pc;
  }
  const D = model.durationDays;
  const time = [...ya, ...yc].map((t) => Math.min(t, D));
  const status = [...ya, ...yc].map((t) => (t <= D ? 1 : 0));
  const trt = [...ya.map(() => 1), ...yc.map(() => 0)];
  const covs: Record<string, number[]> = {};
  if (item.method === 'cox' && item.covariates.length) {
    const adsl = new Map(data.adsl.map((r) => [String(r.USUBJID), r]));
    for (const k of item.covariates) {
      const v = cf.map((r) => {
        const x = num(adsl.get(String(r.USUBJID))?.[k]);
        if (!Number.isFinite(x)) throw new DataError('adsl', `analysis covariate "${k}" is not numeric for ${r.USUBJID} (needed for the true effect)`);
        return x;
      });
      covs[k] = [...v, ...v];
    }
  }
  const fit = coxPh(time, status, { TRT: trt, ...covs }, item.ties);
  return isNotEstimable(fit) ? NaN : fit.coefficients.TRT!.hr;
}
