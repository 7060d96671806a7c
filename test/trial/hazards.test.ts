import { describe, expect, it } from 'vitest';
import { runFixture } from './trial-helpers.js';

/** |observed - expected| within 5 binomial SEs. */
function expectProportion(events: number, n: number, p: number): void {
  const se = Math.sqrt((p * (1 - p)) / n);
  expect(Math.abs(events / n - p), `observed ${events / n}, expected ${p} (SE ${se})`).toBeLessThan(5 * se);
}

describe('adverse events and dropout match their specified hazards (20,000 twins)', () => {
  const { trial } = runFixture('hazards', 4);
  const years = 182 / 365;
  const arms = [0, 1].map((a) => trial.enrolled.filter((t) => t.arm === a));

  it('constant hazard: incidence 1 - exp(-(bg + drug) t) per arm', () => {
    for (const [arm, rate] of [[0, 0.2], [1, 0.6]] as const) {
      const n = arms[arm]!.length;
      const events = arms[arm]!.filter((t) => t.outcomes[arm]!.adverseEvents.events.some((e) => e.term === 'Constant')).length;
      expectProportion(events, n, 1 - Math.exp(-rate * years));
    }
  });
  it('Weibull onset (shape 0.5): incidence 1 - exp(-rate (t/365)^0.5), and half the onsets before the median', () => {
    for (const [arm, rate] of [[0, 0.1], [1, 0.4]] as const) {
      const n = arms[arm]!.length;
      const days = arms[arm]!.flatMap((t) => t.outcomes[arm]!.adverseEvents.events.filter((e) => e.term === 'Early').map((e) => e.day));
      expectProportion(days.length, n, 1 - Math.exp(-rate * Math.sqrt(years)));
      // Onset-day distribution: P(onset <= d | onset <= 182) for d = 30.
      const pd = (1 - Math.exp(-rate * Math.sqrt(30 / 365))) / (1 - Math.exp(-rate * Math.sqrt(years)));
      expectProportion(days.filter((d) => d <= 30).length, days.length, pd);
    }
  });
  it('grades follow their probabilities', () => {
    const grades = arms.flatMap((ts, a) => ts.flatMap((t) => t.outcomes[a]!.adverseEvents.events.filter((e) => e.term === 'Constant').map((e) => e.grade)));
    [0.5, 0.3, 0.15, 0.05].forEach((p, g) => expectProportion(grades.filter((x) => x === g + 1).length, grades.length, p));
  });

  it('dropout: background exponential, and AE-driven dropout after discontinuation', () => {
    const { trial: d } = runFixture('dropout', 9);
    const n = d.enrolled.length;
    const outcomes = d.enrolled.map((t) => t.outcomes[0]!);
    const T = 1; // year
    const [bg, lam, mu] = [0.2, 0.5, 1.5];
    // Background: P(background dropout time < T) = 1 - exp(-bg T), whatever else happens.
    // Observed reason counts split it with the AE route; check the total dropout probability:
    //   P(drop) = 1 - P(no bg drop) * P(no AE-driven drop)
    //   P(no AE-driven drop by T) = 1 - [ (1 - e^{-lam T}) - lam e^{-mu T} (e^{(mu-lam)T} - 1) / (mu - lam) ]
    const pAe = 1 - Math.exp(-lam * T) - (lam * Math.exp(-mu * T) * (Math.exp((mu - lam) * T) - 1)) / (mu - lam);
    const pDrop = 1 - Math.exp(-bg * T) * (1 - pAe);
    expectProportion(outcomes.filter((o) => o.endReason !== 'COMPLETED').length, n, pDrop);
    // Among twins without an AE, only the background hazard acts.
    const noAe = outcomes.filter((o) => o.adverseEvents.events.length === 0);
    expectProportion(noAe.filter((o) => o.endReason === 'WITHDRAWAL BY SUBJECT').length, noAe.length, 1 - Math.exp(-bg * T));
    // No observation after dropout: the last visit observed is on or before the end day.
    for (const o of outcomes.slice(0, 500)) expect(o.lastVisit < 0 || [0, 91, 182, 273, 364][o.lastVisit]! <= o.endDay).toBe(true);
  });
});
