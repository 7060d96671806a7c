/**
 * Per-subject endpoint data from ADaM records: the analysis population of each arm with the
 * endpoint's value (continuous or responder, from ADEFF at the endpoint's visit) or its time
 * and event flag (ADTTE), plus covariates (BASE from ADEFF; anything else from ADSL).
 */
import type { AnalysisItem } from '../spec/analysis-schema.js';
import { DataError } from '../errors/data-error.js';
import { quoteShort, shorten } from '../util/shorten.js';
import type { EndpointRuntime, TrialModel } from '../trial/trial-model.js';
import { num, type AdamData, type AdamRecord } from './adam-data.js';
import { handledTime, handledValue, iceCuts, itemEstimand, repeatedVisits, stratumKey, type IceCuts } from './analysis-source.js';

export interface Subject {
  usubjid: string;
  arm: string;
  /** Continuous value or 0/1 responder; NaN when not observed. */
  value: number;
  time: number;
  event: number;
  covariates: Record<string, number>;
  /** The subject's values of the item's strata variables, as one key (see stratumKey). */
  stratum: string;
  /** For a repeated-measures method: the values at the post-baseline visits up to the endpoint's (NaN: no row). */
  repeated?: number[];
}

/** The PARAMCD of an endpoint's rows, as the compiled model assigned it (ADTTE for time to event, else its biomarker's in ADEFF). */
export function endpointParamcd(model: TrialModel, e: EndpointRuntime): string {
  return e.kind === 'time_to_event' ? e.paramcd : model.biomarkers[e.biomarker]!.paramcd;
}

/**
 * A DataError when no row of the endpoint's file has its PARAMCD although there are subjects to
 * analyse (a renamed parameter would otherwise read as "no subjects with data").
 */
function requireParamcd(e: EndpointRuntime, paramcd: string, file: string, rows: readonly AdamRecord[], subjects: number): void {
  if (subjects === 0 || rows.some((r) => r.PARAMCD === paramcd)) return;
  const held = [...new Set(rows.map((r) => String(r.PARAMCD)))];
  throw new DataError(file, `no row has PARAMCD ${quoteShort(paramcd)}, the parameter of the planned endpoint ${e.id}; the file holds ${held.length ? `PARAMCD ${shorten(held.map((h) => quoteShort(h)).join(', '), 200)}` : 'no rows'}`);
}

