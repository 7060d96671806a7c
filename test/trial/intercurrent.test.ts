/**
 * The intercurrent-event model (README "Intercurrent events and estimands"): its own draw stream,
 * competing discontinuation hazards, the off-treatment waning equation, the rescue trigger and
 * effect, retrieved dropouts, background deaths, and outputs unchanged without the section.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/io/load-specs.js';
import { simulateTrial, type TrialResult } from '../../src/trial/simulate-trial.js';
import { drawPatient } from '../../src/trial/patient-draws.js';
import { simulatedAdam } from '../../src/analysis/simulated-adam.js';
import type { TrialModel } from '../../src/trial/trial-model.js';
import { tempDir } from '../helpers.js';

const FIXTURES = resolve('test/fixtures/protocols');

function variant(name: string, change: (spec: Record<string, any>) => void): string {
  const spec = parseYaml(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, any>;
  spec.cohort = join(FIXTURES, String(spec.cohort));
  change(spec);
  const file = join(tempDir('vtrial-ice-'), 'protocol.yaml');
  writeFileSync(file, stringifyYaml(spec));
  return file;
}

function run(file: string, seed = 11): { model: TrialModel; trial: TrialResult; p: ReturnType<typeof loadProtocol> } {
  const p = loadProtocol(file);
  const model = p.trial!;
  const trial = simulateTrial(p.cohort.model, p.criteria, model, { seed, replicate: 0, target: p.spec.enrolment.target, maxScreened: p.spec.enrolment.max_screened, keepScreened: false });
  return { model, trial, p };
}

/** |observed − expected| within 3 binomial SEs of a proportion. */
function within3Se(k: number, n: number, p: number): void {
  expect(Math.abs(k / n - p)).toBeLessThan(3 * Math.sqrt((p * (1 - p)) / n));
}

