/**
 * The twin-predicted control outcome (prognostic score) of each enrolled patient: the
 * expectation of its control-arm endpoint value given its baseline covariates only, over the
 * patient's unobserved random effects and residual noise.
 *
 * - Closed form when the control arm has no drug: every random term of the biomarker course enters
 *   linearly with mean zero (random intercept and slope, residuals), so
 *   E[Y(t) | x] = natural course with b0 = b1 = 0; for change from baseline, its difference to day 0.
 * - Otherwise Monte Carlo over M simulations of the control arm, each from its own streams
 *   ("prognostic/<m>/..."), never the patient's own draws: the patient's actual random effects
 *   cannot leak into the score.
 * - Or a linear model fitted to historical control data (see historical-model.ts).
 */
import type { Row } from '../expr/compile.js';
import { naturalCourse } from '../disease/biomarker-course.js';
import { drawPatient } from '../trial/patient-draws.js';
import { simulateArm } from '../trial/simulate-arm.js';
import type { TrialModel } from '../trial/trial-model.js';

export interface ScoreOptions {
  endpoint: string;
  draws: number;
  seed: number;
  replicate: number;
}

export function hasClosedForm(model: TrialModel): boolean {
  const control = model.arms.find((a) => a.role === 'control');
  return Boolean(control && !control.drug);
}

export function twinPrognosticScore(model: TrialModel, row: Row, patient: number, o: ScoreOptions & { forceMonteCarlo?: boolean }): number {
  const ei = model.endpoints.findIndex((e) => e.id === o.endpoint);
  const e = model.endpoints[ei]!;
  if (e.kind !== 'continuous') throw new Error(`prognostic score: endpoint ${o.endpoint} is not continuous`);
  const control = model.arms.findIndex((a) => a.role === 'control');
  if (hasClosedForm(model) && !o.forceMonteCarlo) {
    const b = model.biomarkers[e.biomarker]!;
    const p = { mu: b.baseline(row), b0: 0, b1PerYear: 0 };
    const at = naturalCourse(b.course, p, model.visits[e.visit]!.day);
    return e.measure === 'change' ? at - naturalCourse(b.course, p, 0) : at;
  }
  let sum = 0;
  for (let m = 0; m < o.draws; m++) {
    const draws = drawPatient(model, o.seed, o.replicate, patient, `prognostic/${m}/`);
    sum += simulateArm(model, control, row, draws).endpointValues[ei]!;
  }
  return sum / o.draws;
}