export function subjectsFor(model: TrialModel, e: EndpointRuntime, item: AnalysisItem, population: 'randomised' | 'completers', data: AdamData): Subject[] {
  const paramcd = endpointParamcd(model, e);
  // Randomised twins, and external control twins (EXTFL = Y) when the control arm has them.
  const randomised = data.adsl.filter((r) => (r.RANDFL === 'Y' || r.EXTFL === 'Y') && (population === 'randomised' || r.EOSSTT === 'COMPLETED'));
  requireParamcd(e, paramcd, e.kind === 'time_to_event' ? 'adtte.csv' : 'adeff.csv', e.kind === 'time_to_event' ? data.adtte : data.adeff, randomised.length);
  const covariateOf = (r: AdamRecord, name: string, base: number, baseRow?: AdamRecord): number => {
    if (name === 'BASE') {
      if (!Number.isFinite(base)) {
        const row = baseRow === undefined ? -1 : data.adeff.indexOf(baseRow);
        const where = row >= 0 ? `row ${row + 1} (USUBJID ${quoteShort(String(r.USUBJID))}), column BASE` : `USUBJID ${quoteShort(String(r.USUBJID))}`;
        throw new DataError('adeff.csv', `${where}: BASE is missing ${row >= 0 ? "at the endpoint's visit" : `(no row of PARAMCD ${quoteShort(paramcd)} at the endpoint's visit or at ${quoteShort(model.visits[0]!.name)})`} (needed as an analysis covariate)`);
      }
      return base;
    }
    if (!Object.hasOwn(r, name)) throw new DataError('adsl.csv', `analysis covariate "${name}" is not a column of ADSL`);
    const v = num(r[name]);
    if (!Number.isFinite(v)) {
      // Found again only on error: the rows of ADSL are data rows (header not counted), as the readers count them.
      throw new DataError('adsl.csv', `row ${data.adsl.indexOf(r) + 1} (USUBJID ${quoteShort(String(r.USUBJID))}), column ${name}: an analysis covariate must be a finite number, found ${quoteShort(String(r[name] ?? ''))}`);
    }
    return v;
  };
  const stratumOf = (r: AdamRecord): string => {
    for (const k of item.strata ?? []) if (!Object.hasOwn(r, k)) throw new DataError('adsl.csv', `strata variable "${k}" is not a column of ADSL`);
    return stratumKey((item.strata ?? []).map((k) => r[k]));
  };
  // An estimand decides what the analysis sees after an intercurrent event: its days are ADSL's (blank: none).
  const est = itemEstimand(model, item);
  const cutsOf = (r: AdamRecord): IceCuts | undefined => {
    if (!est) return undefined;
    const day = (c: string): number => {
      const x = num(r[c]);
      return Number.isNaN(x) ? Infinity : x;
    };
    return iceCuts(est, { discontinuation: day('TRTDISDY'), rescue: day('RESCDY'), death: day('DTHDY') });
  };
  if (e.kind === 'time_to_event') {
    const tte = new Map(data.adtte.filter((r) => r.PARAMCD === paramcd).map((r) => [String(r.USUBJID), r]));
    return randomised.flatMap((r) => {
      const t = tte.get(String(r.USUBJID));
      if (!t) return [];
      const covs = Object.fromEntries(item.covariates.map((c) => [c, covariateOf(r, c, NaN)]));
      const cuts = cutsOf(r);
      const [time, event] = cuts ? handledTime(cuts, num(t.AVAL), 1 - num(t.CNSR)) : [num(t.AVAL), 1 - num(t.CNSR)];
      return [{ usubjid: String(r.USUBJID), arm: String(r.TRT01A), value: NaN, time, event, covariates: covs, stratum: stratumOf(r) }];
    });
  }
  const visit = model.visits[e.visit]!.name;
  const rows = new Map(data.adeff.filter((r) => r.PARAMCD === paramcd && r.AVISIT === visit).map((r) => [String(r.USUBJID), r]));
  // A subject without a row at the endpoint's visit (a responder imputed as non-responder) still has its baseline: BASE of its baseline row.
  let baselines: Map<string, AdamRecord> | undefined;
  const baselineRow = (id: string): AdamRecord | undefined => {
    baselines ??= new Map(data.adeff.filter((r) => r.PARAMCD === paramcd && r.AVISIT === model.visits[0]!.name).map((r) => [String(r.USUBJID), r]));
    return baselines.get(id);
  };
  // A repeated-measures method: the endpoint's rows at every post-baseline visit up to its own, by subject.
  const rv = repeatedVisits(e, item);
  let byVisit: Map<string, AdamRecord>[] | undefined;
  if (rv) {
    const slot = new Map(rv.map((v, j) => [model.visits[v]!.name, j]));
    byVisit = rv.map(() => new Map());
    for (const r of data.adeff) {
      const j = r.PARAMCD === paramcd ? slot.get(String(r.AVISIT)) : undefined;
      if (j !== undefined) byVisit[j]!.set(String(r.USUBJID), r);
    }
  }
  // With an estimand: every visit's row of the endpoint's parameter by subject (a while-on-treatment value may come from any earlier visit).
  let allVisits: Map<string, (AdamRecord | undefined)[]> | undefined;
  if (est) {
    const index = new Map(model.visits.map((v, i) => [v.name, i]));
    allVisits = new Map();
    for (const rr of data.adeff) {
      const v = rr.PARAMCD === paramcd ? index.get(String(rr.AVISIT)) : undefined;
      if (v === undefined) continue;
      const id = String(rr.USUBJID);
      let list = allVisits.get(id);
      if (!list) allVisits.set(id, (list = new Array<AdamRecord | undefined>(model.visits.length)));
      list[v] = rr;
    }
  }
  const visitDays = model.visits.map((v) => v.day);
  const valueOf = (rr: AdamRecord | undefined): number => (rr ? num(e.measure === 'change' ? rr.CHG : rr.AVAL) : NaN);
  return randomised.flatMap((r) => {
    const row = rows.get(String(r.USUBJID));
    const cuts = cutsOf(r);
    const list = allVisits?.get(String(r.USUBJID));
    const at = (v: number): number => valueOf(list?.[v]);
    const x = cuts ? handledValue(cuts, visitDays, e.visit, at) : valueOf(row);
    let value = x;
    let repeated: number[] | undefined;
    if (byVisit) {
      repeated = cuts ? rv!.map((v) => handledValue(cuts, visitDays, v, at)) : byVisit.map((m) => valueOf(m.get(String(r.USUBJID))));
      // Under an estimand every randomised subject is analysed (mi imputes one without post-baseline values from its baseline and arm).
      if (!est && repeated.every(Number.isNaN)) return [];
    }
    if (e.kind === 'responder' && cuts && cuts.failure <= visitDays[e.visit]!) value = 0;
    else if (e.kind === 'responder') {
      if (Number.isNaN(x)) {
        if (item.missing === 'exclude') return [];
        value = 0;
      } else value = (e.below !== undefined ? x < e.below : x > e.above!) ? 1 : 0;
    } else if (Number.isNaN(x) && !repeated) return [];
    const baseRow = row ?? (item.covariates.includes('BASE') ? baselineRow(String(r.USUBJID)) : undefined);
    const base = baseRow ? num(baseRow.BASE) : NaN;
    const covs = Object.fromEntries(item.covariates.map((c) => [c, covariateOf(r, c, base, baseRow)]));
    return [{ usubjid: String(r.USUBJID), arm: String(r.TRT01A), value, time: NaN, event: NaN, covariates: covs, stratum: stratumOf(r), ...(repeated ? { repeated } : {}) }];
  });
}
