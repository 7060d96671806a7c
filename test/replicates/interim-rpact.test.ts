/**
 * Interim looks in replicate runs against rpact's getSimulationSurvival (expected.json
 * group_sequential.survival_simulation, 10,000 iterations): the rejection probability at each
 * stage, the overall power and the expected number of events agree within 3 combined Monte Carlo
 * SEs, sqrt(SE_rpact^2 + SE_ours^2), with 2000 replicates here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { tempDir } from '../helpers.js';
import { rpactSurvivalProtocol } from './interim-helpers.js';

const ref = JSON.parse(readFileSync('test/fixtures/r-reference/expected.json', 'utf8')).group_sequential.survival_simulation;
const within3 = (ours: number, oursSe: number, theirs: number, theirsSe: number) => {
  const tol = 3 * Math.hypot(oursSe, theirsSe);
  expect(Math.abs(ours - theirs), `${ours} vs rpact ${theirs} (3 combined MC SE = ${tol})`).toBeLessThan(tol);
};

describe('sequential survival design against rpact getSimulationSurvival', () => {
  it('per-stage rejection, overall power and expected events within 3 combined MC SE; the analytic design beside them', async () => {
    const out = join(tempDir('vtrial-interim-rpact-'), 'run');
    await replicatesCommand({ protocolFile: rpactSurvivalProtocol(), seed: 4711, replicates: 2000, workers: 1, keepPatients: 0, out, force: false });
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).scenarios[0].sequential;
    expect(s.replicates).toBe(2000);
    expect(s.perLook.map((l: { plannedFraction: number }) => l.plannedFraction)).toEqual([84 / 250, 167 / 250, 1]);
    s.perLook.forEach((l: { pEfficacy: number; pEfficacyMcse: number }, k: number) => within3(l.pEfficacy, l.pEfficacyMcse, ref.rejectPerStage[k], ref.rejectPerStage_mc_se[k]));
    within3(s.overallReject, s.overallRejectMcse, ref.overallReject, ref.overallReject_mc_se);
    within3(s.expectedInformation, s.expectedInformationMcse, ref.expectedNumberOfEvents, ref.expectedNumberOfEvents_mc_se);
    // Every look is on its events target, so the boundaries used are the planned ones (asOF at 0.336, 0.668, 1).
    expect(s.perLook[0].criticalValue).toBeCloseTo(3.6942, 4);
    expect(s.perLook[0].meanObservedCritical).toBeCloseTo(s.perLook[0].criticalValue, 10);
    expect(s.perLook[2].alphaSpent).toBeCloseTo(0.025, 10);
    // No futility bounds: ignoring them changes nothing; the log hazard ratio at an early stop is biased away from 1.
    expect(s.rejectIgnoringFutility).toBe(s.overallReject);
    expect(s.biasAtStop).toBeLessThan(0);
    expect(s.scale).toBe('log');
  }, 120_000);
});
