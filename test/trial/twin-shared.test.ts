import { describe, expect, it } from 'vitest';
import { courseAt, courseAtVisits, naturalCourse, type BiomarkerModel } from '../../src/disease/biomarker-course.js';
import { simulateArm, TwinShared } from '../../src/trial/simulate-arm.js';
import { drawPatient } from '../../src/trial/patient-draws.js';
import { runFixture } from './trial-helpers.js';

describe('a twin\'s arms share their arm-independent quantities (TwinShared)', () => {
  const seed = 3;
  const { model, trial } = runFixture('mixed-regimens', seed);

  it('every arm of every twin equals the arm simulated on its own, to the bit', () => {
    expect(trial.enrolled.length).toBe(120);
    expect(model.arms.length).toBe(6);
    for (const t of trial.enrolled) {
      const draws = drawPatient(model, seed, 0, t.patient);
      model.arms.forEach((_, a) => {
        // toStrictEqual compares numbers with Object.is (0 and -0 differ, NaN equals NaN).
        expect(t.outcomes[a]).toStrictEqual(simulateArm(model, a, t.row, draws));
      });
    }
  });

  it('the fixture reaches the branches it is meant to (stopped treatment, dropout, censoring, drug effects)', () => {
    const all = trial.enrolled.flatMap((t) => t.outcomes);
    expect(all.filter((o) => o.adverseEvents.discontinuationDay < Infinity).length).toBeGreaterThan(20);
    expect(all.filter((o) => o.endReason !== 'COMPLETED').length).toBeGreaterThan(20);
    expect(all.filter((o) => o.timeToEvent[2]!.censored).length).toBeGreaterThan(20);
    // Arms 1 and 2 dose on the same days: the same concentrations up to the dose (5 vs 20 mg)
    // when treatment ran to the end in both.
    const full = trial.enrolled.find((t) => t.outcomes[1]!.adverseEvents.discontinuationDay === Infinity && t.outcomes[2]!.adverseEvents.discontinuationDay === Infinity)!;
    expect(full.outcomes[2]!.concentrations[5]! / full.outcomes[1]!.concentrations[5]!).toBeCloseTo(4, 12);
    // A drug effect on both biomarkers: the drug arms differ from placebo beyond the baseline.
    const t0 = trial.enrolled[0]!;
    for (const b of [0, 1]) expect(t0.outcomes[2]!.biomarkers[b]![8]).not.toBe(t0.outcomes[0]!.biomarkers[b]![8]);
  });

  it('refuses a shared state that belongs to another twin', () => {
    const [t1, t2] = trial.enrolled;
    const shared = new TwinShared(model).begin(t1!.row, drawPatient(model, seed, 0, t1!.patient));
    expect(() => simulateArm(model, 0, t2!.row, drawPatient(model, seed, 0, t2!.patient), shared)).toThrow(/belongs to another twin/);
  });
});

describe('courseAt (model terms per visit computed once) equals naturalCourse to the bit', () => {
  const days = [0, 1, 7, 14, 30.5, 84, 365, 730];
  const models: BiomarkerModel[] = [
    {},
    { progression: { type: 'linear', per_year: 0.37 } },
    { progression: { type: 'exponential', per_year: -0.21 } },
    { placebo: { magnitude: -1.3, onset_half_life_days: 9 } },
    { progression: { type: 'exponential', per_year: 0.8 }, placebo: { magnitude: 0.4, onset_half_life_days: 28 } },
  ];
  it.each(models.map((m, i) => [i, m] as const))('model %i', (_, m) => {
    const c = courseAtVisits(m, days);
    for (const [mu, b0, b1] of [
      [7.9, 0.31, -0.2],
      [140, -3.7, 11.1],
      [0.1, 0, 0],
    ] as const) {
      days.forEach((t, v) => expect(Object.is(courseAt(c, mu, b0, b1, v), naturalCourse(m, { mu, b0, b1PerYear: b1 }, t))).toBe(true));
    }
  });
});
