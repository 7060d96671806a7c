/**
 * One replicate trial run as a group-sequential design (README "Interim analyses"): the full
 * trial (simulated to every patient's end) is cut at each look's calendar day, the primary
 * analysis runs on what is observed by then, its z statistic is compared with the boundary
 * recomputed at the observed information, and the trial stops for efficacy, for futility, or
 * goes on to the final look (the study end).
 *
 * z is the primary analysis' one-sided p in the favourable direction turned into a normal
 * deviate, z = Phi^-1(1 - p) (for the log-rank test: its signed z; for t tests: the z of equal p).
 * Non-binding futility bounds stop the trial; the looks still run past such a stop to record
 * whether the efficacy boundary would have been crossed had the bound been ignored (the
 * probability the design's alpha controls).
 */
import { qnorm } from '../stats/distributions.js';
import { analysisMethod } from '../methods/registry.js';
import { futilityBoundAt, nextBoundary, START, type BoundaryState, type SequentialDesign } from '../stats/sequential-boundary.js';
import { countAtOrBefore, dayOfEvent, eventsBy, type CalendarIndex } from '../trial/calendar-cutoff.js';
import type { TrialResult } from '../trial/simulate-trial.js';
import type { TimeToEvent } from '../trial/simulate-arm.js';
import type { TrialModel } from '../trial/trial-model.js';
import { informationUnits, type InterimModel } from '../trial/compile-interim.js';
import type { EfficacyRow } from './efficacy.js';
import type { EndpointSample } from './analysis-source.js';
import { logRank } from '../stats/log-rank.js';
import { survivalOrder } from '../stats/survival-order.js';
import { itemEstimand } from './analysis-source.js';

export type SequentialDecision = 'efficacy' | 'futility' | 'final';

export interface SequentialRecord {
  /** The look (1-based, among the planned looks: interims then the final) at which the trial stopped. */
  stopLook: number;
  decision: SequentialDecision;
  /** Rejected H0 (crossed an efficacy boundary before any futility stop). */
  reject: boolean;
  /** Would have rejected had non-binding futility bounds been ignored (binding bounds: as reject). */
  rejectIgnoringFutility: boolean;
  /** At the stop: calendar day, randomised patients entered, information (events or patients with the endpoint observed). */
  day: number;
  patients: number;
  information: number;
  /** The primary estimate at the stop, and the truth of the study end's analysis (all enrolled twins). */
  estimate: number | null;
  trueEffect: number | null;
  /** Per planned look (interims, then the final): calendar day, information fraction, z and boundary; NaN where not run. */
  lookDay: Float64Array;
  lookFraction: Float64Array;
  lookZ: Float64Array;
  lookCritical: Float64Array;
}

/** The z statistic of a primary row: positive favours the active arm. */
export function zOf(row: EfficacyRow, im: InterimModel): number {
  if (row.p === null || row.estimate === null) return NaN;
  const ratio = analysisMethod(row.method).scale === 'ratio';
  const effect = ratio ? row.estimate - 1 : row.estimate;
  if (row.sided === 'one') return -qnorm(row.p);
  const favourable = im.direction === 'decrease' ? effect < 0 : effect > 0;
  const z = -qnorm(row.p / 2);
  return favourable ? z : -z;
}

/**
 * The z of an unadjusted log-rank primary (method logrank) at a look, from the test alone: the
 * decision needs only z, so the Cox fit that gives the row's hazard ratio (and the Kaplan-Meier
 * medians) runs only where the trial stops. The same numbers as zOf of the efficacy row, operation
 * for operation: the subjects gathered as efficacy's gather (the active arm, then the control, in
 * sample order; strata coded by first appearance), the same logRank call, the one-sided p in the
 * favourable direction, NaN where the row has no estimate (no events in an arm) or no p. The
 * direction is the sign of observed minus expected events in the active arm, which is the sign of
 * the Cox log hazard ratio (the partial-likelihood score at 0 is that difference without tied event
 * times; the test "the log-rank z of a look is zOf's" checks it on simulated trials).
 */
