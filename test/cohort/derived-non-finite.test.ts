/** A derived covariate whose formula is not finite for a twin is an error, never a NaN column. */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulationError } from '../../src/errors/simulation-error.js';
import { vtrial, expectClean } from '../adversarial/harness.js';
import { cohortModel, tempDir, twins } from '../helpers.js';

const COHORT = `name: c
covariates:
  age: { dist: uniform, min: 20, max: 60, round: 1 }
  lx: { derive: 'log(age - 40)' }
`;

describe('derived covariates that are not finite', () => {
  it('name the formula, the twin and its covariate values', () => {
    let err: unknown;
    try {
      twins(cohortModel(COHORT), 50, 3);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimulationError);
    const e = err as SimulationError;
    expect(e.model).toBe('cohort');
    expect(e.parameter).toBe('derived covariate lx');
    expect(e.message).toMatch(/^generating twin \d+ of replicate 1: cohort model, derived covariate lx: "log\(age - 40\)" cannot be evaluated for this twin \(age = \d+(\.\d)?\): log\(age - 40\) is (NaN|-Infinity)/);
    const age = Number(/age = ([\d.]+)/.exec(e.message)![1]);
    expect(age).toBeLessThanOrEqual(40);
  });
  it('vtrial cohort stops with exit 1 and one line, and writes no file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), COHORT);
    const r = await vtrial(['cohort', join(dir, 'c.yaml'), '--n', '50', '--out', join(dir, 'out.csv')]);
    expectClean(r, 1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/derived covariate lx: "log\(age - 40\)" cannot be evaluated for this twin \(age = [\d.]+\): log\(age - 40\) is (NaN|-Infinity)/);
    expect(readdirSync(dir)).toEqual(['c.yaml']);
  });
});
