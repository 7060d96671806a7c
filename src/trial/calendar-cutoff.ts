/**
 * A simulated trial as observed at a calendar cut-off day c (README "Accrual and calendar time").
 * Every twin's follow-up runs on its own study days t = 0, 1, ... from its entry day e; what
 * happens on study day t happens on calendar day e + t, and is observed at the cut-off when
 * e + t <= c:
 *
 * - twins screened after c are absent (randomised twins enter on their screening day);
 * - a twin whose observation ended by then (completed, dropped out, died: e + endDay <= c) is
 *   as it was; any other is ONGOING, observed up to study day c - e: visits after it are absent,
 *   adverse events after it are absent, and a time-to-event outcome with its event after it is
 *   censored at c - e (DATA CUT-OFF);
 * - counterfactual outcomes (the truth) and external control twins are not cut.
 *
 * The cut is a pure function of the full trial (simulateFullTrial) and c. Interim looks cut one
 * trial several times, so calendarIndex sorts each endpoint's calendar event days once per
 * replicate: the day of the k-th event and the events by day c are then a lookup and a binary
 * search, and a cut copies only the twins still in follow-up at c.
 */
import type { ArmOutcome, TimeToEvent } from './simulate-arm.js';
import type { EnrolledTwin, TrialResult } from './simulate-trial.js';
import type { TrialModel } from './trial-model.js';

export interface CalendarIndex {
  /** Per endpoint: the calendar days (entry + event day) of the randomised twins' observed events, ascending; empty for other endpoints. */
  eventDays: Float64Array[];
  /** The calendar day of the last patient's last observation: max over randomised twins of entry + endDay. */
  lastPatientLastVisit: number;
}

export function calendarIndex(model: TrialModel, trial: TrialResult): CalendarIndex {
  let last = 0;
  for (const t of trial.enrolled) last = Math.max(last, t.entryDay + t.outcomes[t.arm]!.endDay);
  const eventDays = model.endpoints.map((e, ei) => {
    if (e.kind !== 'time_to_event') return new Float64Array(0);
    const days: number[] = [];
    for (const t of trial.enrolled) {
      const tte = t.outcomes[t.arm]!.timeToEvent[ei];
      if (tte && !tte.censored) days.push(t.entryDay + tte.day);
    }
    return Float64Array.from(days).sort();
  });
  return { eventDays, lastPatientLastVisit: last };
}

/** Number of observed events of endpoint `ei` on or before calendar day `day`. */
export function eventsBy(index: CalendarIndex, ei: number, day: number): number {
  const d = index.eventDays[ei];
  return d ? countAtOrBefore(d, day) : 0;
}

/** How many of the ascending values are at most `x` (binary search). */
export function countAtOrBefore(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The calendar day of the k-th observed event (k >= 1) of endpoint `ei`; NaN when fewer occur. */
export function dayOfEvent(index: CalendarIndex, ei: number, k: number): number {
  const d = index.eventDays[ei];
  return d && k >= 1 && k <= d.length ? d[k - 1]! : NaN;
}

/**
 * The study end's calendar day under the model's rule, and whether the rule was met: an events
 * target that is not reached by the time every patient has finished ends the study at the last
 * patient's last visit (reached false).
 */
export function studyEndDay(model: TrialModel, index: CalendarIndex): { day: number; reached: boolean } {
  const rule = model.calendar?.studyEnd ?? { kind: 'last_patient_last_visit' as const };
  if (rule.kind === 'calendar_day') return { day: rule.day, reached: true };
  if (rule.kind === 'events') {
    const day = dayOfEvent(index, rule.endpoint, rule.events);
    if (!Number.isNaN(day)) return { day, reached: true };
  }
  return { day: index.lastPatientLastVisit, reached: rule.kind === 'last_patient_last_visit' };
}

/** One twin's observed outcome at the cut-off (the same object when nothing happens after it). */
function cutOutcome(model: TrialModel, o: ArmOutcome, entry: number, cutoff: number): ArmOutcome {
  if (entry + o.endDay <= cutoff) return o;
  const local = cutoff - entry;
  const days = model.visits;
  let lastVisit = -1;
  for (let v = 0; v < days.length; v++) if (entry + days[v]!.day <= cutoff) lastVisit = v;
  const timeToEvent = o.timeToEvent.map((tte): TimeToEvent | null => {
    if (!tte) return null;
    // Compared in calendar days, as calendarIndex orders the events: the event that defines a cut-off is observed at it.
    if (!tte.censored && entry + tte.day <= cutoff) return tte;
    return { latentDay: tte.latentDay, day: local, censored: true, censoring: 'DATA CUT-OFF' };
  });
  const ae = o.adverseEvents;
  const adverseEvents = { ...ae, events: ae.events.filter((ev) => entry + ev.day <= cutoff) };
  return { ...o, adverseEvents, endDay: local, endReason: 'ONGOING', lastVisit, timeToEvent };
}

/**
 * The trial as observed at calendar day `cutoff`: a new TrialResult sharing every unchanged
 * object with `trial` (which is not modified). Its `cutoff` records the day and the events of
 * the counted endpoint by then; `reached` is copied from `reached` (the study end's rule).
 */
export function cutAt(model: TrialModel, trial: TrialResult, cutoff: number, index: CalendarIndex = calendarIndex(model, trial), reached = true): TrialResult {
  const enrolled: EnrolledTwin[] = [];
  for (const t of trial.enrolled) {
    if (t.entryDay > cutoff) continue;
    const o = t.outcomes[t.arm]!;
    const c = cutOutcome(model, o, t.entryDay, cutoff);
    if (c === o) enrolled.push(t);
    else {
      const outcomes = t.outcomes.slice();
      outcomes[t.arm] = c;
      enrolled.push({ ...t, outcomes });
    }
  }
  const ei = model.calendar?.eventsEndpoint ?? -1;
  return {
    ...trial,
    screened: trial.screened.filter((s) => s.day <= cutoff),
    enrolled,
    cutoff: { day: cutoff, events: ei >= 0 ? eventsBy(index, ei, cutoff) : 0, reached },
  };
}

/** The trial as observed at its study end (the model's study_end rule). */
export function atStudyEnd(model: TrialModel, trial: TrialResult): TrialResult {
  const index = calendarIndex(model, trial);
  const end = studyEndDay(model, index);
  return cutAt(model, trial, end.day, index, end.reached);
}

/** The cut-off as summary.json reports it. */
export interface TrialCutoff {
  /** The study end's rule: last_patient_last_visit, calendar_day or events. */
  rule: string;
  /** Calendar day of the data cut-off (day 0: the study opens). */
  day: number;
  /** The endpoint whose events are counted (null: the protocol has no time-to-event endpoint). */
  endpoint: string | null;
  /** Its observed events by the cut-off. */
  events: number;
  /** False when an events target was not reached by the last patient's last visit (the study then ended there). */
  reached: boolean;
  /** Calendar day of the last randomised patient's entry. */
  lastEntryDay: number;
}

export function cutoffSummary(model: TrialModel, trial: TrialResult): TrialCutoff {
  const c = trial.cutoff!;
  const ei = model.calendar?.eventsEndpoint ?? -1;
  let lastEntry = 0;
  for (const t of trial.enrolled) lastEntry = Math.max(lastEntry, t.entryDay);
  return { rule: model.calendar?.studyEnd.kind ?? 'last_patient_last_visit', day: c.day, endpoint: ei >= 0 ? model.endpoints[ei]!.id : null, events: c.events, reached: c.reached, lastEntryDay: lastEntry };
}
