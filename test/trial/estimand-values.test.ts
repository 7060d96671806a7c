/**
 * The counterfactual values under each estimand (src/trial/estimand-values.ts): the hypothetical
 * value of a discontinued twin is its value in a protocol where treatment never stops (same
 * draws); while on treatment is the value at the last visit on or before the event; composite
 * responders fail at the event; a composite time to event ends at it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/io/load-specs.js';
import { simulateTrial } from '../../src/trial/simulate-trial.js';
import { tempDir } from '../helpers.js';

const FIXTURES = resolve('test/fixtures/protocols');

function load(change?: (spec: Record<string, any>) => void) {
  const spec = parseYaml(readFileSync(join(FIXTURES, 'estimand-all.yaml'), 'utf8')) as Record<string, any>;
  spec.cohort = join(FIXTURES, String(spec.cohort));
  change?.(spec);
  const file = join(tempDir('vtrial-estimand-values-'), 'protocol.yaml');
  writeFileSync(file, stringifyYaml(spec));
  const p = loadProtocol(file);
  const model = p.trial!;
  const trial = simulateTrial(p.cohort.model, p.criteria, model, { seed: 5, replicate: 0, target: p.spec.enrolment.target, maxScreened: 100000, keepScreened: false });
  return { model, trial };
}

describe('counterfactual values under each estimand', () => {
  const actual = load();
  // Treatment never stops (the reasons' hazards 0 keep the stream's draws; AEs no longer stop it), rescue as before.
  const never = load((s) => {
    for (const r of s.intercurrent_events.discontinuation) r.per_year = 0;
    for (const a of s.adverse_events) a.discontinuation_probability = 0;
    delete s.analysis;
  });
  const icm = actual.model.intercurrent!;
  const k = (label: string) => icm.estimands.findIndex((e) => e.label === label);
  const ei = (id: string) => actual.model.endpoints.findIndex((e) => e.id === id);
  const days = actual.model.visits.map((v) => v.day);

  it('hypothetical for discontinuation: the value had treatment never stopped (concentration-driven, with and without an effect compartment, and exposure-driven), rescue re-derived', () => {
    const hyp = k('hypothetical');
    const zHyp = k('discontinuation=hypothetical;rescue=treatment_policy;death=hypothetical');
    let stopped = 0;
    actual.trial.enrolled.forEach((t, i) => {
      t.outcomes.forEach((o, a) => {
        const n = never.trial.enrolled[i]!.outcomes[a]!;
        if (o.ice!.discontinuationDay < Infinity) stopped++;
        // Y under hypothetical (discontinuation and rescue): the never-stopped world without its rescue.
        const y = n.biomarkers[0]!;
        const rescued = n.ice!.rescueDay;
        const unrescued = (v: number) => y[v]! - (days[v]! > rescued ? -0.8 * (1 - 2 ** (-(days[v]! - rescued) / 14)) : 0);
        expect(o.estimandValues![hyp]![ei('Y')]).toBeCloseTo(unrescued(6) - unrescued(0), 10);
        // Z (exposure-driven, no rescue) under discontinuation=hypothetical: the never-stopped value.
        expect(o.estimandValues![zHyp]![ei('Z')]).toBeCloseTo(n.endpointValues[ei('Z')]!, 10);
      });
    });
    expect(stopped).toBeGreaterThan(60);
  });

  it('while on treatment: the value at the last visit on or before the first event (any of the three); composite: failure at the event', () => {
    const wot = k('while_on_treatment');
    const comp = k('composite');
    let carried = 0;
    for (const t of actual.trial.enrolled)
      for (const o of t.outcomes) {
        const ice = o.ice!;
        const first = Math.min(ice.discontinuationDay, ice.rescueDay, ice.deathDay);
        let u = 6;
        while (u > 0 && days[u]! > first) u--;
        if (u < 6) carried++;
        const y = o.biomarkers[0]!;
        expect(o.estimandValues![wot]![ei('Y')]).toBe(y[u]! - y[0]!);
        expect(o.estimandValues![comp]![ei('Y_LT7')]).toBe(first <= days[6]! ? 0 : o.endpointValues[ei('Y_LT7')]);
        expect(o.estimandValues![comp]![ei('PFS')]).toBe(Math.min(o.endpointValues[ei('PFS')]!, first));
      }
    expect(carried).toBeGreaterThan(100);
  });
});
