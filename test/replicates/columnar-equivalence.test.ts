/**
 * The replicate engine analyses each trial from its columns (src/analysis/trial-source.ts); a
 * single run writes ADaM tables, and `vtrial analyze` reads them back. Both must give the same
 * numbers: for each protocol, replicate r's efficacy (replicates.csv) equals replicate r's patient
 * files (--keep-patients) re-analysed by `vtrial analyze`, and its AE counts
 * (replicate-safety.csv) equal the "any" and "term" rows of that analysis' safety.csv.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

const REPLICATES = 3;
type Row = Record<string, string>;
const csv = (file: string): Row[] => parseCsv(readFileSync(file), { columns: true }) as Row[];

/** A shipped protocol with another analysis plan (and other top-level keys), written next to a temp copy (its cohort path made absolute). */
function withPlan(protocol: string, analysis: unknown, dir: string, more: Record<string, unknown> = {}): string {
  const spec = parseYaml(readFileSync(join(REPO, protocol), 'utf8')) as Record<string, unknown>;
  spec.cohort = resolve(REPO, 'protocols', String(spec.cohort));
  spec.analysis = analysis;
  Object.assign(spec, more);
  delete spec.scenarios;
  const file = join(dir, 'protocol.yaml');
  writeFileSync(file, stringifyYaml(spec));
  return file;
}

const CASES: [string, (dir: string) => string][] = [
  ...readdirSync(join(REPO, 'protocols'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f): [string, (dir: string) => string] => [f, () => join(REPO, 'protocols', f)]),
  ['test fixture external-control.yaml (hybrid control arm)', () => join(REPO, 'test/fixtures/protocols/external-control.yaml')],
  ['test fixture procova-informative.yaml (PROG covariate)', () => join(REPO, 'test/fixtures/protocols/procova-informative.yaml')],
  [
    't2d with every continuous and responder method, completers, non-responder imputation (BASE from the baseline visit)',
    (dir) =>
      withPlan(
        'protocols/t2d-weekly-injectable.yaml',
        {
          primary: [{ endpoint: 'HBA1C_CHG', method: 'ancova', covariates: ['BASE', 'age', 'bmi'] }],
          secondary: [
            { endpoint: 'HBA1C_CHG', method: 'welch_t_test' },
            { endpoint: 'WEIGHT_CHG', method: 'pooled_t_test', population: 'completers' },
            { endpoint: 'WEIGHT_CHG', method: 'ancova', sided: 'one', direction: 'decrease' },
            { endpoint: 'HBA1C_LT7', method: 'chisq' },
            { endpoint: 'HBA1C_LT7', method: 'fisher', missing: 'non_responder' },
            { endpoint: 'HBA1C_LT7', method: 'chisq', missing: 'non_responder', population: 'completers' },
            { endpoint: 'HBA1C_LT7', method: 'logistic', covariates: ['BASE', 'age'], missing: 'non_responder' },
            { endpoint: 'HBA1C_LT7', method: 'logistic', covariates: ['bmi'], ci: 'profile' },
          ],
          multiplicity: { primary: 'none', secondary: 'hochberg' },
        },
        dir,
      ),
  ],
  [
    'hypertension with mmrm (unstructured, BASE and age by visit; ar1) next to ancova: every post-baseline visit up to the endpoint\'s',
    (dir) =>
      withPlan(
        'protocols/hypertension-dose-ranging.yaml',
        {
          primary: [{ endpoint: 'SBP_CHG', method: 'mmrm', covariates: ['BASE', 'age'] }],
          secondary: [
            { endpoint: 'SBP_CHG', method: 'ancova', covariates: ['BASE'] },
            { endpoint: 'SBP_CHG', method: 'mmrm', covariance: 'ar1', population: 'completers' },
          ],
        },
        dir,
      ),
  ],
  [
    'hypertension with mi (mar, jump to reference with delta, copy increments in reference) next to mmrm',
    (dir) =>
      withPlan(
        'protocols/hypertension-dose-ranging.yaml',
        {
          primary: [{ endpoint: 'SBP_CHG', method: 'mi', covariates: ['BASE', 'age'], imputations: 10 }],
          secondary: [
            { endpoint: 'SBP_CHG', method: 'mi', covariates: ['BASE'], imputation: 'jump_to_reference', imputations: 5, delta: 2 },
            { endpoint: 'SBP_CHG', method: 'mi', imputation: 'copy_increments_in_reference', imputations: 5, population: 'completers' },
            { endpoint: 'SBP_CHG', method: 'mmrm', covariates: ['BASE'] },
          ],
        },
        dir,
      ),
  ],
  [
    't2d with mmrm over 15 visits (toeplitz and compound symmetry)',
    (dir) =>
      withPlan(
        'protocols/t2d-weekly-injectable.yaml',
        {
          primary: [{ endpoint: 'HBA1C_CHG', method: 'mmrm', covariates: ['BASE'], covariance: 'toeplitz' }],
          secondary: [{ endpoint: 'WEIGHT_CHG', method: 'mmrm', covariance: 'compound_symmetry', sided: 'one', direction: 'decrease' }],
        },
        dir,
      ),
  ],
  [
    'nsclc with Cox on two covariates, Breslow ties, completers, stratified log-rank and Cox',
    (dir) =>
      withPlan(
        'protocols/nsclc-first-line.yaml',
        {
          primary: [{ endpoint: 'OS', method: 'cox', covariates: ['prognostic_index', 'age'], ties: 'breslow' }],
          secondary: [
            { endpoint: 'PFS', method: 'logrank', population: 'completers' },
            { endpoint: 'PFS', method: 'cox', sided: 'one', direction: 'decrease' },
            { endpoint: 'PFS', method: 'logrank', strata: ['pdl1', 'smoking'] },
            { endpoint: 'OS', method: 'cox', covariates: ['age'], strata: ['pdl1'], ties: 'breslow' },
          ],
        },
        dir,
      ),
  ],
  [
    'nsclc with accrual (a ramp-up) cut at a calendar day: ongoing patients censored at the cut-off, completers, events and Cox',
    (dir) =>
      withPlan(
        'protocols/nsclc-first-line.yaml',
        {
          primary: [{ endpoint: 'PFS', method: 'logrank' }],
          secondary: [
            { endpoint: 'OS', method: 'cox', covariates: ['prognostic_index'] },
            { endpoint: 'PFS', method: 'logrank', population: 'completers' },
          ],
        },
        dir,
        { accrual: { rate_per_month: [{ months: 3, rate: 15 }, { rate: 45 }] }, study_end: { calendar_day: 1000 } },
      ),
  ],
];

