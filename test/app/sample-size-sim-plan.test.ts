/**
 * The plan's multiplicity rule as the success criterion (--criterion plan): two primary endpoints
 * with the same effect (0.4 against SD 1.1, independent), success when at least one is rejected
 * after the plan's adjustment. Analytic sizes: with Bonferroni each test runs at 0.025 and
 * 1 - (1 - p)^2 = 0.8 needs p = 0.5528 per test, power.t.test(power = 0.5528, delta = 0.4,
 * sd = 1.1, sig.level = 0.025): 86.5 per arm, 173.0 in all; without adjustment (none) at 0.05:
 * 67.2 per arm, 134.4 in all. Same seed, so replicate r of both searches holds the same twins.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleSizeSimulation } from '../../src/app/sample-size-simulation.js';
import { tempDir } from '../helpers.js';

const FIXTURE = 'test/fixtures/protocols/sample-size-two-primary.yaml';
const R = 400;

describe('sample-size PROTOCOL --criterion plan', () => {
  it('Bonferroni needs more patients than no adjustment, each near its analytic size; the type I error is the family-wise one', async () => {
    const none = join(tempDir(), 'two-primary-none.yaml');
    writeFileSync(none, readFileSync(FIXTURE, 'utf8').replace('multiplicity: { primary: bonferroni }', 'multiplicity: { primary: none }'));
    const run = (protocolFile: string) => sampleSizeSimulation({ protocolFile, cohortFile: 'test/fixtures/protocols/cohort.yaml', criterion: 'plan', power: 0.8, replicates: R, seed: 1, workers: 1, out: tempDir(), force: false });
    const b = await run(FIXTURE);
    const u = await run(none);
    expect(b.criterionRule).toEqual({ kind: 'plan' });
    // Two primaries: no analytic guess, the search starts from the protocol's 200.
    expect(b.start).toMatchObject({ from: 'protocol', value: 200, reason: 'the criterion rests on 2 primary analyses' });
    expect(b.converged && u.converged).toBe(true);
    expect(b.nFitted!).toBeGreaterThan(1.15 * u.nFitted!);
    for (const [r, analytic] of [[b, 173.0], [u, 134.4]] as const) {
      expect(r.nInterval![0]).toBeLessThan(analytic);
      expect(r.nInterval![1]).toBeGreaterThan(analytic);
    }
    // Under the null: Bonferroni keeps the family-wise error at 0.05; none lets it rise to 1 - 0.95^2 = 0.0975.
    expect(Math.abs(b.typeIError!.value - 0.05)).toBeLessThan(3 * b.typeIError!.mcse);
    expect(Math.abs(u.typeIError!.value - 0.0975)).toBeLessThan(3 * u.typeIError!.mcse);
  }, 300_000);

  it('all-primary (co-primary) needs both rejected (each at the Bonferroni level): more patients than plan', async () => {
    const r = await sampleSizeSimulation({ protocolFile: FIXTURE, power: 0.8, replicates: R, seed: 1, workers: 1, out: tempDir(), force: false });
    // Both at 0.025 with power sqrt(0.8) = 0.894 each (independent): power.t.test gives 2 x 185.7 = 371.4 patients.
    expect(r.criterionRule).toEqual({ kind: 'all-primary' });
    expect(r.nInterval![0]).toBeLessThan(371.4);
    expect(r.nInterval![1]).toBeGreaterThan(371.4);
  }, 300_000);
});
