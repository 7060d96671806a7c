import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sampleSizeSimulation } from '../../src/app/sample-size-simulation.js';
import { readPoint } from '../../src/app/sweep-command.js';
import { tempDir } from '../helpers.js';

const reference = JSON.parse(readFileSync('test/fixtures/r-reference/expected.json', 'utf8')) as {
  power: { t_test_n: { n_per_arm: number } };
  sample_size: { schoenfeld: { events_1to1: number } };
};

/**
 * 1,000 replicates per N: starting from the pilot's analytic guess the search needs 4-5 points
 * (6-7 from the protocol's value; about 40 s each test on one worker). The MC interval of N* is
 * then about +-7% (the power at N* has an MC SE near 0.01), so +-3% is a check of the search and
 * fit at a fixed seed rather than a bound the MC error guarantees (10,000 replicates would make it
 * one but take about 7 minutes per test); the bound that holds is that the 95% MC interval
 * contains the analytic answer, checked as well.
 */
const RN = 1000;
const RS = 1000;

describe('sample-size PROTOCOL (simulation)', () => {
  it('a two-arm normal design lands within 3% of power.t.test', async () => {
    const out = tempDir();
    const r = await sampleSizeSimulation({ protocolFile: 'test/fixtures/protocols/sample-size-normal.yaml', power: 0.9, replicates: RN, seed: 1, workers: 1, out, force: false });
    const nR = 2 * reference.power.t_test_n.n_per_arm;
    expect(r.converged).toBe(true);
    // The pilot (200 replicates at the protocol's 200) reads delta and SD; power.t.test on them is the start.
    expect(r.start.analytic!.mode).toBe('means');
    expect(r.start.analytic!.pilot.delta).toBeCloseTo(0.4, 6);
    expect(Math.abs(r.start.value / nR - 1)).toBeLessThan(0.03);
    expect(Math.abs(r.nFitted! / nR - 1)).toBeLessThan(0.03);
    // Rounded up to the block of 4; the interval holds the answer; the power at N near 0.9; alpha 0.05 under the null scenario.
    expect(r.n! % 4).toBe(0);
    expect(r.n!).toBeGreaterThanOrEqual(r.nFitted!);
    expect(r.nInterval![0]).toBeLessThan(nR);
    expect(r.nInterval![1]).toBeGreaterThan(nR);
    expect(Math.abs(r.power!.value - 0.9)).toBeLessThan(3 * r.power!.mcse);
    expect(r.typeIError!.scenario).toBe('null');
    expect(Math.abs(r.typeIError!.value - 0.05)).toBeLessThan(3 * r.typeIError!.mcse);
    // The search path: every N simulated, with its power and the fitted curve.
    const rows = parse(readFileSync(join(out, 'sample-size-search.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => Number(x.n))).toEqual(r.search.map((x) => x.n));
    expect(JSON.parse(readFileSync(join(out, 'sample-size.json'), 'utf8')).n).toBe(r.n);
  }, 300_000);

  it('a two-arm survival design lands within 3% of Schoenfeld\'s events', async () => {
    const out = tempDir();
    const r = await sampleSizeSimulation({ protocolFile: 'test/fixtures/protocols/sample-size-survival.yaml', power: 0.8, replicates: RS, seed: 1, workers: 1, out, force: false });
    expect(r.converged).toBe(true);
    // Events scale with N (everyone followed 730 days from day 0): the mean events per patient at the chosen N, times the fitted N.
    const sweep = JSON.parse(readFileSync(join(out, 'base', 'summary.json'), 'utf8')) as { points: { id: string; values: Record<string, number> }[] };
    const id = sweep.points.find((p) => p.values['enrolment.target'] === r.n)!.id;
    const records = readPoint(join(out, 'base', 'points', id), RS).records.filter((x) => x.scenario === 'base');
    const events = records.reduce((t, x) => t + x.efficacy[0]!.eventsArm! + x.efficacy[0]!.eventsControl!, 0) / records.length;
    const d = (events / r.n!) * r.nFitted!;
    const schoenfeld = reference.sample_size.schoenfeld.events_1to1;
    expect(Math.abs(d / schoenfeld - 1)).toBeLessThan(0.03);
    // The 95% MC interval, in events, contains Schoenfeld's number.
    expect((events / r.n!) * r.nInterval![0]).toBeLessThan(schoenfeld);
    expect((events / r.n!) * r.nInterval![1]).toBeGreaterThan(schoenfeld);
    // The start: Schoenfeld's events for the pilot's hazard ratio, over its events per patient.
    expect(r.start.analytic!.mode).toBe('survival');
    expect(Math.abs(r.start.analytic!.pilot.hazardRatio! - 0.7)).toBeLessThan(0.01);
    expect(Math.abs(r.start.analytic!.analytic / schoenfeld - 1)).toBeLessThan(0.02);
    expect(Math.abs(r.typeIError!.value - 0.05)).toBeLessThan(3 * r.typeIError!.mcse);
    expect(Math.abs(r.power!.value - 0.8)).toBeLessThan(3 * r.power!.mcse);
  }, 300_000);
});
