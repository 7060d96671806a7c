/**
 * Calendar time in a simulated trial: twins are screened and randomised in calendar order, and a
 * cut-off gives the trial as observed by then (README "Accrual and calendar time"): an event after
 * it censored at cut-off - entry, visits and AEs after it absent, twins not yet entered absent.
 * The study end's rules: last patient's last visit, a calendar day, the E-th event.
 */
import { describe, expect, it } from 'vitest';
import { adae, adeff, adsl, adtte } from '../../src/adam/adam-tables.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { entryDays } from '../../src/trial/accrual.js';
import { calendarIndex, cutAt, dayOfEvent, eventsBy, studyEndDay } from '../../src/trial/calendar-cutoff.js';
import { calendarProtocol, simulate } from './accrual-helpers.js';

const OS = 1; // the endpoint index of OS in calendarProtocol

describe('entry in calendar order', () => {
  const file = calendarProtocol({ accrual: '{ duration_months: 6 }' });
  const { model, trial } = simulate(file, 3, 0, true);

  it("the k-th randomised twin enters on the k-th arrival; screening days rise with the twins' index", () => {
    expect(Array.from(entryDays(model.calendar!.accrual, 3, 0, trial.enrolled.map((t) => t.patient)))).toEqual(trial.enrolled.map((t) => t.entryDay));
    const days = trial.screened.map((s) => s.day);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(trial.screened.some((s) => !s.enrolled)).toBe(true);
    for (const s of trial.screened.filter((x) => x.enrolled)) expect(s.day).toBe(trial.enrolled.find((t) => t.patient === s.patient)!.entryDay);
  });

  it('without accrual every twin enters on day 0 and the trial has no cut-off (no RANDDY/DCUTDY in ADSL)', () => {
    const plain = simulate(calendarProtocol({}), 3, 0);
    expect(plain.model.calendar).toBeUndefined();
    expect(plain.trial.cutoff).toBeUndefined();
    expect(plain.trial.enrolled.every((t) => t.entryDay === 0)).toBe(true);
    const p = loadProtocol(file);
    expect(adsl(p.cohort.model, p.criteria, plain.model, plain.trial).columns).not.toContain('RANDDY');
    expect(adsl(p.cohort.model, p.criteria, model, cutAt(model, trial, 100)).columns.slice(-2)).toEqual(['RANDDY', 'DCUTDY']);
  });
});

describe('the cut-off', () => {
  const { model, trial } = simulate(calendarProtocol({ accrual: '{ duration_months: 6 }' }), 3, 0, true);
  const before = structuredClone(trial);
  // A twin with an OS event late enough to cut before it (10 days before), while twins are still entering.
  const lastEntry = Math.max(...trial.enrolled.map((t) => t.entryDay));
  const twin = trial.enrolled.find((t) => {
    const tte = t.outcomes[t.arm]!.timeToEvent[OS]!;
    return !tte.censored && tte.day > 60 && t.entryDay > 20 && t.entryDay + tte.day - 10 < lastEntry;
  })!;
  const x = twin.outcomes[twin.arm]!.timeToEvent[OS]!.day;
  const c = twin.entryDay + x - 10;
  const cut = cutAt(model, trial, c);

  it('an event after the cut-off is censored at cut-off - entry (DATA CUT-OFF); the twin is ONGOING', () => {
    const o = cut.enrolled.find((t) => t.patient === twin.patient)!.outcomes[twin.arm]!;
    expect(o.timeToEvent[OS]).toEqual({ latentDay: twin.outcomes[twin.arm]!.timeToEvent[OS]!.latentDay, day: c - twin.entryDay, censored: true, censoring: 'DATA CUT-OFF' });
    expect(o.endReason).toBe('ONGOING');
    expect(o.endDay).toBe(c - twin.entryDay);
    const row = adtte(model, cut).rows.find((r) => r[0] === twin.usubjid && r[2] === 'OS')!;
    expect([row[4], row[6], row[8]]).toEqual([c - twin.entryDay, 1, 'DATA CUT-OFF']);
    // The counterfactual truth is not cut.
    expect(o.endpointValues).toBe(twin.outcomes[twin.arm]!.endpointValues);
  });

  it('visits after the cut-off are absent, those before present; ADSL says ONGOING with the entry and cut-off days', () => {
    const rows = adeff(model, cut).rows.filter((r) => r[0] === twin.usubjid);
    const seen = model.visits.filter((v) => twin.entryDay + v.day <= c).map((v) => v.day + 1);
    expect(rows.map((r) => r[6])).toEqual(seen);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.length).toBeLessThan(model.visits.length);
    const p = loadProtocol(calendarProtocol({ accrual: '{ duration_months: 6 }' }));
    const t = adsl(p.cohort.model, p.criteria, model, cut);
    const r = t.rows.find((x) => x[0] === twin.usubjid)!;
    const col = (name: string) => r[t.columns.indexOf(name)];
    expect([col('EOSSTT'), col('DCSREAS'), col('EOSDY'), col('RANDDY'), col('DCUTDY')]).toEqual(['ONGOING', '', c - twin.entryDay, twin.entryDay, c]);
  });

  it('twins entering after the cut-off are absent (ADSL too); adverse events after it are absent', () => {
    expect(cut.enrolled.map((t) => t.patient)).toEqual(trial.enrolled.filter((t) => t.entryDay <= c).map((t) => t.patient));
    expect(cut.enrolled.length).toBeLessThan(trial.enrolled.length);
    expect(cut.screened.every((s) => s.day <= c)).toBe(true);
    const entry = new Map(trial.enrolled.map((t) => [t.usubjid, t.entryDay]));
    const onsets = adae(model, cut).rows.map((r) => entry.get(r[0] as string)! + (r[4] as number) - 1);
    expect(onsets.length).toBeGreaterThan(0);
    for (const d of onsets) expect(d).toBeLessThanOrEqual(c);
    const all = adae(model, trial).rows.filter((r) => entry.get(r[0] as string)! <= c);
    expect(all.length).toBeGreaterThan(onsets.length);
  });

  it('a twin whose observation ended before the cut-off is unchanged (the same object); the full trial is not modified', () => {
    const done = trial.enrolled.find((t) => t.entryDay + t.outcomes[t.arm]!.endDay <= c);
    if (done) expect(cut.enrolled.find((t) => t.patient === done.patient)).toBe(done);
    expect(trial).toEqual(before);
  });

  it('events by a day and the day of the k-th event agree with a count over the twins', () => {
    const index = calendarIndex(model, trial);
    const days = trial.enrolled.flatMap((t) => {
      const tte = t.outcomes[t.arm]!.timeToEvent[OS]!;
      return tte.censored ? [] : [t.entryDay + tte.day];
    });
    expect(eventsBy(index, OS, c)).toBe(days.filter((d) => d <= c).length);
    expect(cut.cutoff!.events).toBe(days.filter((d) => d <= c).length);
    expect(dayOfEvent(index, OS, 3)).toBe([...days].sort((a, b) => a - b)[2]);
    expect(dayOfEvent(index, OS, days.length + 1)).toBeNaN();
    expect(eventsBy(index, 0, c)).toBe(0); // not a time-to-event endpoint
  });
});

