/**
 * CDISC ADaM-shaped tables of one simulated trial: ADSL (subject level, every screened twin),
 * ADEFF (efficacy, long), ADTTE (time to event), ADAE (adverse events), ADPC (concentrations)
 * and the counterfactual table (each endpoint under every arm). Pure: rows in memory order,
 * numbers as computed. Study days follow ADaM: day 1 is the day of the first dose (day 0 of
 * the simulation), so ADY = day + 1 for visits and ASTDY = floor(day) + 1 for AE onsets.
 */
import type { CohortModel } from '../cohort/cohort-model.js';
import type { Value } from '../expr/compile.js';
import type { Criterion } from '../screening/criteria.js';
import type { TrialResult } from '../trial/simulate-trial.js';
import type { TrialModel } from '../trial/trial-model.js';
import type { ArmOutcome } from '../trial/simulate-arm.js';
import { dosesBefore } from '../pk/dosing.js';
import type { Table } from '../util/table.js';


/** ADSL's columns before the cohort's covariates. */
export const ADSL_ID_COLUMNS = ['USUBJID', 'SUBJID'] as const;
/** ADSL's columns after the cohort's covariates (then PROG when the protocol has a prognostic score). */
export const ADSL_STATUS_COLUMNS = ['ELIGFL', 'SCRFCRIT', 'ENRLFL', 'RANDFL', 'STRATUM', 'RANDBLK', 'TRT01P', 'TRT01A', 'EOSSTT', 'DCSREAS', 'EOSDY', 'TRTSDY', 'TRTEDY', 'AEDISCFL', 'CL', 'V', 'CMAXSS', 'CMINSS', 'CAVGSS', 'AUCSS', 'EXTFL'] as const;
export const ADSL_PROGNOSTIC_COLUMN = 'PROG';
/** ADSL's calendar columns, after the status columns, when the protocol declares accrual: entry day and data cut-off day (calendar days from the study's opening, day 0). */
export const ADSL_CALENDAR_COLUMNS = ['RANDDY', 'DCUTDY'] as const;
/**
 * ADSL's intercurrent-event columns, after the calendar ones, when the protocol has intercurrent_events:
 * treatment discontinuation day and reason, retrieved flag, rescue day, death day (simulation days
 * as EOSDY; blank when none was observed).
 */
export const ADSL_ICE_COLUMNS = ['TRTDISDY', 'DCTREAS', 'RETRFL', 'RESCDY', 'DTHDY'] as const;
/** ADEFF's flags with intercurrent_events: on treatment at the visit (not after discontinuation); after rescue. */
export const ADEFF_ICE_COLUMNS = ['ONTRTFL', 'RESCFL'] as const;
/** adice.csv: one row per observed intercurrent event. */
export const ADICE_COLUMNS = ['USUBJID', 'TRTA', 'ICETYPE', 'ICEREAS', 'ICEDY'] as const;
export const ADEFF_COLUMNS = ['USUBJID', 'TRTA', 'PARAMCD', 'PARAM', 'AVISIT', 'AVISITN', 'ADY', 'AVAL', 'BASE', 'CHG', 'ABLFL'] as const;
export const ADTTE_COLUMNS = ['USUBJID', 'TRTA', 'PARAMCD', 'PARAM', 'AVAL', 'AVALU', 'CNSR', 'EVNTDESC', 'CNSDTDSC'] as const;
export const ADAE_COLUMNS = ['USUBJID', 'TRTA', 'AEDECOD', 'AEBODSYS', 'ASTDY', 'AETOXGR', 'AESER', 'AEACN', 'TRTEMFL'] as const;
export const ADPC_COLUMNS = ['USUBJID', 'TRTA', 'PARAMCD', 'AVISIT', 'AVISITN', 'ADY', 'AVAL', 'AVALU'] as const;
/** The counterfactual table's columns before one column per endpoint and arm (`<endpoint>.<arm>`). */
export const COUNTERFACTUAL_ID_COLUMNS = ['USUBJID', 'TRTA'] as const;

