/**
 * The log-rank z of a look (logRankZ: the test alone, no Cox fit; cutLogRankZ: read straight from
 * the full trial, no cut copy) is zOf of the efficacy row, bit for bit: one- and two-sided plans, both directions, stratified, over many cut-off days and
 * seeds (the interim looks of the replicate engine rely on it; README "Interim analyses").
 */
import { describe, expect, it } from 'vitest';
import { efficacy } from '../../src/analysis/efficacy.js';
import { cutLogRankZ, efficacyCut, logRankZ, zOf } from '../../src/analysis/sequential-trial.js';
import { trialSource } from '../../src/analysis/trial-source.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { calendarProtocol, simulate } from '../trial/accrual-helpers.js';

const plans = [
  ['one-sided, decrease', "sided: one, alpha: 0.025, primary: [ { endpoint: OS, method: logrank, direction: decrease } ]"],
  ['one-sided, increase', "sided: one, alpha: 0.025, primary: [ { endpoint: OS, method: logrank, direction: increase } ]"],
  ['two-sided, stratified', "sided: two, alpha: 0.05, primary: [ { endpoint: OS, method: logrank, strata: [sex] } ]"],
] as const;

describe('logRankZ', () => {
  it.each(plans)('%s: the z of every cut equals zOf of the row (NaN where the row has no estimate)', (_, analysis) => {
    const file = calendarProtocol({ target: 80, accrual: '{ duration_months: 6 }', studyEnd: '{ events: 40, endpoint: OS }', extra: `analysis: { ${analysis}, interim: { looks: [ { information: 0.5 } ] } }` });
    const p = loadProtocol(file);
    const plan = p.spec.analysis!;
    const im = p.trial!.interim!;
    const names = new Set(['age', 'weight', 'y0', 'sex']);
    let finite = 0;
    for (const seed of [1, 2, 3, 4]) {
      const { model, trial } = simulate(file, seed, 0, true);
      for (const day of [20, 60, 100, 150, 200, 260, 330, 420]) {
        const source = trialSource(model, efficacyCut(model, trial, day), names);
        const row = efficacy(model, plan, source)[0]!;
        const z = logRankZ(model, im, plan.sided, source.sample(model.endpoints[im.endpoint]!, im.item, plan.population));
        expect(Object.is(z, zOf(row, im)), `seed ${seed} day ${day}: ${z} vs ${zOf(row, im)}`).toBe(true);
        // The direct cut's z is the cut source's (unstratified analyses of the randomised population).
        if (!im.item.strata?.length) expect(Object.is(cutLogRankZ(model, im, plan.sided, trial, day), z), `direct, seed ${seed} day ${day}`).toBe(true);
        if (Number.isFinite(z)) finite++;
      }
    }
    // Most cuts have events in both arms (the early ones may not: NaN on both sides).
    expect(finite).toBeGreaterThan(20);
  });
});
