/**
 * The analysis source of a simulated trial, read straight from the twins' outcomes into columns
 * (the replicate engine: no ADaM rows are built for an analysis). It yields exactly what the
 * ADaM tables of the same trial would (see adam-tables.ts and endpoint-data.ts): the subjects
 * in ADSL order (randomised twins in enrolment order, then external control twins), AVAL and
 * CHG at the endpoint's visit when it was observed, BASE at visit 0, AVAL and CNSR of ADTTE, and
 * ADSL covariates (the cohort's, and PROG). The replicate-versus-single-run test checks this.
 *
 * A value the ADaM path would reject (a covariate that is not a finite number, a BASE missing
 * where it is a covariate) is not reported here: the source throws NotColumnar and the caller
 * analyses the ADaM tables instead, which raise the error with its file, row and column.
 */
import type { AnalysisItem } from '../spec/analysis-schema.js';
import type { ArmOutcome } from '../trial/simulate-arm.js';
import type { Row } from '../cohort/cohort-model.js';
import type { TrialResult } from '../trial/simulate-trial.js';
import type { EndpointRuntime, TrialModel } from '../trial/trial-model.js';
import { emptySample, handledTime, handledValue, iceCuts, itemEstimand, repeatedVisits, StratumCoder, stratumKey, type AnalysisSource, type EndpointSample, type IceCuts, type Population } from './analysis-source.js';
import type { IceType } from '../spec/estimand.js';

/** A value the columnar path does not handle (it would be a data error): analyse the ADaM tables instead. */
export class NotColumnar extends Error {
  override name = 'NotColumnar';
}

interface Observed {
  arm: number;
  o: ArmOutcome;
  row: Row;
  patient: number;
}

