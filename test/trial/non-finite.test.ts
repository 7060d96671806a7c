/**
 * A simulated value that is not finite is a SimulationError naming the model, the parameter or
 * formula (with the twin's covariate values), the replicate and the twin: such twins used to be
 * left out of the analysis without a word (ka: 1e308), or to stall the survival statistics
 * (a NaN event time from a covariates formula such as 0.5 * log(age - 40)).
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/io/load-specs.js';
import { simulateTrial } from '../../src/trial/simulate-trial.js';
import { SimulationError } from '../../src/errors/simulation-error.js';
import { tempDir } from '../helpers.js';

/** identical-arms.yaml with 20 twins and one edit, in a temp dir; returns the error of simulating replicate 2. */
function simulateEdited(from: string, to: string): SimulationError {
  const dir = tempDir();
  copyFileSync('test/fixtures/protocols/cohort.yaml', join(dir, 'cohort.yaml'));
  const text = readFileSync('test/fixtures/protocols/identical-arms.yaml', 'utf8').replace('target: 300', 'target: 20');
  if (!text.includes(from)) throw new Error(`test setup: ${from} not in the fixture`);
  writeFileSync(join(dir, 'p.yaml'), text.replace(from, to));
  const p = loadProtocol(join(dir, 'p.yaml'));
  try {
    simulateTrial(p.cohort.model, p.criteria, p.trial!, { seed: 1, replicate: 1, target: 20, maxScreened: 100, keepScreened: false });
  } catch (err) {
    if (err instanceof SimulationError) return err;
    throw err;
  }
  throw new Error('expected a SimulationError');
}

describe('non-finite simulated values are errors naming model, parameter, replicate and twin', () => {
  it('a PK parameter that overflows (ka: 1.7e308 with between-subject variability)', () => {
    const e = simulateEdited('ka: { value: 10, iiv_cv: 0.3 }', 'ka: { value: 1.7e308, iiv_cv: 0.3 }');
    expect(e.model).toBe('pk');
    expect(e.parameter).toBe('parameter ka');
    expect(e.twin).toEqual({ replicate: 1, usubjid: expect.stringMatching(/^R2-\d{6}$/) });
    expect(e.message).toMatch(/^simulating twin R2-\d{6} of replicate 2: pk model, parameter ka: the twin's value is Infinity/);
  });
  it('a time-to-event covariates formula that is NaN for a twin names the formula and the covariates', () => {
    const e = simulateEdited('covariates: "0.02 * (age - 55)"', 'covariates: "0.5 * log(age - 40)"');
    expect(e.model).toBe('endpoint');
    expect(e.parameter).toBe('covariates formula of TTE');
    expect(e.message).toMatch(/^simulating twin R2-\d{6} of replicate 2: endpoint model, covariates formula of TTE: "0\.5 \* log\(age - 40\)" cannot be evaluated for this twin \(age = (\d+(\.\d+)?)\): log\(age - 40\) is (NaN|-Infinity)/);
    const age = Number(/age = ([\d.]+)/.exec(e.message)![1]);
    expect(age).toBeLessThanOrEqual(40);
  });
  it('a biomarker baseline formula that is infinite for a twin', () => {
    const e = simulateEdited('baseline: y0', 'baseline: "y0 / (age - age)"');
    expect(e.model).toBe('biomarker');
    expect(e.message).toMatch(/biomarker model, baseline formula of y: "y0 \/ \(age - age\)" cannot be evaluated for this twin \(y0 = [\d.]+, age = [\d.]+\): y0 \/ \(age - age\) is (Infinity|-Infinity)/);
  });
  it('an exposure effect that makes the hazard 0 (the event time would be Infinity)', () => {
    const e = simulateEdited('log_hr_per_unit: -0.5', 'log_hr_per_unit: -1e300');
    expect(e.model).toBe('endpoint');
    expect(e.message).toMatch(/endpoint model, TTE: the hazard multiplier exp\(linear predictor\) is 0 \(linear predictor -[\d.e+]+: covariates/);
  });
});
