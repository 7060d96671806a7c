import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/run-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

describe('analysis plan', () => {
  it('spec errors: unknown endpoint, method not fitting the endpoint, bad covariates, one-sided without direction, a ci choice the method does not offer, strata misused, a covariate named TRT', () => {
    let err: SpecError | undefined;
    try {
      loadProtocol('test/fixtures/analysis/bad-plan.yaml');
    } catch (e) {
      err = e as SpecError;
    }
    expect(err?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'analysis.primary.0.endpoint: unknown endpoint "Y_CHNG" (did you mean "Y_CHG"?); endpoints: Y_CHG, TTE',
      'analysis.secondary.0.method: "cox" does not apply to a continuous endpoint; use ancova or welch_t_test or pooled_t_test or mmrm or mi',
      'analysis.secondary.1.covariates.1: "sex" is not a numeric covariate of the cohort (or BASE, PROG) (cohort: test/fixtures/protocols/cohort.yaml)',
      'analysis.secondary.1.covariates.2: "height" is not a numeric covariate of the cohort (or BASE, PROG) (cohort: test/fixtures/protocols/cohort.yaml)',
      'analysis.secondary.2.covariates.0: BASE (the baseline value) applies to continuous and responder endpoints',
      'analysis.secondary.3.direction: is required for a one-sided test (decrease or increase: the direction that favours the active arm)',
      'analysis.secondary.4.ci: ancova has one confidence interval; ci applies to logistic',
      'analysis.secondary.5.strata: strata apply to cox and logrank, not ancova',
      'analysis.secondary.6.strata.1: "smoker" is not a covariate of the cohort (strata are cohort covariates, e.g. the randomisation\'s stratify_by) (cohort: test/fixtures/protocols/cohort.yaml)',
      'analysis.secondary.7.strata.0: "age" is numeric: nearly every twin would be a stratum of its own; stratify by a categorical covariate (derive one, e.g. an age group) (cohort: test/fixtures/protocols/cohort.yaml)',
      'analysis.secondary.7.covariates.0: TRT is the treatment indicator of every model; a covariate cannot have that name (rename it in the cohort) (cohort: test/fixtures/protocols/cohort.yaml)',
    ]);
  });

  it('identical arms: the true effects are exactly null (difference 0, risk difference 0, hazard ratio 1)', async () => {
    const out = join(tempDir(), 'r');
    const r = await runCommand({ protocolFile: 'test/fixtures/protocols/identical-arms.yaml', seed: 5, out, force: false });
    expect(r.efficacy.map((e) => [e.endpoint, e.method, e.role])).toEqual([
      ['Y_CHG', 'ancova', 'primary'],
      ['Y_RESP', 'chisq', 'secondary'],
      ['TTE', 'cox', 'secondary'],
    ]);
    expect(r.efficacy[0]!.trueEffect).toBe(0);
    expect(r.efficacy[1]!.trueEffect).toBe(0);
    expect(r.efficacy[2]!.trueEffect).toBeCloseTo(1, 12);
  });

  it('the truth is the mean individual effect over all enrolled twins, computed from counterfactual.csv', async () => {
    const out = join(tempDir(), 't2d');
    const r = await runCommand({ protocolFile: 'protocols/t2d-weekly-injectable.yaml', seed: 9, out, force: false });
    const cf = parse(readFileSync(join(out, 'counterfactual.csv')), { columns: true, cast: true }) as Record<string, number>[];
    expect(cf).toHaveLength(388);
    for (const arm of ['glp1_0_5mg', 'glp1_1mg']) {
      const row = r.efficacy.find((e) => e.endpoint === 'HBA1C_CHG' && e.arm === arm)!;
      const mean = cf.reduce((s, x) => s + x[`HBA1C_CHG.${arm}`]! - x['HBA1C_CHG.placebo']!, 0) / cf.length;
      expect(row.trueEffect).toBeCloseTo(mean, 12);
      // The estimate lands near the truth (4 standard errors).
      expect(Math.abs(row.estimate! - row.trueEffect!)).toBeLessThan(4 * row.se!);
    }
    // Holm across the secondary family: adjusted p >= raw p, and decisions use the adjusted p.
    for (const e of r.efficacy.filter((x) => x.role === 'secondary')) {
      expect(e.pAdjusted!).toBeGreaterThanOrEqual(e.p!);
      expect(e.reject).toBe(e.pAdjusted! < 0.05);
    }
  });
});
