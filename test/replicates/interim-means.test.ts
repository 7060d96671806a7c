/**
 * A 3-look design for a difference in means (rpact's design e: asOF, one-sided 0.025, non-binding
 * futility bounds 0 and 0), looks at 1/3 and 2/3 of the patients observed: the simulated power
 * and expected sample size within 3 MC SE of the analytic values (powerMeans at the observed
 * rates 67/200 and 134/200, normal approximation). Under the null, the type I error within 3 MC
 * SE of alpha with binding futility, and with non-binding futility when the bounds are ignored
 * (followed, the rejection rate is the analytic one below alpha).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { crossingProbabilities, groupSequentialDesign } from '../../src/stats/group-sequential.js';
import { powerMeans } from '../../src/stats/group-sequential-means.js';
import { tempDir } from '../helpers.js';
import { meansProtocol } from './interim-helpers.js';

const R = 2000;
const rates = [67 / 200, 134 / 200, 1];
const within3 = (ours: number, se: number, analytic: number) => expect(Math.abs(ours - analytic), `${ours} vs ${analytic} (3 MC SE = ${3 * se})`).toBeLessThan(3 * se);

describe('sequential design for means', () => {
  const out = join(tempDir('vtrial-interim-means-'), 'run');
  const file = meansProtocol({ extra: 'scenarios: [ { name: null_nonbinding, no_effect: true }, { name: null_binding, no_effect: true, set: { analysis.interim.futility.binding: true } } ]' });
  const scenario = (name: string) => JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).scenarios.find((s: { name: string }) => s.name === name).sequential;

  it('power and expected sample size within 3 MC SE of powerMeans (non-binding futility followed)', async () => {
    await replicatesCommand({ protocolFile: file, seed: 11, replicates: R, workers: 1, keepPatients: 0, out, force: false });
    const design = groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 3, alpha: 0.025, sided: 1, informationRates: rates, futilityBounds: [0, 0] });
    const a = powerMeans(design, { alternative: 2, stDev: 5, maxNumberOfSubjects: 200, normalApproximation: true });
    const s = scenario('base');
    within3(s.overallReject, s.overallRejectMcse, a.overallReject);
    within3(s.expectedInformation, s.expectedInformationMcse, a.expectedNumberOfSubjects);
    s.perLook.slice(0, 2).forEach((l: { pFutility: number; pFutilityMcse: number }, k: number) => within3(l.pFutility, Math.max(l.pFutilityMcse, 1 / R), a.futilityPerStage[k]!));
    expect(s.perLook.map((l: { meanFraction: number }) => l.meanFraction)).toEqual(rates.map((x) => expect.closeTo(x, 12)));
  }, 120_000);

  it('null, binding futility: type I error within 3 MC SE of alpha', () => {
    const s = scenario('null_binding');
    within3(s.overallReject, Math.sqrt((0.025 * 0.975) / R), 0.025);
    // Binding bounds lower the later boundaries.
    expect(s.perLook[2].criticalValue).toBeLessThan(scenario('null_nonbinding').perLook[2].criticalValue);
  });

  it('null, non-binding futility: alpha when the bounds are ignored; the analytic rate below it when followed', () => {
    const s = scenario('null_nonbinding');
    within3(s.rejectIgnoringFutility, Math.sqrt((0.025 * 0.975) / R), 0.025);
    const c = groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 3, alpha: 0.025, sided: 1, informationRates: rates }).criticalValues;
    const followed = crossingProbabilities(rates, c, [0, 0, -Infinity], 0).upper.reduce((x, y) => x + y, 0);
    expect(followed).toBeLessThan(0.025);
    within3(s.overallReject, Math.sqrt((followed * (1 - followed)) / R), followed);
  });
});
