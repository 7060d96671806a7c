/**
 * A group-sequential protocol searched by simulation (test/fixtures/protocols/sample-size-
 * sequential.yaml: three looks at 1/3, 2/3 and all patients observed, asOF one-sided 0.025, Y ~
 * N(0.4, 1) vs N(0, 1)): success is the design's rejection at any look, and the size found agrees
 * with `vtrial sample-size --delta 0.4 --sd 1 --looks 3` (rpact's getSampleSizeMeans, 200.7).
 * With 1,000 replicates the MC interval is about +-6%: the analytic size must lie in it, and the
 * fitted size within 5% of it (a fixed-seed check of the search; the interval is the bound).
 */
import { describe, expect, it } from 'vitest';
import { sampleSizeSimulation } from '../../src/app/sample-size-simulation.js';
import { sampleSizeCommand } from '../../src/app/sample-size-command.js';
import { tempDir } from '../helpers.js';

describe('sample-size PROTOCOL with interim looks', () => {
  it('finds the group-sequential maximum size of getSampleSizeMeans and reports the expected size at it', async () => {
    const analytic = sampleSizeCommand({ effect: { kind: 'means', delta: 0.4, sd: 1, deflate: 1, covariates: 1 }, alpha: 0.025, sided: 1, allocation: 1, target: { power: 0.8 }, sequential: { looks: 3, information: [0.3333333333, 0.6666666667, 1], spending: 'of' } }).sequential!;
    expect(analytic.maxSize).toBeCloseTo(200.7, 1);
    const r = await sampleSizeSimulation({ protocolFile: 'test/fixtures/protocols/sample-size-sequential.yaml', power: 0.8, replicates: 1000, seed: 1, workers: 1, out: tempDir(), force: false });
    expect(r.criterionRule).toEqual({ kind: 'sequential' });
    // The pilot's analytic guess is the same formula on the effect and SD read from 200 replicates.
    expect(r.start.from).toBe('analytic');
    expect(Math.abs(r.start.value / analytic.maxSize - 1)).toBeLessThan(0.02);
    expect(r.converged).toBe(true);
    expect(r.nInterval![0]).toBeLessThan(analytic.maxSize);
    expect(r.nInterval![1]).toBeGreaterThan(analytic.maxSize);
    expect(Math.abs(r.nFitted! / analytic.maxSize - 1)).toBeLessThan(0.05);
    // The type I error of the design (any look) under the null scenario: 0.025.
    expect(Math.abs(r.typeIError!.value - 0.025)).toBeLessThan(3 * r.typeIError!.mcse);
    // Early stops: fewer patients and less information than N on average, near the analytic expectation under H1 at N (171.5 at 200.7, scaled).
    const q = r.sequential!;
    expect(q.n).toBe(r.n);
    expect(q.patients.mean).toBeLessThan(r.n!);
    expect(q.information.mean).toBeLessThan(q.patients.mean);
    expect(Math.abs(q.information.mean - (analytic.expectedSizeH1 * r.n!) / analytic.maxSize)).toBeLessThan(0.05 * q.information.mean);
  }, 400_000);
});