describe('the study end', () => {
  it('last patient last visit (the default): nothing is cut, the cut-off is the last observation', () => {
    const full = simulate(calendarProtocol({ accrual: '{ rate_per_month: [{ months: 1, rate: 5 }, { rate: 15 }] }' }), 4, 1, true);
    const ended = simulate(calendarProtocol({ accrual: '{ rate_per_month: [{ months: 1, rate: 5 }, { rate: 15 }] }' }), 4, 1);
    const lplv = Math.max(...full.trial.enrolled.map((t) => t.entryDay + t.outcomes[t.arm]!.endDay));
    expect(ended.trial.cutoff!.day).toBe(lplv);
    expect(ended.trial.cutoff!.reached).toBe(true);
    expect(ended.trial.enrolled.map((t) => t.outcomes)).toEqual(full.trial.enrolled.map((t) => t.outcomes));
    expect(ended.trial.enrolled.every((t) => t.outcomes[t.arm]!.endReason !== 'ONGOING')).toBe(true);
  });

  it('events: the calendar day of the E-th observed event, with exactly E events observed', () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 6 }', studyEnd: '{ events: 15, endpoint: OS }' });
    const { model, trial: full } = simulate(file, 8, 0, true);
    const { trial } = simulate(file, 8, 0);
    const days = full.enrolled
      .flatMap((t) => {
        const tte = t.outcomes[t.arm]!.timeToEvent[OS]!;
        return tte.censored ? [] : [t.entryDay + tte.day];
      })
      .sort((a, b) => a - b);
    expect(trial.cutoff).toEqual({ day: days[14], events: 15, reached: true });
    expect(adtte(model, trial).rows.filter((r) => r[2] === 'OS' && r[6] === 0).length).toBe(15);
    expect(studyEndDay(model, calendarIndex(model, full))).toEqual({ day: days[14], reached: true });
  });

  it('events that never come by the last patient\'s last visit: the study ends there, not reached', () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 6 }', studyEnd: '{ events: 40, endpoint: OS }', duration: 84 });
    const { trial: full } = simulate(file, 8, 0, true);
    const { trial } = simulate(file, 8, 0);
    const lplv = Math.max(...full.enrolled.map((t) => t.entryDay + t.outcomes[t.arm]!.endDay));
    expect(trial.cutoff!.reached).toBe(false);
    expect(trial.cutoff!.day).toBe(lplv);
    expect(trial.cutoff!.events).toBeLessThan(40);
  });

  it('a calendar day: the cut-off is that day', () => {
    const { trial } = simulate(calendarProtocol({ accrual: '{ duration_months: 6 }', studyEnd: '{ calendar_day: 300 }' }), 8, 0);
    expect(trial.cutoff!.day).toBe(300);
    expect(trial.enrolled.some((t) => t.outcomes[t.arm]!.endReason === 'ONGOING')).toBe(true);
  });
});
