/** Small protocols with calendar time, written into a temp directory beside the test cohort. */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProtocol } from '../../src/io/load-specs.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { simulateFullTrial, simulateTrial, type TrialResult } from '../../src/trial/simulate-trial.js';
import type { TrialModel } from '../../src/trial/trial-model.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('vtrial-accrual-');
copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));
let n = 0;

export interface CalendarParts {
  target?: number;
  accrual?: string;
  studyEnd?: string;
  duration?: number;
  extra?: string;
  /** Background dropout per year (default 0.1). */
  dropout?: number;
}

/** A two-arm protocol with a biomarker visited every 28 days and an OS endpoint; returns its file. */
export function calendarProtocol(p: CalendarParts): string {
  const file = join(dir, `p${++n}.yaml`);
  writeFileSync(
    file,
    [
      'name: Calendar',
      'cohort: cohort.yaml',
      `enrolment: { target: ${p.target ?? 40}, inclusion: [ { id: adult, expr: age >= 40 } ] }`,
      'arms:',
      '  - { id: placebo, role: control, treatment: { type: placebo } }',
      '  - { id: drug, role: active, treatment: { type: placebo } }',
      `study: { duration_days: ${p.duration ?? 364} }`,
      'visits: { every_days: 28 }',
      'biomarkers: { hba1c: { baseline: y0, residual_sd: 0.3 } }',
      'endpoints:',
      '  - { id: chg, type: continuous, biomarker: hba1c, visit: 84 }',
      '  - { id: OS, type: time_to_event, event: DEATH, baseline_hazard: { distribution: exponential, median_days: 300 }, hazard_ratio: { drug: 0.7 } }',
      'adverse_events:',
      '  - { term: Headache, body_system: Nervous system disorders, background_per_year: 1.5, grade_probabilities: [1, 0, 0, 0, 0] }',
      `dropout: { background_per_year: ${p.dropout ?? 0.1} }`,
      ...(p.accrual ? [`accrual: ${p.accrual}`] : []),
      ...(p.studyEnd ? [`study_end: ${p.studyEnd}`] : []),
      p.extra ?? '',
    ].join('\n'),
  );
  return file;
}

export function simulate(file: string, seed = 3, replicate = 0, full = false): { model: TrialModel; trial: TrialResult } {
  const p = loadProtocol(file);
  const model = p.trial!;
  const o = { seed, replicate, target: p.spec.enrolment.target, maxScreened: p.spec.enrolment.max_screened ?? 20 * p.spec.enrolment.target, keepScreened: true };
  return { model, trial: (full ? simulateFullTrial : simulateTrial)(p.cohort.model, p.criteria, model, o) };
}

/** The spec problems of a protocol file as "path: message" lines (none: []). */
export function problems(file: string): string[] {
  try {
    loadProtocol(file);
    return [];
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    return err.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  }
}
