/**
 * Impossible interim designs are spec errors, reported at once with their paths (exit code 2,
 * file and line from `vtrial validate`), never a run that hangs or silently skips a look.
 */
import { describe, expect, it } from 'vitest';
import { calendarProtocol, problems } from '../trial/accrual-helpers.js';
import { expectClean, vtrial } from '../adversarial/harness.js';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';

const plan = (primary: string, interim: string, sided = 'one') => `analysis:\n  sided: ${sided}\n  alpha: 0.025\n  primary: [ ${primary} ]\n  interim: ${interim}`;
const os = '{ endpoint: OS, method: logrank, direction: decrease }';

describe('interim spec errors', () => {
  it('valid designs have no problems', () => {
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 30, endpoint: OS }', extra: plan(os, '{ looks: [ { events: 10 }, { information: 0.6 } ], futility: { bounds: [0, 0.5], binding: true } }') }))).toEqual([]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', extra: plan('{ endpoint: chg, method: welch_t_test, direction: decrease }', '{ looks: [ { calendar_day: 150 }, { calendar_day: 300 } ], spending: kd, gamma: 3 }') }))).toEqual([]);
  });

  it('looks that cannot be ordered before the run: calendar days mixed with information or events looks, and fractions that fall on the same unit or on the final analysis', () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 30, endpoint: OS }', extra: plan(os, '{ looks: [ { information: 0.75 }, { calendar_day: 100 }, { events: 10 } ] }') });
    expect(problems(file)).toEqual([
      'analysis.interim.looks.1: calendar_day 100 cannot be ordered against look 1 (information 0.75): a calendar day and an information or events look fall in an order known only when the trial runs; give every look as calendar_day, or every look as information or events',
      "analysis.interim.looks.2.events: looks out of order: 10 events is not after the previous look's 23",
    ]);
    // 0.49 x 30 = 14.7 and 0.5 x 30 = 15: both looks are the 15th event (the run would skip the second).
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 30, endpoint: OS }', extra: plan(os, '{ looks: [ { information: 0.49 }, { information: 0.5 }, { information: 0.99 } ] }') }))).toEqual([
      "analysis.interim.looks.1.information: looks out of order: information 0.5 (15 events) is not after the previous look's 15 events",
      "analysis.interim.looks.2.information: information 0.99 falls on event 30 of the 30 planned, the final analysis': an interim look must come before it",
    ]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', extra: plan('{ endpoint: chg, method: welch_t_test, direction: decrease }', '{ looks: [ { calendar_day: 200 }, { information: 0.5 } ] }') }))).toEqual([
      'analysis.interim.looks.1: information 0.5 cannot be ordered against look 1 (calendar_day 200): a calendar day and an information or events look fall in an order known only when the trial runs; give every look as calendar_day, or every look as information or events',
    ]);
  });

  it('validate and run agree: a mixed design is a spec error (exit 2) for both', async () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 3 }', extra: plan('{ endpoint: chg, method: welch_t_test, direction: decrease }', '{ looks: [ { information: 0.75 }, { calendar_day: 100 } ] }') });
    for (const args of [['validate', file], ['run', file, '--out', join(tempDir(), 'out')], ['run', file, '--replicates', '2', '--out', join(tempDir(), 'reps')]]) {
      const r = await vtrial(args);
      expectClean(r, 2);
      expect(r.stdout + r.stderr, args[0]).toMatch(/:\d+:\d+ +analysis\.interim\.looks\[1\]: calendar_day 100 cannot be ordered against look 1 \(information 0\.75\)/);
    }
  }, 60_000);

  it('looks out of order, fractions outside (0, 1), looks that can never be reached, wrong futility bounds: all at once', () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 30, endpoint: OS }', extra: plan(os, '{ looks: [ { events: 20 }, { information: 0.5 }, { events: 30 }, { information: 1.2 } ], spending: hsd, futility: { bounds: [0, 0] } }') });
    expect(problems(file)).toEqual([
      'analysis.interim.gamma: spending hsd needs gamma (Hwang-Shih-DeCani\'s gamma, e.g. -4)',
      'analysis.interim.looks.1.information: looks out of order: information 0.5 (15 events) is not after the previous look\'s 20 events',
      'analysis.interim.looks.2.events: 30 events can never be an interim look: the study ends at 30 events (the final analysis)',
      'analysis.interim.looks.3.information: 1.2 is not an interim fraction: it must lie in (0, 1) (1 is the final analysis, the study end, which is not listed)',
      'analysis.interim.futility.bounds: expected 4 bounds (one per interim look), found 2',
    ]);
  });

  it('interim looks need accrual, an event-driven end for a time-to-event primary, and one primary comparison', () => {
    expect(problems(calendarProtocol({ extra: plan(os, '{ looks: [ { information: 0.5 } ] }') }))).toEqual([
      'analysis.interim: needs accrual: interim looks are calendar days of the trial (add accrual: { duration_months: M } or { rate_per_month: [...] })',
      'analysis.interim: the primary endpoint OS is time to event: its information is its events, so the study end must be event-driven on it (study_end: { events: E, endpoint: OS }), the planned final information',
    ]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ calendar_day: 300 }', extra: plan(`${os}, { endpoint: chg, method: welch_t_test, direction: decrease }`, '{ looks: [ { calendar_day: 300 }, { events: 3 } ], futility: { bounds: [0, 0] } }', 'two') }))).toEqual([
      'analysis.interim: applies to one primary analysis; found 2 (keep the one to test sequentially in analysis.primary, move the others to analysis.secondary)',
      'analysis.interim: the primary endpoint OS is time to event: its information is its events, so the study end must be event-driven on it (study_end: { events: E, endpoint: OS }), the planned final information',
      'analysis.interim.looks.0.calendar_day: day 300 can never be an interim look: the study ends on day 300 (study_end.calendar_day)',
      'analysis.interim.looks.1: events 3 cannot be ordered against look 1 (calendar_day 300): a calendar day and an information or events look fall in an order known only when the trial runs; give every look as calendar_day, or every look as information or events',
      'analysis.interim.futility: futility bounds are for one-sided plans (set analysis.sided: one)',
    ]);
  });

  it('a calendar look after the last possible follow-up (accrual period + study.duration_days) can never run', () => {
    // 3 months of accrual (91.3 days) + 364 days of follow-up: every trial has ended by day 455.3.
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 30, endpoint: OS }', extra: plan('{ endpoint: chg, method: welch_t_test, direction: decrease }', '{ looks: [ { calendar_day: 200 }, { calendar_day: 456 } ] }') }))).toEqual([
      'analysis.interim.looks.1.calendar_day: day 456 can never be an interim look: the last patient enters by day 91.3 (accrual.duration_months) and is followed for 364 days (study.duration_days), so every trial has ended by day 455.3',
    ]);
    expect(problems(calendarProtocol({ accrual: '{ duration_months: 3 }', studyEnd: '{ events: 30, endpoint: OS }', extra: plan('{ endpoint: chg, method: welch_t_test, direction: decrease }', '{ looks: [ { calendar_day: 200 }, { calendar_day: 455 } ] }') }))).toEqual([]);
  });

  it('vtrial validate: exit code 2 naming the file and line', async () => {
    const file = calendarProtocol({ accrual: '{ duration_months: 3 }', extra: plan('{ endpoint: chg, method: welch_t_test, direction: decrease }', '{ looks: [ { information: 0.7 }, { information: 0.4 } ] }') });
    const r = await vtrial(['validate', file]);
    expectClean(r, 2);
    expect(r.stdout + r.stderr).toMatch(/:\d+:\d+ +analysis\.interim\.looks\[1\]\.information: looks out of order: information 0\.4 \(16 patients\)/);
  }, 30_000);
});
