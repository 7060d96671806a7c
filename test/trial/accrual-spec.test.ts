/**
 * Impossible calendar designs are spec errors, all reported at once with their path (exit code 2
 * from `vtrial validate`, naming file and line), instead of a run that hangs or ends silently short.
 */
import { describe, expect, it } from 'vitest';
import { calendarProtocol, problems } from './accrual-helpers.js';
import { expectClean, vtrial } from '../adversarial/harness.js';

describe('accrual and study_end spec errors', () => {
  it('a valid design has no problems', () => {
    expect(problems(calendarProtocol({ accrual: '{ rate_per_month: [{ months: 2, rate: 5 }, { rate: 20 }] }', studyEnd: '{ events: 30, endpoint: OS }' }))).toEqual([]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: 'last_patient_last_visit' }))).toEqual([]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ calendar_day: 400 }' }))).toEqual([]);
  });

  it('every cross-field problem at once: pieces without a length or an open end, an events target above the patients, a non-event endpoint', () => {
    const file = calendarProtocol({ accrual: '{ rate_per_month: [{ rate: 5 }, { months: 2, rate: 10 }] }', studyEnd: '{ events: 41, endpoint: chg }' });
    expect(problems(file)).toEqual([
      'accrual.rate_per_month.0: needs months (its length): only the last piece is open-ended',
      'accrual.rate_per_month.1.months: the last piece is open-ended (it lasts until the target is enrolled): remove months, or add a last piece { rate: R }',
      'study_end.events: 41 events can never be reached: at most 40 randomised patients (enrolment.target) can have an event',
      'study_end.endpoint: "chg" is not a time-to-event endpoint; time-to-event endpoints: OS',
    ]);
  });

  it('a calendar day before the expected end of accrual; an accrual period over the duration limit', () => {
    // 1 month at 4 a month, then 8 a month: 40 patients are expected by 5.5 months (167.4 days).
    expect(problems(calendarProtocol({ accrual: '{ rate_per_month: [{ months: 1, rate: 4 }, { rate: 8 }] }', studyEnd: '{ calendar_day: 160 }' }))).toEqual([
      'study_end.calendar_day: day 160 is not after the expected end of accrual (day 167.4 for 40 patients): the study would end while patients are still being enrolled; choose a later day',
    ]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 2000 }' }))).toEqual([
      'accrual.duration_months: an accrual period of 60875 days is above the limit of 36525 days of study duration; if this size is intended, raise the limit in the protocol: limits: { max_duration_days: 60875 }',
    ]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 2000 }', extra: 'limits: { max_duration_days: 60875 }' }))).toEqual([]);
  });

  it('non-positive rates and durations, unknown keys and shapes, an unknown endpoint, study_end without accrual', () => {
    expect(problems(calendarProtocol({ accrual: '{ rate_per_month: [{ months: 0, rate: 5 }, { rate: -1 }] }' }))).toEqual([
      'accrual.rate_per_month.0.months: expected a number > 0, found 0',
      'accrual.rate_per_month.1.rate: expected a number > 0, found -1',
    ]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 0 }' }))).toEqual(['accrual.duration_months: expected a number > 0, found 0']);
    expect(problems(calendarProtocol({ accrual: '{ duration_month: 6 }' }))).toEqual([
      'accrual.duration_months: is required: expected a number > 0',
      'accrual.duration_month: unknown key (did you mean "duration_months"?); allowed keys here: duration_months',
    ]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 6 }', studyEnd: 'lplv' }))).toEqual(['study_end: expected one of "last_patient_last_visit", found "lplv"']);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 6 }', studyEnd: '{ events: 0, endpoint: OS }' }))).toEqual(['study_end.events: expected a whole number >= 1, found 0']);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 6 }', studyEnd: '{ events: 10, endpoint: PFS }' }))).toEqual(['study_end.endpoint: unknown endpoint "PFS"; time-to-event endpoints: OS']);
    expect(problems(calendarProtocol({ studyEnd: '{ calendar_day: 400 }' }))).toEqual([
      'study_end: needs accrual: without it every patient starts on day 0 and is followed to the end of the study (add accrual: { duration_months: M } or { rate_per_month: [...] })',
    ]);
  });

  it('vtrial validate: exit code 2, naming the file and line of each problem', async () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 6 }', studyEnd: '{ events: 41, endpoint: OS }' });
    const r = await vtrial(['validate', file]);
    expectClean(r, 2);
    expect(r.stdout + r.stderr).toMatch(/p\d+\.yaml:\d+:\d+ {2}study_end\.events: 41 events can never be reached/);
  });
});
