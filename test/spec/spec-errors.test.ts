import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadCohort, loadProtocol } from '../../src/io/load-specs.js';
import { repairShape, touches } from '../../src/spec/repair-shape.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { cohortIssues, tempDir } from '../helpers.js';

function specError(load: () => unknown): SpecError {
  try {
    load();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('the spec loaded');
}

describe('spec errors name the file, the path inside it and the line', () => {
  it('lists every problem of a cohort together', () => {
    const e = specError(() => loadCohort('test/fixtures/specs/bad-cohort.yaml'));
    expect(e.file).toBe('test/fixtures/specs/bad-cohort.yaml');
    expect(e.message.split('\n')).toEqual([
      'test/fixtures/specs/bad-cohort.yaml: 5 problems in the spec',
      '  test/fixtures/specs/bad-cohort.yaml:6:8  covariates.sex.p: probabilities must sum to 1, found 1.1',
      '  test/fixtures/specs/bad-cohort.yaml:10:9  covariates.age.sd: expected a number > 0, found -3',
      '  test/fixtures/specs/bad-cohort.yaml:13:44  covariates.weight.mean.values.mal: "mal" is not a level of sex (did you mean "male"?)',
      '  test/fixtures/specs/bad-cohort.yaml:16:5  covariates.height.sd: is required (expected a number or a {by, values} table)',
      '  test/fixtures/specs/bad-cohort.yaml:18:5  covariates.height.sdd: unknown key (did you mean "sd"?); allowed keys here: dist, mean, sd, round, unit, description, source',
    ]);
  });

  it('checks a JSON protocol against its cohort: unknown keys, names, levels, types, duplicate ids', () => {
    const e = specError(() => loadProtocol('test/fixtures/specs/bad-protocol.json'));
    const lines = e.issues.map((i) => `${i.line}: ${i.path.join('.')}: ${i.message}`);
    expect(lines).toEqual([
      '5: enrolment.target: expected a whole number >= 1, found 0',
      expect.stringMatching(/^13: vists: unknown key \(did you mean "visits"\?\); allowed keys here: kind, name, description, sources, cohort, enrolment, arms, /),
    ]);
    // Once the shape is right, the criteria are compiled against the cohort.
    const e2 = specError(() => loadProtocol('test/fixtures/specs/bad-protocol-criteria.yaml'));
    expect(e2.issues.map((i) => `${i.path.join('.')}: ${i.message.replace(/ \(cohort: .*\)$/, '')}`)).toEqual([
      'enrolment.inclusion.1.expr: unknown name "hba1c_pct" (did you mean "hba1c"?); known names: sex, age, height, weight, hba1c, diabetes_duration, creatinine, metformin, bmi, egfr',
      'enrolment.inclusion.2.expr: "Male" is not a level; the levels are "female", "male"',
      'enrolment.exclusion.0.id: criterion id "adult" is already used by inclusion[0]',
      'enrolment.exclusion.0.expr: a criterion must be true/false (a comparison), found a number',
    ]);
  });

  it('rejects a missing file and invalid YAML with a position', () => {
    expect(specError(() => loadCohort('test/fixtures/specs/nope.yaml')).message).toBe('test/fixtures/specs/nope.yaml: 1 problem in the spec\n  test/fixtures/specs/nope.yaml  (top level): file not found');
    // YAML reads an unquoted null as no value: the message says how to write it as text.
    expect(cohortIssues('name: null\ncovariates: { a: { dist: normal, mean: 0, sd: 1 } }\n').issues[0]).toMatchObject({
      path: ['name'],
      message: 'expected text, found null (YAML reads an unquoted null, true, false, ~ as values, not text: quote it, e.g. name: "null")',
    });
    const bad = cohortIssues('name: x\ncovariates: [1, 2]\n');
    expect(bad.issues[0]).toMatchObject({ path: ['covariates'], message: 'expected a mapping, found a list of 2' });
  });

  it('reports the problems only the whole spec shows: by-levels, cycles, unknown names, bounds', () => {
    const { issues } = cohortIssues(`
name: x
covariates:
  w: { dist: normal, mean: { by: sex, values: { a: 1 } }, sd: 1 }
  sex: { dist: categorical, levels: [a, b], p: [0.5, 0.5] }
  h: { dist: normal, mean: { by: sex, values: { a: 1 } }, sd: 1 }
  t: { dist: truncnormal, mean: 0, sd: 1, lower: 3, upper: 2 }
  t2: { dist: truncnormal, mean: 0, sd: 1 }
  t3: { dist: truncnormal, mean: 0, sd: 1, lower: 40, upper: 41 }
  u: { dist: uniform, min: 5, max: { by: sex, values: { a: 6, b: 4 } } }
  x: { derive: "y + 1" }
  y: { derive: "x * z" }
`);
    expect(issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'covariates.w.mean.by: "sex" is not a categorical covariate defined earlier in the file (none is)',
      'covariates.h.mean.values: needs a value for every level of sex; missing "b"',
      'covariates.t.upper: must be greater than lower: lower = 3, upper = 2',
      'covariates.t2: a truncated normal needs "lower", "upper" or both (without bounds, use dist: normal)',
      'covariates.t3: the bounds [40, 41] hold almost none of N(0, 1); check mean, sd and bounds',
      'covariates.u.max: must be greater than min (when sex = b): min = 5, max = 4',
      'covariates.x.derive: derived covariates form a cycle: x -> y -> x',
      'covariates.y.derive: unknown name "z"; known names: w, sex, h, t, t2, t3, u, x, y',
    ]);
  });

  it('a wrong choice or a bad value does not hide the cross-reference problems: all are listed at once', () => {
    const dir = tempDir();
    copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));
    const text = readFileSync('test/fixtures/protocols/bad-trial.yaml', 'utf8').replace('type: placebo', 'type: plcebo').replace('distribution: exponential', 'distribution: expo');
    writeFileSync(join(dir, 'p.yaml'), text);
    const e = specError(() => loadProtocol(join(dir, 'p.yaml')));
    expect(e.issues.map((i) => `${i.path.join('.')}: ${i.message.replace(/ \(cohort: .*\)$/, '')}`)).toEqual([
      'arms.0.treatment.type: expected one of "placebo", "standard_of_care", "drug" (did you mean "placebo"?), found "plcebo"',
      'arms.1.treatment.doses: expected a whole number >= 1, found 0',
      'arms.2.treatment.infusion_hours: is required for an iv_infusion',
      'randomisation.block_size: must be a multiple of the sum of the allocation weights (3), found 4',
      'visits.days.2: visit day 90 is after the end of the study (study.duration_days = 84)',
      'pk.ka: is required: arm "drug" is dosed oral (first-order absorption)',
      'biomarkers.y.baseline: unknown name "wieght" (did you mean "weight"?); known names: sex, region, age, weight, y0',
      'endpoints.0.visit: unknown visit "Week 13"; visits: Baseline, Week 4, Week 8',
      'endpoints.1.biomarker: unknown biomarker "z"; biomarkers: y',
      'endpoints.2.baseline_hazard.distribution: expected one of "exponential", found "expo"',
      'endpoints.2.hazard_ratio.drugg: "drugg" is not an arm (did you mean "drug"?); arms: placebo, drug, inf',
    ]);
  });
  it('the repair behind that never reports a consequence of itself, and gives up on a missing required value', () => {
    const schema = z.strictObject({ kind: z.enum(['a', 'b']), n: z.number().optional(), need: z.number() });
    expect(repairShape(schema, { kind: 'aa', n: 'x', need: 1, extra: 2 })).toEqual({ spec: { kind: 'a', need: 1 }, repaired: [[], [], []] });
    expect(repairShape(schema, { kind: 'a', need: 'x' })).toBeUndefined();
    expect(touches(['arms', 0, 'treatment', 'route'], [['arms', 0, 'treatment']])).toBe(true);
    expect(touches(['arms'], [['arms', 0, 'treatment']])).toBe(true);
    expect(touches(['arms', 1, 'treatment'], [['arms', 0, 'treatment']])).toBe(false);
  });
});