const yn = (b: boolean): string => (b ? 'Y' : 'N');
const blank = '';

/** EOSSTT: COMPLETED, DISCONTINUED, or ONGOING at a calendar cut-off. */
const eosstt = (o: ArmOutcome): string => (o.endReason === 'COMPLETED' || o.endReason === 'ONGOING' ? o.endReason : 'DISCONTINUED');
/** DCSREAS: the reason of a discontinuation, blank otherwise. */
const dcsreas = (o: ArmOutcome): string => (o.endReason === 'COMPLETED' || o.endReason === 'ONGOING' ? blank : o.endReason);

/** The intercurrent events a twin-arm's observation saw (on or before its end), Infinity for none. */
function seenIces(o: ArmOutcome): { discontinuation: number; rescue: number; death: number } {
  const ice = o.ice;
  if (!ice) return { discontinuation: Infinity, rescue: Infinity, death: Infinity };
  const seen = (d: number): number => (d <= o.endDay ? d : Infinity);
  return { discontinuation: seen(ice.discontinuationDay), rescue: seen(ice.rescueDay), death: seen(ice.deathDay) };
}

/** The ADSL_ICE_COLUMNS of a twin-arm. */
function iceColumns(o: ArmOutcome): Value[] {
  const d = seenIces(o);
  const day = (x: number): Value => (x < Infinity ? x : blank);
  const stopped = d.discontinuation < Infinity;
  return [day(d.discontinuation), stopped ? o.ice!.discontinuationReason : blank, stopped ? yn(o.ice!.retrieved) : blank, day(d.rescue), day(d.death)];
}

/** The observed subjects of a trial: randomised twins under their arm, then external controls. */
function observed(model: TrialModel, trial: TrialResult): { usubjid: string; arm: number; o: ArmOutcome }[] {
  const control = model.arms.findIndex((a) => a.role === 'control');
  return [...trial.enrolled.map((t) => ({ usubjid: t.usubjid, arm: t.arm, o: t.outcomes[t.arm]! })), ...trial.external.map((x) => ({ usubjid: x.usubjid, arm: control, o: x.outcome }))];
}

