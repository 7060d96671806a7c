import { describe, expect, it } from 'vitest';
import { naturalCourse } from '../../src/disease/biomarker-course.js';
import { emaxEffect } from '../../src/pd/emax.js';
import { concentration } from '../../src/pk/dosing.js';
import { individualPk, unitResponse } from '../../src/pk/individual-pk.js';
import { convolveFirstOrder } from '../../src/pk/exp-sum.js';
import { simulateArm } from '../../src/trial/simulate-arm.js';
import { drawPatient } from '../../src/trial/patient-draws.js';
import { runFixture } from './trial-helpers.js';

describe('counterfactual outcomes', () => {
  const { model, trial } = runFixture('identical-arms', 2);

  it('with identical arms, every twin has identical outcomes under both arms', () => {
    expect(trial.enrolled.length).toBe(300);
    let events = 0;
    for (const t of trial.enrolled) {
      const [a, b] = t.outcomes;
      expect(b!.endpointValues).toEqual(a!.endpointValues);
      expect(b!.biomarkers).toEqual(a!.biomarkers);
      expect(b!.adverseEvents).toEqual(a!.adverseEvents);
      expect(b!.endDay).toBe(a!.endDay);
      events += a!.adverseEvents.events.length;
    }
    expect(events).toBeGreaterThan(20); // the comparison covered real AEs
    // ...and the twins differ from each other (the outcomes are not constants).
    expect(new Set(trial.enrolled.map((t) => t.outcomes[0]!.endpointValues[0])).size).toBe(300);
  });

  it('the biomarker equals its closed-form course at every visit (no noise, no dropout)', () => {
    const quiet = {
      ...model,
      biomarkers: model.biomarkers.map((b) => ({ ...b, interceptSd: 0, slopeSdPerYear: 0, residualSd: 0, drugEffect: { ...b.drugEffect!, ec50_iiv_cv: 0 } })),
      adverseEvents: [],
      dropout: { backgroundPerYear: 0, afterDiscontinuationPerYear: 0 },
    };
    const twin = trial.enrolled[0]!;
    const draws = drawPatient(quiet, 2, 0, twin.patient);
    const out = simulateArm(quiet, 1, twin.row, draws);
    const pk = individualPk(quiet.pk!, twin.row, draws.pkEtas);
    const effectUnit = convolveFirstOrder(unitResponse(quiet.pk!, pk, true), Math.LN2 / 7);
    const reg = quiet.arms[1]!.drug!.regimen;
    quiet.visits.forEach((v, i) => {
      const expected =
        naturalCourse(quiet.biomarkers[0]!.course, { mu: twin.row.y0 as number, b0: 0, b1PerYear: 0 }, v.day) + emaxEffect(concentration(effectUnit, reg, v.day), -1, 0.05, 1);
      expect(out.biomarkers[0]![i]).toBeCloseTo(expected, 12);
    });
    // Week 12: baseline + 0.5/yr progression + placebo -0.2 (nearly full) + drug effect.
    expect(out.biomarkers[0]![3]! - (twin.row.y0 as number)).toBeLessThan(0.5 * (84 / 365) - 0.19);
  });
});
