/**
 * Compiles a protocol's `accrual` and `study_end` into the calendar model, checking what the
 * schema cannot: piece lengths, an accrual period within the duration limit, a study end that
 * can be reached (an events target no larger than the number of randomised patients, of a
 * time-to-event endpoint; a calendar day after the expected end of accrual).
 */
import type { ProtocolSpec } from '../spec/protocol-schema.js';
import type { IssueList } from '../spec/spec-error.js';
import { overLimit, type Limits } from '../spec/limits.js';
import { DAYS_PER_MONTH, expectedAccrualEnd, type AccrualModel } from './accrual.js';
import type { CalendarModel, StudyEndRule } from './trial-model.js';

const fmt = (x: number): string => String(Math.round(x * 10) / 10);

export function compileCalendar(spec: ProtocolSpec, limits: Limits, issues: IssueList): CalendarModel | undefined {
  const a = spec.accrual;
  const end = spec.study_end;
  if (!a) {
    if (end !== undefined) issues.add(['study_end'], 'needs accrual: without it every patient starts on day 0 and is followed to the end of the study (add accrual: { duration_months: M } or { rate_per_month: [...] })');
    return undefined;
  }
  const before = issues.items.length;
  let accrual: AccrualModel;
  let at: (string | number)[];
  if ('duration_months' in a) {
    accrual = { kind: 'uniform', durationDays: a.duration_months * DAYS_PER_MONTH };
    at = ['accrual', 'duration_months'];
  } else {
    const last = a.rate_per_month.length - 1;
    a.rate_per_month.forEach((p, i) => {
      if (i < last && p.months === undefined) issues.add(['accrual', 'rate_per_month', i], 'needs months (its length): only the last piece is open-ended');
      if (i === last && p.months !== undefined) issues.add(['accrual', 'rate_per_month', i, 'months'], 'the last piece is open-ended (it lasts until the target is enrolled): remove months, or add a last piece { rate: R }');
    });
    accrual = { kind: 'rate', pieces: a.rate_per_month.map((p, i) => ({ lengthDays: i === last ? Infinity : (p.months ?? 0) * DAYS_PER_MONTH, ratePerDay: p.rate / DAYS_PER_MONTH })) };
    at = ['accrual', 'rate_per_month'];
  }
  const n = spec.enrolment.target;
  const accrualEnd = issues.items.length === before ? expectedAccrualEnd(accrual, n) : 0;
  if (accrualEnd > limits.max_duration_days) issues.add(at, overLimit('max_duration_days', limits, Math.ceil(accrualEnd), accrual.kind === 'uniform' ? `an accrual period of ${fmt(accrualEnd)} days` : `an expected accrual period of ${fmt(accrualEnd)} days (for ${n} patients)`));

  let studyEnd: StudyEndRule = { kind: 'last_patient_last_visit' };
  let eventsEndpoint = spec.endpoints.findIndex((e) => e.type === 'time_to_event');
  if (end === undefined || end === 'last_patient_last_visit') {
    // The default.
  } else if ('calendar_day' in end) {
    studyEnd = { kind: 'calendar_day', day: end.calendar_day };
    if (end.calendar_day <= accrualEnd) {
      issues.add(['study_end', 'calendar_day'], `day ${fmt(end.calendar_day)} is not after the expected end of accrual (day ${fmt(accrualEnd)} for ${n} patients): the study would end while patients are still being enrolled; choose a later day`);
    }
  } else {
    const tte = spec.endpoints.flatMap((e) => (e.type === 'time_to_event' ? [e.id] : []));
    const ei = spec.endpoints.findIndex((e) => e.id === end.endpoint);
    if (ei < 0 || spec.endpoints[ei]!.type !== 'time_to_event') {
      issues.add(['study_end', 'endpoint'], `${ei < 0 ? `unknown endpoint "${end.endpoint}"` : `"${end.endpoint}" is not a time-to-event endpoint`}; time-to-event endpoints: ${tte.join(', ') || '(none defined)'}`);
    }
    if (end.events > n) {
      issues.add(['study_end', 'events'], `${end.events} events can never be reached: at most ${n} randomised patients (enrolment.target) can have an event`);
    }
    studyEnd = { kind: 'events', events: end.events, endpoint: ei };
    eventsEndpoint = ei;
  }
  return { accrual, studyEnd, eventsEndpoint };
}
