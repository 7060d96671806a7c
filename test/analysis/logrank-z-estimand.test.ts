/**
 * With an estimand on a log-rank primary (intercurrent events censor or end the time to event:
 * analysis-source.ts handledTime) the looks' z are the full analysis' at each look: the replicate
 * engine leaves the direct read (cutLogRankZ, which does not apply an estimand) and tests the cut
 * trial's analysis source, as the efficacy analysis does (README "Interim analyses", "Speed").
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { efficacy } from '../../src/analysis/efficacy.js';
import { cutLogRankApplies, cutLogRankZ, efficacyCut, logRankZ, zOf } from '../../src/analysis/sequential-trial.js';
import { trialSource } from '../../src/analysis/trial-source.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { runCommand } from '../../src/app/run-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { calendarProtocol, simulate } from '../trial/accrual-helpers.js';
import { tempDir } from '../helpers.js';

/** A small sequential OS trial in which treatment discontinuation (about 60% a year) and background death are intercurrent events. */
function protocol(estimand: string): string {
  return calendarProtocol({
    target: 80,
    accrual: '{ duration_months: 6 }',
    studyEnd: '{ events: 40, endpoint: OS }',
    extra: [
      'intercurrent_events:',
      '  discontinuation: [ { reason: PATIENT DECISION, per_year: 0.6 } ]',
      '  death: { per_year: 0.05 }',
      'analysis:',
      '  sided: one',
      '  alpha: 0.025',
      `  primary: [ { endpoint: OS, method: logrank, direction: decrease${estimand} } ]`,
      '  interim: { looks: [ { information: 0.4 }, { information: 0.7 } ] }',
    ].join('\n'),
  });
}

const csv = (file: string): Record<string, string>[] => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
};

describe('log-rank looks under an estimand', () => {
  it('the direct read is not used with an estimand; the cut source z equals the full analysis z, which the direct read would miss', () => {
    const file = protocol(', estimand: { discontinuation: hypothetical }');
    const p = loadProtocol(file);
    const plan = p.spec.analysis!;
    const im = p.trial!.interim!;
    expect(cutLogRankApplies(p.trial!, im, 'randomised')).toBe(false);
    // Without the estimand (the same intercurrent events) the direct read applies.
    const plain = loadProtocol(protocol(''));
    expect(cutLogRankApplies(plain.trial!, plain.trial!.interim!, 'randomised')).toBe(true);
    const names = new Set(['age', 'weight', 'y0', 'sex']);
    let finite = 0;
    let directDiffers = 0;
    for (const seed of [1, 2, 3]) {
      const { model, trial } = simulate(file, seed, 0, true);
      for (const day of [60, 100, 150, 200, 260, 330]) {
        const source = trialSource(model, efficacyCut(model, trial, day), names);
        const full = zOf(efficacy(model, plan, source)[0]!, im);
        const z = logRankZ(model, im, plan.sided, source.sample(model.endpoints[im.endpoint]!, im.item, plan.population));
        expect(Object.is(z, full) || Math.abs(z - full) <= 1e-12, `seed ${seed} day ${day}: ${z} vs ${full}`).toBe(true);
        if (Number.isFinite(full)) finite++;
        if (!(Math.abs(cutLogRankZ(model, im, plan.sided, trial, day) - full) <= 1e-12)) directDiffers++;
      }
    }
    expect(finite).toBeGreaterThan(10);
    // Censoring at discontinuation changes the data: the direct read (no estimand) gives other z.
    expect(directDiffers).toBeGreaterThan(10);
  });

  it("the replicate engine's look z equal the single run's full analysis at each look (to 1e-12)", async () => {
    const file = protocol(', estimand: { discontinuation: hypothetical, death: composite }');
    const dir = tempDir('vtrial-lr-estimand-');
    let compared = 0;
    for (const seed of [1, 2, 3]) {
      const single = join(dir, `single-${seed}`);
      const reps = join(dir, `reps-${seed}`);
      await runCommand({ protocolFile: file, seed, out: single, force: true, ignoreStopping: true });
      await replicatesCommand({ protocolFile: file, seed, replicates: 1, workers: 1, keepPatients: 0, out: reps, force: true });
      const looks = csv(join(single, 'interim-looks.csv'));
      const rec = csv(join(reps, 'replicate-trials.csv'))[0]!;
      for (const [k, l] of looks.entries()) {
        const z = rec[`look${k + 1}_z`]!;
        if (z === undefined || z === 'NA' || l.z === 'NA') continue;
        expect(Math.abs(Number(z) - Number(l.z)), `seed ${seed} look ${k + 1}: ${z} vs ${l.z}`).toBeLessThanOrEqual(1e-12);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(3);
  }, 60_000);
});
