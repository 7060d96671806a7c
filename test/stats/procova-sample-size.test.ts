import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { powerTTest } from '../../src/stats/power.js';
import { procovaPower, procovaSampleSize } from '../../src/stats/procova-sample-size.js';
import { tempDir } from '../helpers.js';

describe('PROCOVA sample size', () => {
  it('reduces to power.t.test with rho = 0 and no covariates', () => {
    expect(procovaPower(64, { delta: 0.5, sd: 1, rho: 0, covariates: 0 })).toBeCloseTo(powerTTest({ n: 64, delta: 0.5, sd: 1 }), 14);
  });
  it('needs about (1 - rho^2) times the patients; deflating rho is conservative', () => {
    const n0 = procovaSampleSize({ delta: 0.5, sd: 1, rho: 0, covariates: 0, power: 0.9 });
    const n = procovaSampleSize({ delta: 0.5, sd: 1, rho: 0.6, power: 0.9 });
    expect(n / n0).toBeGreaterThan(0.64);
    expect(n / n0).toBeLessThan(0.66);
    expect(procovaSampleSize({ delta: 0.5, sd: 1, rho: 0.6, power: 0.9, deflate: 0.9 })).toBeGreaterThan(n);
    expect(procovaPower(n, { delta: 0.5, sd: 1, rho: 0.6 })).toBeCloseTo(0.9, 6);
  });
  it('the planned reduced design reaches its power in simulation (within 3 MC SEs)', async () => {
    const n = Math.ceil(procovaSampleSize({ delta: 0.35, sd: Math.sqrt(1.5), rho: Math.sqrt(2 / 3), power: 0.8 }));
    expect(n).toBe(66); // the fixture's planned scenario enrols 2 x 66
    const R = 400;
    const r = await replicatesCommand({ protocolFile: 'test/fixtures/protocols/procova-planned.yaml', seed: 3, replicates: R, workers: 2, keepPatients: 0, scenario: 'planned', out: join(tempDir(), 'p'), force: false });
    const adj = r.summary!.scenarios[0]!.operatingCharacteristics.find((x) => x.covariates === 'PROG')!;
    expect(r.summary!.scenarios[0]!.trial.meanEnrolled).toBe(132);
    expect(Math.abs(adj.power - 0.8)).toBeLessThan(3 * Math.sqrt((0.8 * 0.2) / R));
  });
});
