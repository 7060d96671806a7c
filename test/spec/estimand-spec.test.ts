/** Spec errors of intercurrent_events, estimand and post_ice: impossible combinations, every one at once, by path (README "Intercurrent events and estimands"). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/io/load-specs.js';
import { validateCommand } from '../../src/app/validate-command.js';
import type { SpecError } from '../../src/spec/spec-error.js';
import { resolveEstimand } from '../../src/spec/estimand.js';
import { tempDir } from '../helpers.js';

const FIXTURES = resolve('test/fixtures/protocols');

/** A fixture protocol with changes, written to a temp dir (cohort path made absolute). */
function variant(name: string, change: (spec: Record<string, any>) => void): string {
  const spec = parseYaml(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, any>;
  spec.cohort = join(FIXTURES, String(spec.cohort));
  change(spec);
  const file = join(tempDir('vtrial-estimand-spec-'), 'protocol.yaml');
  writeFileSync(file, stringifyYaml(spec));
  return file;
}

function issuesOf(file: string): string[] {
  try {
    loadProtocol(file);
  } catch (e) {
    return (e as SpecError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  }
  return [];
}

describe('estimand spec errors', () => {
  it('lists every impossible combination with its path, and validate reports the same', () => {
    const file = variant('estimand-all.yaml', (s) => {
      s.intercurrent_events.rescue = { biomarker: 'yy', above: 8, below: 3, from_visit: 'Week 5', effect: -1 };
      s.analysis = {
        primary: [{ endpoint: 'Y', method: 'mmrm', estimand: 'hypothetical', post_ice: 'use' }],
        secondary: [
          { endpoint: 'Y', method: 'ancova', estimand: 'composite' },
          { endpoint: 'Y', method: 'ancova', estimand: { discontinuation: 'hypothetical', death: 'treatment_policy' } },
          { endpoint: 'Y', method: 'mi', imputation: 'jump_to_reference', estimand: { discontinuation: 'hypothetical' } },
          { endpoint: 'Y', method: 'ancova', post_ice: 'discard' },
          { endpoint: 'Y_LT7', method: 'chisq', estimand: 'while_on_treatment', post_ice: 'discard' },
          { endpoint: 'Y', method: 'ancova', estimand: { discontinuation: 'treatment_policy', rescue: 'hypothetical' }, post_ice: { discontinuation: 'discard', rescue: 'use' } },
        ],
      };
    });
    const got = issuesOf(file);
    expect(got).toEqual([
      'intercurrent_events.rescue: rescue needs exactly one of "above" or "below" (the threshold the biomarker crosses)',
      'intercurrent_events.rescue.biomarker: unknown biomarker "yy" (did you mean "y"?); biomarkers: y, w, z',
      'intercurrent_events.rescue.from_visit: unknown visit "Week 5"; visits: Baseline, Week 4, Week 8, Week 12, Week 16, Week 20, Week 24',
      'analysis.primary.0.post_ice: post_ice: use keeps the values after the discontinuation and the rescue and death, which a hypothetical strategy excludes (the outcome had it not occurred); remove post_ice or choose treatment_policy',
      'analysis.secondary.0.estimand: composite applies to responder and time-to-event endpoints (the event counts as failure); Y is continuous: use hypothetical, treatment_policy or while_on_treatment',
      'analysis.secondary.1.estimand.death: treatment_policy for death: no outcome exists after death; use hypothetical, composite or while_on_treatment (write estimand: { discontinuation: ..., rescue: ..., death: hypothetical })',
      'analysis.secondary.2.imputation: jump_to_reference imputes an off-treatment course after discontinuation (a treatment-policy estimand), not the hypothetical one: use imputation: mar, or estimand: { discontinuation: treatment_policy } with post_ice: discard',
      'analysis.secondary.3.post_ice: applies to an analysis with an estimand (estimand: ...)',
      'analysis.secondary.4.post_ice: applies to intercurrent events handled by treatment_policy (use or discard their later values); this estimand has none',
      'analysis.secondary.5.post_ice.rescue: applies to an intercurrent event handled by treatment_policy (use or discard its later values); rescue is hypothetical (its later values are always discarded)',
    ]);
    const v = validateCommand([file]);
    expect(v[0]!.ok).toBe(false);
    // validate prints each problem on a line of its own, with its path.
    for (const g of got) expect(v[0]!.problems.join('\n')).toContain(g.slice(g.indexOf(': ') + 2));
  });

  it('an estimand naming an ICE type the protocol does not model is an error; the shorthand applies only to the modelled types', () => {
    const file = variant('estimand-policy.yaml', (s) => {
      s.analysis.secondary = [{ endpoint: 'Y', method: 'ancova', estimand: { rescue: 'hypothetical', death: 'composite' } }];
    });
    expect(issuesOf(file)).toEqual([
      'analysis.secondary.0.estimand.rescue: the protocol models no rescue medication (intercurrent_events.rescue): a strategy for it would change nothing',
      'analysis.secondary.0.estimand.death: the protocol models no deaths (intercurrent_events.death, or an adverse event with a grade 5 probability): a strategy for death would change nothing',
    ]);
    // estimand: treatment_policy is legal there (no deaths modelled), and its label names the modelled type only.
    expect(issuesOf(join(FIXTURES, 'estimand-policy.yaml'))).toEqual([]);
    const modelled = { discontinuation: true, rescue: false, death: false };
    expect(resolveEstimand('treatment_policy', undefined, modelled).label).toBe('treatment_policy');
    expect(resolveEstimand({ discontinuation: 'hypothetical' }, undefined, { discontinuation: true, rescue: true, death: true }).label).toBe('discontinuation=hypothetical;rescue=treatment_policy;death=hypothetical');
    expect(resolveEstimand('treatment_policy', 'discard', modelled).handling).toEqual({ discontinuation: 'discard', rescue: 'discard', death: 'discard' });
    // Per type: jump-to-reference after discontinuation, the observed values after rescue.
    expect(resolveEstimand({ discontinuation: 'treatment_policy', rescue: 'treatment_policy' }, { discontinuation: 'discard' }, { discontinuation: true, rescue: true, death: true }).handling).toEqual({ discontinuation: 'discard', rescue: 'use', death: 'discard' });
  });

  it('an estimand needs the intercurrent_events section', () => {
    const file = variant('estimand-policy.yaml', (s) => {
      delete s.intercurrent_events;
    });
    expect(issuesOf(file)).toEqual([0, 1, 2].map((i) => `analysis.${i === 0 ? 'primary.0' : `secondary.${i - 1}`}.estimand: needs the protocol's intercurrent_events section (the events the estimand's strategies apply to; "intercurrent_events: {}" models only adverse-event discontinuation and deaths)`));
  });
});