const NUMBERS = ['estimate', 'se', 'lower', 'upper', 'p', 'p_adjusted', 'true_effect'] as const;

describe('replicate efficacy from columns equals the single run re-analysed from its ADaM files', () => {
  it.each(CASES)('%s', async (_name, protocolOf) => {
    const dir = tempDir('vtrial-columnar-');
    const protocolFile = protocolOf(dir);
    const out = join(dir, 'reps');
    await replicatesCommand({ protocolFile, seed: 20261130, replicates: REPLICATES, workers: 1, keepPatients: REPLICATES, scenario: 'base', out, force: false });
    const reps = csv(join(out, 'replicates.csv'));
    const repSafety = csv(join(out, 'replicate-safety.csv'));
    let compared = 0;
    for (let r = 1; r <= REPLICATES; r++) {
      const patients = join(out, 'patients', 'base', `replicate-${String(r).padStart(6, '0')}`);
      const analysed = join(dir, `analysed-${r}`);
      // The seed and replicate key the draws of multiple imputation (mi), as in the replicate run.
      await analyzeCommand({ dir: patients, protocolFile, out: analysed, seed: 20261130, replicate: r - 1 });
      const single = csv(join(analysed, 'efficacy.csv'));
      const replicate = reps.filter((x) => x.replicate === String(r));
      expect(replicate.length).toBe(single.length);
      expect(replicate.length).toBeGreaterThan(0);
      single.forEach((s, i) => {
        const x = replicate[i]!;
        expect([x.endpoint, x.method, x.covariates, x.measure, x.arm, x.control]).toEqual([s.endpoint, s.method, s.covariates, s.measure, s.arm, s.control]);
        // Both files write shortest round-trip decimals: equal text is equal doubles.
        for (const k of NUMBERS) expect(x[k], `replicate ${r}, row ${i + 1} (${s.endpoint} ${s.method} ${s.arm}), ${k}`).toBe(s[k] === '' ? 'NA' : s[k]);
        expect(x.reject).toBe(s.reject === '' ? 'N' : s.reject);
        compared++;
      });
      const safety = csv(join(analysed, 'safety.csv')).filter((s) => s.category === 'any' || s.category === 'term');
      const ae = repSafety.filter((x) => x.replicate === String(r));
      expect(ae.map((x) => [x.term, x.arm, x.subjects_with_ae, x.subjects])).toEqual(safety.map((s) => [s.category === 'any' ? '(any)' : s.item, s.arm, s.n, s.subjects]));
    }
    // Every replicate's truth is known (the patient files hold counterfactual.csv).
    expect(reps.every((x) => x.true_effect !== 'NA')).toBe(true);
    expect(compared).toBeGreaterThanOrEqual(REPLICATES);
  });
});
