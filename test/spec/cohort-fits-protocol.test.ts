/**
 * What validate accepts, run never rejects: a cohort whose names collide with ADSL's columns, and an
 * external control cohort that lacks a covariate or stratum the protocol uses, are spec errors.
 */
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/io/load-specs.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

const COHORT = `name: c
covariates:
  sex: { dist: categorical, levels: [female, male], p: [0.5, 0.5] }
  age: { dist: normal, mean: 55, sd: 10 }
  y0: { dist: normal, mean: 8, sd: 1 }
`;

function protocol(dir: string, o: { cohort?: string; external?: string; analysis: string }): string {
  writeFileSync(join(dir, 'cohort.yaml'), o.cohort ?? COHORT);
  if (o.external) writeFileSync(join(dir, 'ext.yaml'), o.external);
  const file = join(dir, 'p.yaml');
  writeFileSync(
    file,
    `name: p
cohort: cohort.yaml
enrolment: { target: 40 }
arms:
  - { id: control, role: control, treatment: { type: placebo } }
  - { id: active, role: active, treatment: { type: standard_of_care } }
${o.external ? 'control_arm: { mode: hybrid, external_cohort: ext.yaml, external_n: 10 }\n' : ''}study: { duration_days: 84 }
visits: { days: [84] }
biomarkers: { y: { baseline: y0, residual_sd: 1 } }
endpoints:
  - { id: Y, type: continuous, biomarker: y, visit: Week 12 }
  - { id: T, type: time_to_event, baseline_hazard: { distribution: exponential, median_days: 100 } }
analysis:
${o.analysis}
`,
  );
  return file;
}

const problems = (file: string): string[] => {
  try {
    loadProtocol(file);
  } catch (e) {
    if (e instanceof SpecError) return e.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw e;
  }
  return [];
};

describe('the cohort fits the protocol', () => {
  it('a cohort covariate named like an ADSL column (CL) is refused at the protocol', () => {
    const dir = tempDir();
    const file = protocol(dir, { cohort: COHORT + '  CL: { dist: normal, mean: 5, sd: 1 }\n', analysis: '  primary: [{ endpoint: Y, method: ancova, covariates: [CL] }]' });
    expect(problems(file)).toEqual([`cohort: the cohort ${relative(process.cwd(), join(dir, 'cohort.yaml'))} defines CL, a name ADSL uses for its own column; rename it in the cohort`]);
  });
  it('an external cohort without an analysis covariate or a stratum of the plan is refused, naming it', () => {
    const dir = tempDir();
    const ext = `name: e
covariates:
  y0: { dist: normal, mean: 8, sd: 1 }
`;
    const file = protocol(dir, { external: ext, analysis: '  primary: [{ endpoint: Y, method: ancova, covariates: [age] }]\n  secondary: [{ endpoint: T, method: logrank, strata: [sex] }]' });
    expect(problems(file)).toEqual([
      `analysis.primary.0.covariates.0: "age" is not a numeric covariate of the cohort (or BASE, PROG) (against the external cohort ${relative(process.cwd(), join(dir, 'ext.yaml'))})`,
      `analysis.secondary.0.strata.0: "sex" is not a covariate of the cohort (strata are cohort covariates, e.g. the randomisation's stratify_by) (against the external cohort ${relative(process.cwd(), join(dir, 'ext.yaml'))})`,
    ]);
  });
  it('an external cohort with every name the protocol uses is accepted', () => {
    const dir = tempDir();
    const file = protocol(dir, { external: COHORT, analysis: '  primary: [{ endpoint: Y, method: ancova, covariates: [age] }]\n  secondary: [{ endpoint: T, method: logrank, strata: [sex] }]' });
    expect(problems(file)).toEqual([]);
  });
});