describe('intercurrent events', () => {
  it('draw from their own stream: without the section no draw and no output changes; with it every other draw is the same', () => {
    const without = loadProtocol(variant('estimand-policy.yaml', (s) => {
      delete s.intercurrent_events;
      delete s.analysis;
    })).trial!;
    const withIce = loadProtocol(variant('estimand-policy.yaml', (s) => delete s.analysis)).trial!;
    for (let patient = 0; patient < 5; patient++) {
      const a = drawPatient(without, 3, 0, patient);
      const b = drawPatient(withIce, 3, 0, patient);
      expect(a.intercurrent).toBeUndefined();
      expect(b.intercurrent!.reasons).toHaveLength(1);
      const { intercurrent: _, ...rest } = b;
      expect(rest).toEqual(a);
    }
    // ADaM: the ICE columns and adice.csv only with the section.
    const r0 = run(variant('estimand-policy.yaml', (s) => {
      delete s.intercurrent_events;
      delete s.analysis;
    }));
    const t0 = simulatedAdam(r0.p.cohort.model, r0.p.criteria, r0.model, r0.trial, { concentrations: false }).tables;
    expect(t0.map((t) => t.name)).toEqual(['adsl.csv', 'adeff.csv', 'adtte.csv', 'adae.csv', 'counterfactual.csv']);
    expect(t0[0]!.columns).not.toContain('TRTDISDY');
    expect(t0[1]!.columns).not.toContain('ONTRTFL');
    const r1 = run(join(FIXTURES, 'estimand-policy.yaml'));
    const t1 = simulatedAdam(r1.p.cohort.model, r1.p.criteria, r1.model, r1.trial, { concentrations: false }).tables;
    expect(t1.map((t) => t.name)).toEqual(['adsl.csv', 'adeff.csv', 'adtte.csv', 'adae.csv', 'adice.csv', 'counterfactual.csv']);
    expect(t1[0]!.columns.slice(-5)).toEqual(['TRTDISDY', 'DCTREAS', 'RETRFL', 'RESCDY', 'DTHDY']);
    expect(t1[1]!.columns.slice(-2)).toEqual(['ONTRTFL', 'RESCFL']);
    expect(t1.at(-1)!.columns).toEqual(['USUBJID', 'TRTA', 'Y.placebo', 'Y.active', 'Y.placebo.treatment_policy', 'Y.active.treatment_policy', 'Y.placebo.hypothetical', 'Y.active.hypothetical']);
  });

  it('discontinuation reasons compete as exponential hazards, shared by the arms; retrieved is drawn once per twin; background deaths', () => {
    const file = variant('estimand-policy.yaml', (s) => {
      s.enrolment.target = 6000;
      s.intercurrent_events = { discontinuation: [{ reason: 'LACK OF EFFICACY', per_year: 0.4 }, { reason: 'PATIENT DECISION', per_year: 0.2 }], retrieved: 0.6, death: { per_year: 0.5 } };
      s.analysis = { primary: [{ endpoint: 'Y', method: 'ancova', estimand: { discontinuation: 'hypothetical', death: 'hypothetical' } }] };
    });
    const { trial } = run(file);
    const n = trial.enrolled.length;
    const D = 168;
    let lack = 0;
    let decision = 0;
    let retrieved = 0;
    let died = 0;
    let discontinued = 0;
    for (const t of trial.enrolled) {
      const [p, a] = t.outcomes.map((o) => o.ice!);
      // No AEs here: the same day and reason under both arms; retrieved is the twin's.
      expect(a).toEqual(p);
      if (p!.discontinuationReason === 'LACK OF EFFICACY') lack++;
      if (p!.discontinuationReason === 'PATIENT DECISION') decision++;
      if (p!.deathDay < Infinity) died++;
      if (p!.retrieved) retrieved++;
      const o = t.outcomes[t.arm]!;
      if (p!.discontinuationDay < Infinity) {
        discontinued++;
        // Not retrieved: leaves the study when treatment stops, with the reason.
        if (!p!.retrieved) expect([o.endDay, o.endReason]).toEqual([p!.discontinuationDay, p!.discontinuationReason]);
        else expect(o.endDay).toBeGreaterThan(p!.discontinuationDay);
      }
      // A death is observed unless the patient left the study before it.
      if (p!.deathDay < Infinity && (p!.retrieved || p!.discontinuationDay === Infinity)) expect([o.endDay, o.endReason]).toEqual([p!.deathDay, 'DEATH']);
    }
    // Death competes: P(death by D) = 1 − e^(−0.5·D/365); discontinuation by reason k before death and D:
    // ∫ λ_k e^(−(Λ+μ)t) dt = λ_k/(Λ+μ) (1 − e^(−(Λ+μ)D/365)), Λ = 0.6, μ = 0.5.
    within3Se(died, n, 1 - Math.exp((-0.5 * D) / 365));
    const all = 1 - Math.exp((-1.1 * D) / 365);
    within3Se(lack, n, (0.4 / 1.1) * all);
    within3Se(decision, n, (0.2 / 1.1) * all);
    within3Se(retrieved, n, 0.6);
    expect(discontinued).toBe(lack + decision);
  });

  it('off treatment an exposure-driven effect wanes from its size at discontinuation: E(t) = E_on(t_d) 2^(−(t − t_d)/h)', () => {
    const h = 28;
    const file = variant('estimand-policy.yaml', (s) => {
      s.visits = { every_days: 14 };
      delete s.biomarkers.y.drug_effect.onset_half_life_days;
      s.intercurrent_events.off_treatment = { waning_half_life_days: h };
      s.intercurrent_events.discontinuation[0].per_year = 2;
      s.endpoints[0].visit = 'Week 24';
    });
    const { model, trial } = run(file);
    const days = model.visits.map((v) => v.day);
    let checked = 0;
    for (const t of trial.enrolled) {
      const [placebo, active] = t.outcomes;
      const td = active!.ice!.discontinuationDay;
      // The arms share every draw: the active arm's series minus the placebo arm's is the drug effect.
      const effect = active!.biomarkers[0]!.map((y, v) => y - placebo!.biomarkers[0]![v]!);
      const full = effect[0]!;
      expect(full).toBeLessThan(-1);
      days.forEach((d, v) => {
        const expected = d <= td ? full : full * 2 ** (-(d - td) / h);
        expect(effect[v]).toBeCloseTo(expected, 12);
        if (d > td) checked++;
      });
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('rescue starts at the first visit from from_visit at which the latent value crosses the threshold, and adds effect (1 − 2^(−(t − t_r)/h)) after it', () => {
    const withRescue = run(join(FIXTURES, 'estimand-mar.yaml'));
    const without = run(variant('estimand-mar.yaml', (s) => {
      delete s.intercurrent_events.rescue;
      s.analysis = { primary: [{ endpoint: 'Y', method: 'mmrm', estimand: 'hypothetical' }] };
    }));
    const days = withRescue.model.visits.map((v) => v.day);
    let rescued = 0;
    withRescue.trial.enrolled.forEach((t, i) => {
      t.outcomes.forEach((o, a) => {
        const base = without.trial.enrolled[i]!.outcomes[a]!.biomarkers[0]!;
        const first = base.findIndex((y, v) => v >= 1 && y > 8.5);
        expect(o.ice!.rescueDay).toBe(first < 0 ? Infinity : days[first]);
        if (first < 0) return void expect(o.biomarkers[0]).toEqual(base);
        rescued++;
        o.biomarkers[0]!.forEach((y, v) => {
          const since = days[v]! - days[first]!;
          expect(y - base[v]!).toBeCloseTo(since > 0 ? -1.0 * (1 - 2 ** (-since / 14)) : 0, 12);
        });
      });
    });
    expect(rescued).toBeGreaterThan(40);
  });
});