/** @param prognostic the enrolled twins' prognostic scores (column PROG), if the protocol has one. */
export function adsl(cohort: CohortModel, criteria: readonly Criterion[], model: TrialModel, trial: TrialResult, prognostic?: ReadonlyMap<number, number>): Table {
  const covs = cohort.columns.map((c) => c.name);
  const calendar = trial.cutoff !== undefined;
  const ices = model.intercurrent !== undefined;
  const columns = [...ADSL_ID_COLUMNS, ...covs, ...ADSL_STATUS_COLUMNS, ...(calendar ? ADSL_CALENDAR_COLUMNS : []), ...(ices ? ADSL_ICE_COLUMNS : []), ...(prognostic ? [ADSL_PROGNOSTIC_COLUMN] : [])];
  const noIce: Value[] = ices ? ADSL_ICE_COLUMNS.map(() => blank) : [];
  // With calendar time: the entry day (randomised twins only) and the cut-off (every row).
  const cut = (entry: Value): Value[] => (calendar ? [entry, trial.cutoff!.day] : []);
  const byPatient = new Map(trial.enrolled.map((t) => [t.patient, t]));
  // Replicate runs keep only the enrolled twins: ADSL then lists those.
  const screened = trial.screened.length > 0 ? trial.screened : trial.enrolled.map((t) => ({ patient: t.patient, usubjid: t.usubjid, row: t.row, firstFailed: -1, enrolled: true }));
  const rows = screened.map((s) => {
    const base: Value[] = [s.usubjid, s.patient + 1, ...covs.map((c) => s.row[c]!), yn(s.firstFailed < 0), s.firstFailed < 0 ? blank : criteria[s.firstFailed]!.id, yn(s.enrolled)];
    const t = byPatient.get(s.patient);
    if (!t) return [...base, 'N', blank, blank, blank, blank, blank, blank, blank, blank, blank, blank, blank, blank, blank, blank, blank, blank, 'N', ...cut(blank), ...noIce, ...(prognostic ? [blank] : [])];
    const o = t.outcomes[t.arm]!;
    const arm = model.arms[t.arm]!;
    const drug = arm.drug;
    const stopDay = Math.min(o.adverseEvents.discontinuationDay, o.endDay);
    // Day of the last dose given (at least the first).
    const lastDose = drug ? drug.regimen.start + drug.regimen.interval * (Math.max(1, dosesBefore(drug.regimen, stopDay)) - 1) : 0;
    return [
      ...base,
      'Y',
      t.stratum,
      t.block,
      arm.id,
      arm.id,
      eosstt(o),
      dcsreas(o),
      o.endDay,
      1,
      Math.floor(lastDose) + 1,
      yn(o.adverseEvents.discontinuationDay <= o.endDay),
      o.pk ? o.pk.cl : blank,
      o.pk ? o.pk.v : blank,
      drug ? o.exposure.cmax_ss : blank,
      drug ? o.exposure.cmin_ss : blank,
      drug ? o.exposure.cavg_ss : blank,
      drug ? o.exposure.auc_ss : blank,
      'N',
      ...cut(t.entryDay),
      ...(ices ? iceColumns(o) : []),
      ...(prognostic ? [prognostic.get(t.patient)!] : []),
    ];
  });
  // External control twins: not randomised (RANDFL N, EXTFL Y), observed under the control arm.
  const control = model.arms.find((a) => a.role === 'control');
  for (const x of trial.external) {
    const o = x.outcome;
    rows.push([
      x.usubjid, blank, ...covs.map((c) => x.row[c] ?? blank), 'Y', blank, 'N', 'N', blank, blank, blank, control!.id,
      eosstt(o), dcsreas(o), o.endDay, 1, blank, yn(o.adverseEvents.discontinuationDay <= o.endDay),
      blank, blank, blank, blank, blank, blank, 'Y', ...cut(blank), ...(ices ? iceColumns(o) : []), ...(prognostic ? [prognostic.get(x.patient)!] : []),
    ]);
  }
  return { name: 'adsl.csv', columns, rows };
}

/**
 * @param visits only these visit indices (a replicate's analysis needs only baseline and the
 *   endpoints' visits); all visits by default.
 */
export function adeff(model: TrialModel, trial: TrialResult, visits?: ReadonlySet<number>): Table {
  const ices = model.intercurrent !== undefined;
  const columns: string[] = [...ADEFF_COLUMNS, ...(ices ? ADEFF_ICE_COLUMNS : [])];
  const rows: Value[][] = [];
  for (const t of observed(model, trial)) {
    const o = t.o;
    const d = ices ? seenIces(o) : undefined;
    model.biomarkers.forEach((b, bi) => {
      const series = o.biomarkers[bi]!;
      const base = series[0]!;
      for (let v = 0; v <= o.lastVisit; v++) {
        if (visits && !visits.has(v)) continue;
        const visit = model.visits[v]!;
        const param = b.unit ? `${b.label} (${b.unit})` : b.label;
        const row: Value[] = [t.usubjid, model.arms[t.arm]!.id, b.paramcd, param, visit.name, visit.avisitn, visit.day + 1, series[v]!, base, series[v]! - base, v === 0 ? 'Y' : blank];
        if (d) row.push(yn(visit.day <= d.discontinuation), visit.day > d.rescue ? 'Y' : 'N');
        rows.push(row);
      }
    });
  }
  return { name: 'adeff.csv', columns, rows };
}

export function adtte(model: TrialModel, trial: TrialResult): Table {
  const columns = [...ADTTE_COLUMNS];
  const rows: Value[][] = [];
  for (const t of observed(model, trial)) {
    const o = t.o;
    model.endpoints.forEach((e, ei) => {
      const tte = o.timeToEvent[ei];
      if (e.kind !== 'time_to_event' || !tte) return;
      rows.push([t.usubjid, model.arms[t.arm]!.id, e.paramcd, e.label, tte.day, 'DAYS', tte.censored ? 1 : 0, tte.censored ? blank : e.event, tte.censoring]);
    });
  }
  return { name: 'adtte.csv', columns, rows };
}