export function logRankZ(model: TrialModel, im: InterimModel, sided: 'one' | 'two', s: EndpointSample): number {
  const control = model.arms.findIndex((a) => a.role === 'control');
  const arm = model.arms.findIndex((a) => a.role !== 'control');
  let nArm = 0;
  let nControl = 0;
  for (let i = 0; i < s.n; i++) {
    if (s.arm[i] === arm) nArm++;
    else if (s.arm[i] === control) nControl++;
  }
  const n = nArm + nControl;
  const time = new Float64Array(n);
  const event = new Float64Array(n);
  const stratified = (im.item.strata?.length ?? 0) > 0;
  const strata = stratified ? new Int32Array(n) : undefined;
  const dense = new Map<number, number>();
  let ka = 0;
  let kc = nArm;
  for (let i = 0; i < s.n; i++) {
    let k: number;
    if (s.arm[i] === arm) k = ka++;
    else if (s.arm[i] === control) k = kc++;
    else continue;
    time[k] = s.time[i]!;
    event[k] = s.event[i]!;
    if (strata) {
      let d = dense.get(s.strata[i]!);
      if (d === undefined) dense.set(s.strata[i]!, (d = dense.size));
      strata[k] = d;
    }
  }
  return logRankZOf(im, sided, time, event, nArm, strata);
}

/**
 * logRankZ of an unstratified analysis of the randomised population read straight from the full
 * trial at a look's day, without building the cut trial (efficacyCut) and its analysis source:
 * each randomised twin entered by then, in enrolment order, then the external control twins (not
 * cut), with its time-to-event outcome as efficacyCut observes it (as simulated when its
 * observation ended by the day or its event came by then, else censored at the day) and as
 * trialSource reads it (twins without the outcome left out). The test "the direct cut's z is the
 * cut source's" keeps the two in step; strata or the completers population take logRankZ's path.
 */
export function cutLogRankZ(model: TrialModel, im: InterimModel, sided: 'one' | 'two', full: TrialResult, day: number): number {
  const ei = im.endpoint;
  const control = model.arms.findIndex((a) => a.role === 'control');
  const arm = model.arms.findIndex((a) => a.role !== 'control');
  let nArm = 0;
  let nControl = 0;
  for (const t of full.enrolled) {
    if (t.entryDay > day || !t.outcomes[t.arm]!.timeToEvent[ei]) continue;
    if (t.arm === arm) nArm++;
    else if (t.arm === control) nControl++;
  }
  if (control >= 0) for (const x of full.external) if (x.outcome.timeToEvent[ei]) nControl++;
  const n = nArm + nControl;
  const time = new Float64Array(n);
  const event = new Float64Array(n);
  let ka = 0;
  let kc = nArm;
  for (const t of full.enrolled) {
    const entry = t.entryDay;
    if (entry > day) continue;
    const o = t.outcomes[t.arm]!;
    const tte = o.timeToEvent[ei];
    if (!tte) continue;
    let k: number;
    if (t.arm === arm) k = ka++;
    else if (t.arm === control) k = kc++;
    else continue;
    if (entry + o.endDay <= day || (!tte.censored && entry + tte.day <= day)) {
      time[k] = tte.day;
      event[k] = tte.censored ? 0 : 1;
    } else {
      time[k] = day - entry;
      event[k] = 0;
    }
  }
  if (control >= 0)
    for (const x of full.external) {
      const tte = x.outcome.timeToEvent[ei];
      if (!tte) continue;
      const k = kc++;
      time[k] = tte.day;
      event[k] = tte.censored ? 0 : 1;
    }
  return logRankZOf(im, sided, time, event, nArm);
}

/**
 * Whether cutLogRankZ gives a look's z: an unadjusted, unstratified log-rank primary of the
 * randomised population without an estimand. An estimand changes what the analysis sees of a
 * time to event (censored at a discarded or while-on-treatment intercurrent event, an event at a
 * composite one: analysis-source.ts handledTime), which the direct read does not apply; such
 * looks take logRankZ on the cut trial's analysis source, which applies it as the full analysis
 * does (the test "with an estimand the looks' z are the full analysis'" keeps them equal).
 */
