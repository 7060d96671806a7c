/** The analysis source of ADaM records (a single run's tables in memory, or CSV files read by `vtrial analyze`). */
import type { AnalysisItem } from '../spec/analysis-schema.js';
import { DataError } from '../errors/data-error.js';
import type { EndpointRuntime, TrialModel } from '../trial/trial-model.js';
import { num, type AdamData } from './adam-data.js';
import { emptySample, repeatedVisits, StratumCoder, stratumKey, type AnalysisSource, type EndpointSample, type Population } from './analysis-source.js';
import { subjectsFor } from './endpoint-data.js';

export function adamSource(model: TrialModel, data: AdamData): AnalysisSource {
  const armIndex = new Map(model.arms.map((a, i) => [a.id, i]));
  return {
    sample(e: EndpointRuntime, item: AnalysisItem, population: Population): EndpointSample {
      const subjects = subjectsFor(model, e, item, population, data);
      const s = emptySample(subjects.length, item.covariates.length);
      const coder = new StratumCoder();
      const rv = repeatedVisits(e, item);
      const nv = rv?.length ?? 0;
      if (rv) s.repeated = { visits: rv.map((v) => model.visits[v]!.name), values: new Float64Array(subjects.length * nv) };
      subjects.forEach((x, i) => {
        if (s.repeated) s.repeated.values.set(x.repeated!, i * nv);
        s.strata[i] = coder.code(x.stratum);
        s.arm[i] = armIndex.get(x.arm) ?? -1;
        s.value[i] = x.value;
        s.time[i] = x.time;
        s.event[i] = x.event;
        item.covariates.forEach((k, j) => (s.covariates[j]![i] = x.covariates[k]!));
      });
      return s;
    },
    counterfactual(e: EndpointRuntime, arm: number, estimand?: string): Float64Array | undefined {
      const cf = data.counterfactual;
      const col = `${e.id}.${model.arms[arm]!.id}${estimand === undefined ? '' : `.${estimand}`}`;
      if (!cf || cf.length === 0 || !Object.hasOwn(cf[0]!, col)) return undefined;
      return Float64Array.from(cf, (r) => num(r[col]));
    },
    counterfactualStrata(names: readonly string[]): Int32Array {
      const adsl = new Map(data.adsl.map((r) => [String(r.USUBJID), r]));
      const coder = new StratumCoder();
      return Int32Array.from(data.counterfactual ?? [], (r) => coder.code(stratumKey(names.map((k) => adsl.get(String(r.USUBJID))?.[k]))));
    },
    counterfactualCovariate(name: string, e: EndpointRuntime): Float64Array {
      // BASE: the baseline row's value of the endpoint's parameter; anything else: ADSL's column.
      const base = name === 'BASE' && e.kind !== 'time_to_event';
      const paramcd = base ? model.biomarkers[e.biomarker]!.paramcd : '';
      const rows = base
        ? new Map(data.adeff.filter((r) => r.PARAMCD === paramcd && r.AVISIT === model.visits[0]!.name).map((r) => [String(r.USUBJID), r]))
        : new Map(data.adsl.map((r) => [String(r.USUBJID), r]));
      return Float64Array.from(data.counterfactual ?? [], (r) => {
        const x = num(rows.get(String(r.USUBJID))?.[name]);
        if (!Number.isFinite(x)) throw new DataError(base ? 'adeff' : 'adsl', `analysis covariate "${name}" is not numeric for ${r.USUBJID} (needed for the true effect)`);
        return x;
      });
    },
  };
}