export function trialSource(model: TrialModel, trial: TrialResult, covariateNames: ReadonlySet<string>, prognostic?: ReadonlyMap<number, number>): AnalysisSource {
  const control = model.arms.findIndex((a) => a.role === 'control');
  const observed: Observed[] = [];
  for (const t of trial.enrolled) observed.push({ arm: t.arm, o: t.outcomes[t.arm]!, row: t.row, patient: t.patient });
  for (const x of trial.external) observed.push({ arm: control, o: x.outcome, row: x.row, patient: x.patient });

  /** The ADSL value of a covariate (a cohort column or PROG) as the analysis reads it: a finite number, else NotColumnar. */
  const covariate = (name: string, s: { row: Row; patient: number }): number => {
    let v: unknown;
    if (name === 'PROG' && prognostic) v = prognostic.get(s.patient);
    else if (covariateNames.has(name)) v = s.row[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new NotColumnar(`covariate ${name}`);
    return v;
  };

  /** A strata variable's value as ADSL holds it (a cohort covariate; blank when the twin's cohort lacks it). */
  const stratumValue = (name: string, row: Row): unknown => {
    if (!covariateNames.has(name)) throw new NotColumnar(`strata variable ${name}`);
    return row[name] ?? '';
  };

  const visitDays = model.visits.map((v) => v.day);
  /** The ICE days the trial observed of a twin-arm (on or before the end of observation), as ADSL records them. */
  const observedIces = (o: ArmOutcome): Record<IceType, number> => {
    const ice = o.ice!;
    const seen = (d: number) => (d <= o.endDay ? d : Infinity);
    return { discontinuation: seen(ice.discontinuationDay), rescue: seen(ice.rescueDay), death: seen(ice.deathDay) };
  };

  return {
    sample(e: EndpointRuntime, item: AnalysisItem, population: Population): EndpointSample {
      const ei = model.endpoints.indexOf(e);
      const est = itemEstimand(model, item);
      const ncov = item.covariates.length;
      const s = emptySample(observed.length, ncov);
      const coder = item.strata?.length ? new StratumCoder() : undefined;
      // A repeated-measures method reads every post-baseline visit up to the endpoint's; a subject with any of them observed is in.
      const rv = repeatedVisits(e, item);
      const nv = rv?.length ?? 0;
      if (rv) s.repeated = { visits: rv.map((v) => model.visits[v]!.name), values: new Float64Array(observed.length * nv) };
      let n = 0;
      for (const x of observed) {
        const o = x.o;
        if (population === 'completers' && o.endReason !== 'COMPLETED') continue;
        const cuts: IceCuts | undefined = est && o.ice ? iceCuts(est, observedIces(o)) : undefined;
        if (e.kind === 'time_to_event') {
          const tte = o.timeToEvent[ei];
          if (!tte) continue;
          s.value[n] = NaN;
          s.time[n] = tte.day;
          s.event[n] = tte.censored ? 0 : 1;
          if (cuts) [s.time[n], s.event[n]] = handledTime(cuts, tte.day, tte.censored ? 0 : 1);
        } else {
          // ADEFF holds the visits up to the last one observed.
          const series = o.biomarkers[e.biomarker]!;
          const at = (v: number) => (v <= o.lastVisit ? (e.measure === 'change' ? series[v]! - series[0]! : series[v]!) : NaN);
          // The baseline visit is always observed (day 0), so BASE is known even where the endpoint's visit is not.
          const base = o.lastVisit >= 0 ? series[0]! : NaN;
          const x0 = cuts ? handledValue(cuts, visitDays, e.visit, at) : at(e.visit);
          let value = x0;
          if (e.kind === 'responder' && cuts && cuts.failure <= visitDays[e.visit]!) value = 0;
          else if (e.kind === 'responder') {
            if (Number.isNaN(x0)) {
              if (item.missing === 'exclude') continue;
              value = 0;
            } else value = (e.below !== undefined ? x0 < e.below : x0 > e.above!) ? 1 : 0;
          } else if (Number.isNaN(x0) && !rv) continue;
          if (rv) {
            let any = false;
            for (let j = 0; j < nv; j++) {
              const v = rv[j]!;
              const y = cuts ? handledValue(cuts, visitDays, v, at) : at(v);
              s.repeated!.values[n * nv + j] = y;
              any ||= !Number.isNaN(y);
            }
            // Under an estimand every randomised subject is analysed (mi imputes one without post-baseline values from its baseline and arm).
            if (!any && !est) continue;
          }
          s.value[n] = value;
          s.time[n] = NaN;
          s.event[n] = NaN;
          for (let j = 0; j < ncov; j++) {
            const k = item.covariates[j]!;
            if (k === 'BASE') {
              if (!Number.isFinite(base)) throw new NotColumnar('BASE');
              s.covariates[j]![n] = base;
            }
          }
        }
        s.arm[n] = x.arm;
        if (coder) s.strata[n] = coder.code(stratumKey((item.strata ?? []).map((k) => stratumValue(k, x.row))));
        for (let j = 0; j < ncov; j++) {
          const k = item.covariates[j]!;
          if (k !== 'BASE' || e.kind === 'time_to_event') s.covariates[j]![n] = covariate(k, x);
        }
        n++;
      }
      return shrink(s, n);
    },
    counterfactual(e: EndpointRuntime, arm: number, estimand?: string): Float64Array | undefined {
      const ei = model.endpoints.indexOf(e);
      const twins = trial.enrolled;
      const out = new Float64Array(twins.length);
      const k = estimand === undefined ? -1 : (model.intercurrent?.estimands.findIndex((x) => x.label === estimand) ?? -1);
      if (estimand !== undefined && k < 0) return undefined;
      for (let i = 0; i < twins.length; i++) {
        const o = twins[i]!.outcomes[arm]!;
        out[i] = k < 0 ? o.endpointValues[ei]! : o.estimandValues![k]![ei]!;
      }
      return out;
    },
    counterfactualStrata(names: readonly string[]): Int32Array {
      const coder = new StratumCoder();
      const twins = trial.enrolled;
      const out = new Int32Array(twins.length);
      for (let i = 0; i < twins.length; i++) out[i] = coder.code(stratumKey(names.map((k) => stratumValue(k, twins[i]!.row))));
      return out;
    },
    counterfactualCovariate(name: string, e: EndpointRuntime): Float64Array {
      const twins = trial.enrolled;
      const out = new Float64Array(twins.length);
      if (name === 'BASE' && e.kind !== 'time_to_event') {
        // The baseline value the twin was observed with (its assigned arm's visit 0).
        for (let i = 0; i < twins.length; i++) {
          const t = twins[i]!;
          const v = t.outcomes[t.arm]!.biomarkers[e.biomarker]![0]!;
          if (!Number.isFinite(v)) throw new NotColumnar('BASE');
          out[i] = v;
        }
        return out;
      }
      for (let i = 0; i < twins.length; i++) out[i] = covariate(name, twins[i]!);
      return out;
    },
  };
}

function shrink(s: EndpointSample, n: number): EndpointSample {
  if (n === s.n) return s;
  const repeated = s.repeated && { visits: s.repeated.visits, values: s.repeated.values.subarray(0, n * s.repeated.visits.length) };
  return { n, arm: s.arm.subarray(0, n), value: s.value.subarray(0, n), time: s.time.subarray(0, n), event: s.event.subarray(0, n), covariates: s.covariates.map((c) => c.subarray(0, n)), strata: s.strata.subarray(0, n), ...(repeated ? { repeated } : {}) };
}