export function cutLogRankApplies(model: TrialModel, im: InterimModel, population: string): boolean {
  return im.item.method === 'logrank' && !im.item.strata?.length && population === 'randomised' && itemEstimand(model, im.item) === undefined;
}

/** The z of the log-rank test of the active arm (the first nArm subjects) against the control (the rest). */
function logRankZOf(im: InterimModel, sided: 'one' | 'two', time: Float64Array, event: Float64Array, nArm: number, strata?: Int32Array): number {
  const n = time.length;
  if (nArm === 0 || nArm === n) return NaN;
  let eventsArm = 0;
  let eventsControl = 0;
  for (let k = 0; k < n; k++) {
    if (k < nArm) eventsArm += event[k]!;
    else eventsControl += event[k]!;
  }
  // No events in an arm: no hazard ratio, so no z (as zOf of a row without an estimate).
  if (eventsArm === 0 || eventsControl === 0) return NaN;
  const groups = new Array<string>(n);
  for (let k = 0; k < n; k++) groups[k] = k < nArm ? 'arm' : 'control';
  const lr = logRank(time, event, groups, ['arm', 'control'], { timeOrder: survivalOrder(time), ...(strata ? { strata } : {}) });
  const p = lr.p;
  if (!Number.isFinite(p)) return NaN;
  const sign = Math.sign(lr.observed[0]! - lr.expected[0]!);
  const favourable = im.direction === 'decrease' ? sign < 0 : sign > 0;
  if (sided === 'one') {
    const one = favourable ? p / 2 : 1 - p / 2;
    return Number.isFinite(one) ? -qnorm(one) : NaN;
  }
  const z = -qnorm(p / 2);
  return favourable ? z : -z;
}

/**
 * The trial as its efficacy analysis sees it at calendar day `day`: cutAt's rule for the
 * randomised twins' visits and time-to-event outcomes (README "The data cut-off"), without
 * what an efficacy analysis does not read (screening rows, adverse events, the cut-off record),
 * so an interim look allocates only the twins still in follow-up. The test
 * "an interim cut analyses as cutAt's" keeps the two in step.
 */
export function efficacyCut(model: TrialModel, full: TrialResult, day: number): TrialResult {
  const enrolled: TrialResult['enrolled'] = [];
  const visits = model.visits;
  for (const t of full.enrolled) {
    const entry = t.entryDay;
    if (entry > day) continue;
    const o = t.outcomes[t.arm]!;
    if (entry + o.endDay <= day) {
      enrolled.push(t);
      continue;
    }
    const local = day - entry;
    let lastVisit = -1;
    for (let v = 0; v < visits.length; v++) if (entry + visits[v]!.day <= day) lastVisit = v;
    const timeToEvent = o.timeToEvent.map((tte): TimeToEvent | null => (!tte || (!tte.censored && entry + tte.day <= day) ? tte : { latentDay: tte.latentDay, day: local, censored: true, censoring: 'DATA CUT-OFF' }));
    const outcomes = t.outcomes.slice();
    // The shape of cutAt's outcome (the same hidden class for the analysis that reads both).
    outcomes[t.arm] = { ...o, adverseEvents: o.adverseEvents, endDay: local, endReason: 'ONGOING', lastVisit, timeToEvent };
    enrolled.push({ ...t, outcomes });
  }
  return { ...full, enrolled };
}

/** Calendar days at which each randomised patient's endpoint is observed, sorted (continuous and responder endpoints). */
function observedDays(model: TrialModel, trial: TrialResult, ei: number): Float64Array {
  const e = model.endpoints[ei]!;
  if (e.kind === 'time_to_event') return new Float64Array(0);
  const day = model.visits[e.visit]!.day;
  const out: number[] = [];
  for (const t of trial.enrolled) if (t.outcomes[t.arm]!.lastVisit >= e.visit) out.push(t.entryDay + day);
  return Float64Array.from(out).sort();
}

const countBy = countAtOrBefore;

export type LookDecision = 'efficacy' | 'futility' | 'continue' | 'final';

/**
 * What a look's z says: efficacy when it crosses the boundary c (two-sided: |z| >= c), futility
 * when it is at or below the futility bound f of an interim look, else continue (interim) or
 * final (the final look, H0 not rejected). A z that is not a number (no estimate) continues.
 */
