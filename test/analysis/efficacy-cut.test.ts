/**
 * An interim look's trial (efficacyCut: what the efficacy analysis reads) analyses exactly as
 * cutAt's full cut of the same trial on the same day, for continuous and time-to-event endpoints.
 */
import { describe, expect, it } from 'vitest';
import { efficacy } from '../../src/analysis/efficacy.js';
import { efficacyCut } from '../../src/analysis/sequential-trial.js';
import { trialSource } from '../../src/analysis/trial-source.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { cutAt } from '../../src/trial/calendar-cutoff.js';
import { calendarProtocol, simulate } from '../trial/accrual-helpers.js';

describe('efficacyCut', () => {
  it('an interim cut analyses as cutAt\'s', () => {
    const file = calendarProtocol({ target: 80, accrual: '{ duration_months: 6 }', studyEnd: '{ events: 40, endpoint: OS }', extra: 'analysis: { primary: [ { endpoint: chg, method: welch_t_test }, { endpoint: OS, method: logrank } ], secondary: [ { endpoint: OS, method: cox, covariates: [age] } ] }' });
    const plan = loadProtocol(file).spec.analysis!;
    const { model, trial } = simulate(file, 9, 0, true);
    const names = new Set(['age', 'weight', 'y0']);
    for (const day of [60, 150, 240, 400]) {
      const light = efficacy(model, plan, trialSource(model, efficacyCut(model, trial, day), names));
      const full = efficacy(model, plan, trialSource(model, cutAt(model, trial, day), names));
      expect(light, `day ${day}`).toEqual(full);
      // The endpoint's visit (day 84) is observed for some patients by day 150.
      if (day >= 150) expect(light[0]!.nArm).toBeGreaterThan(0);
    }
  });
});