export function adae(model: TrialModel, trial: TrialResult): Table {
  const columns = [...ADAE_COLUMNS];
  const rows: Value[][] = [];
  for (const t of observed(model, trial)) {
    const o = t.o;
    for (const ev of o.adverseEvents.events) {
      if (ev.day > o.endDay) continue; // after dropout: never observed
      rows.push([t.usubjid, model.arms[t.arm]!.id, ev.term, ev.bodySystem, Math.floor(ev.day) + 1, String(ev.grade), yn(ev.serious), ev.discontinued ? 'DRUG WITHDRAWN' : 'DOSE NOT CHANGED', 'Y']);
    }
  }
  return { name: 'adae.csv', columns, rows };
}

export function adpc(model: TrialModel, trial: TrialResult): Table {
  const columns = [...ADPC_COLUMNS];
  const rows: Value[][] = [];
  for (const t of trial.enrolled) {
    const o = t.outcomes[t.arm]!;
    const drug = model.arms[t.arm]!.drug;
    if (!drug) continue;
    for (let v = 0; v <= o.lastVisit; v++) {
      const visit = model.visits[v]!;
      rows.push([t.usubjid, model.arms[t.arm]!.id, 'CONC', visit.name, visit.avisitn, visit.day + 1, o.concentrations[v]!, `${drug.unit}/L`]);
    }
  }
  return { name: 'adpc.csv', columns, rows };
}

/**
 * Each enrolled twin's endpoint values under every arm (TTE: latent event day, uncensored); then,
 * per declared estimand, the values of the endpoints analysed under it (`<endpoint>.<arm>.<estimand label>`).
 */
export function counterfactuals(model: TrialModel, trial: TrialResult): Table {
  const icm = model.intercurrent;
  const extra = (icm?.estimands ?? []).flatMap((est, k) => icm!.estimandEndpoints[k]!.map((id) => ({ k, ei: model.endpoints.findIndex((e) => e.id === id), label: est.label })));
  const columns = [...COUNTERFACTUAL_ID_COLUMNS, ...model.endpoints.flatMap((e) => model.arms.map((a) => `${e.id}.${a.id}`)), ...extra.flatMap((x) => model.arms.map((a) => `${model.endpoints[x.ei]!.id}.${a.id}.${x.label}`))];
  const rows = trial.enrolled.map((t) => [
    t.usubjid,
    model.arms[t.arm]!.id,
    ...model.endpoints.flatMap((_, ei) => t.outcomes.map((o) => o.endpointValues[ei]!)),
    ...extra.flatMap((x) => t.outcomes.map((o) => o.estimandValues![x.k]![x.ei]!)),
  ]);
  return { name: 'counterfactual.csv', columns, rows };
}

/** One row per intercurrent event observed (discontinuation, rescue, death), by subject (ADSL order) and day; only with intercurrent_events. */
export function adice(model: TrialModel, trial: TrialResult): Table {
  const columns = [...ADICE_COLUMNS];
  const rows: Value[][] = [];
  for (const t of observed(model, trial)) {
    const o = t.o;
    const d = seenIces(o);
    const arm = model.arms[t.arm]!.id;
    const events: [number, Value[]][] = [];
    if (d.discontinuation < Infinity) events.push([d.discontinuation, [t.usubjid, arm, 'DISCONTINUATION', o.ice!.discontinuationReason, d.discontinuation]]);
    if (d.rescue < Infinity) events.push([d.rescue, [t.usubjid, arm, 'RESCUE', 'RESCUE MEDICATION', d.rescue]]);
    if (d.death < Infinity) events.push([d.death, [t.usubjid, arm, 'DEATH', d.death === o.adverseEvents.deathDay ? 'ADVERSE EVENT' : 'OTHER', d.death]]);
    events.sort((a, b) => a[0] - b[0]);
    for (const [, row] of events) rows.push(row);
  }
  return { name: 'adice.csv', columns, rows };
}