export function lookDecision(d: SequentialDesign, final: boolean, z: number, c: number, f: number | undefined): LookDecision {
  if (d.sided === 2 ? Math.abs(z) >= c : z >= c) return 'efficacy';
  if (!final && f !== undefined && z <= f) return 'futility';
  return final ? 'final' : 'continue';
}

/**
 * @param full the trial simulated to every patient's end (simulateFullTrial)
 * @param end the study end's cut-off day; `finalRow` the primary row of the analysis there
 * @param analyse the primary analysis (the plan's first primary row) of the trial as observed at a calendar day
 */
export function runSequential(model: TrialModel, im: InterimModel, full: TrialResult, index: CalendarIndex, end: number, finalRow: EfficacyRow, analyse: (day: number) => EfficacyRow, test?: (day: number) => number): SequentialRecord {
  const K = im.looks.length + 1;
  const tte = im.unit === 'events';
  const obs = tte ? undefined : observedDays(model, full, im.endpoint);
  const infoBy = (day: number): number => (obs ? countBy(obs, day) : eventsBy(index, im.endpoint, day));
  const dayOfInfo = (n: number): number => (obs ? (n >= 1 && n <= obs.length ? obs[n - 1]! : NaN) : dayOfEvent(index, im.endpoint, n));
  const patientsBy = (day: number): number => {
    let n = 0;
    for (const t of full.enrolled) if (t.entryDay <= day) n++;
    return n;
  };
  const nan = () => new Float64Array(K).fill(NaN);
  const rec: SequentialRecord = { stopLook: K, decision: 'final', reject: false, rejectIgnoringFutility: false, day: end, patients: 0, information: 0, estimate: null, trueEffect: finalRow.trueEffect, lookDay: nan(), lookFraction: nan(), lookZ: nan(), lookCritical: nan() };
  const d = im.design;
  let state: BoundaryState = START;
  let stopped = false;
  let lastDay = -Infinity;
  let lastInfo = 0;
  // With a test alone at the looks (test), the full analysis (the estimate) runs only at the stop.
  const stopAt = (k: number, decision: SequentialDecision, day: number, info: number, row: EfficacyRow | undefined) => {
    stopped = true;
    Object.assign(rec, { stopLook: k + 1, decision, day, patients: patientsBy(day), information: info, estimate: (row ?? analyse(day)).estimate });
  };
  for (let k = 0; k < K; k++) {
    const final = k === K - 1;
    let day: number;
    if (final) day = end;
    else {
      const l = im.looks[k]!;
      day = l.kind === 'calendar_day' ? l.day : dayOfInfo(l.kind === 'events' ? l.events : informationUnits(l.fraction, im.plannedInformation));
      // A look not reached before the study end (or not after the previous one) is not run: the final look spends what is left.
      if (!(day < end) || !(day > lastDay)) continue;
    }
    const info = infoBy(day);
    if (!final && !(info > lastInfo)) continue;
    const t = info / im.plannedInformation;
    state = nextBoundary(d, state, t, k, final);
    const c = state.critical[state.critical.length - 1]!;
    const row = final ? finalRow : test ? undefined : analyse(day);
    const z = row ? zOf(row, im) : test!(day);
    rec.lookDay[k] = day;
    rec.lookFraction[k] = t;
    rec.lookZ[k] = z;
    rec.lookCritical[k] = c;
    lastDay = day;
    lastInfo = info;
    const f = final ? undefined : futilityBoundAt(d, k, t);
    const decision = lookDecision(d, final, z, c, f);
    if (decision === 'efficacy') {
      if (!stopped) {
        stopAt(k, 'efficacy', day, info, row);
        rec.reject = true;
      }
      rec.rejectIgnoringFutility = true;
      break;
    }
    if (decision === 'futility' && !stopped) {
      stopAt(k, 'futility', day, info, row);
      if (d.binding) break;
    }
    if (final && !stopped) stopAt(k, 'final', day, info, row);
  }
  if (d.binding || !d.futility) rec.rejectIgnoringFutility = rec.reject;
  return rec;
}
