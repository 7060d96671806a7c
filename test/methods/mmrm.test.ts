/** The MMRM entry of the analysis-method registry: on R's reference data, in a run and in replicates, and its spec errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analysisMethod } from '../../src/methods/registry.js';
import type { Comparison, Estimate, Unestimable } from '../../src/methods/method.js';
import type { AnalysisItem } from '../../src/spec/analysis-schema.js';
import { runCommand } from '../../src/app/run-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import type { SpecError } from '../../src/spec/spec-error.js';
import { dataset, expectR, R } from '../stats/reference.js';
import { tempDir } from '../helpers.js';

const VISITS = ['Week 4', 'Week 8', 'Week 12', 'Week 16'];
const method = analysisMethod('mmrm');
const item = (over: Partial<AnalysisItem> = {}): AnalysisItem => ({ endpoint: 'CHG', method: 'mmrm', covariates: ['BASE'], strata: [], missing: 'exclude', ties: 'efron', ...over });

/** longitudinal.csv as efficacy hands it to a method: active subjects first, one row of visits each. */
function comparison(): Comparison {
  const rows = dataset('longitudinal');
  const ids = [...new Set(rows.map((r) => r.USUBJID!))];
  const arm = new Map(rows.map((r) => [r.USUBJID!, r.ARM!]));
  const order = [...ids.filter((id) => arm.get(id) === 'ACTIVE'), ...ids.filter((id) => arm.get(id) === 'PLACEBO')];
  const at = new Map(order.map((id, k) => [id, k]));
  const n = order.length;
  const values = new Float64Array(n * 4).fill(NaN);
  const base = new Float64Array(n);
  for (const r of rows) {
    const k = at.get(r.USUBJID!)!;
    values[k * 4 + VISITS.indexOf(r.AVISIT!)] = Number(r.CHG);
    base[k] = Number(r.BASE);
  }
  const nArm = order.filter((id) => arm.get(id) === 'ACTIVE').length;
  const value = Float64Array.from({ length: n }, (_, k) => values[k * 4 + 3]!);
  return {
    nArm,
    nControl: n - nArm,
    value,
    time: new Float64Array(n).fill(NaN),
    event: new Float64Array(n).fill(NaN),
    treatment: Float64Array.from({ length: n }, (_, k) => (k < nArm ? 1 : 0)),
    covariates: { BASE: base },
    repeated: { visits: VISITS, values },
  };
}

describe('method mmrm', () => {
  it('is a continuous method on the difference scale that adjusts and reads repeated measures', () => {
    expect([method.endpoint, method.scale, method.adjusts, method.repeated, method.measure]).toEqual(['continuous', 'difference', true, true, 'difference in LS means']);
  });
  it("estimates nlme + emmeans' LS-mean difference at the last visit with its SE, Satterthwaite CI and p", () => {
    const e = R.mmrm;
    const r = method.compare(comparison(), item(), 0.95) as Estimate;
    expectR(r.estimate, e.estimate[3], 'estimate');
    expectR(r.se!, e.se[3], 'se');
    expectR(r.statistic!, e.t[3], 't');
    expectR(r.p!, e.p[3], 'p');
    expectR(r.ci[0], e.ci_lower[3], 'lower');
    expectR(r.ci[1], e.ci_upper[3], 'upper');
    expect(r.note).toBe('Satterthwaite df 173.98; 4 visits, unstructured covariance');
    // The summaries are the raw means of the observed Week 16 values.
    const rows = dataset('longitudinal').filter((x) => x.AVISIT === 'Week 16');
    const mean = (arm: string) => rows.filter((x) => x.ARM === arm).reduce((s, x) => s + Number(x.CHG), 0) / rows.filter((x) => x.ARM === arm).length;
    expect(r.armSummary).toBeCloseTo(mean('ACTIVE'), 12);
    expect(r.controlSummary).toBeCloseTo(mean('PLACEBO'), 12);
  });
  it('covariance: compound_symmetry fits the structure nlme fits with corCompSymm', () => {
    const cs = JSON.parse(readFileSync(new URL('../fixtures/mmrm-structures/expected.json', import.meta.url), 'utf8')).compound_symmetry;
    const r = method.compare(comparison(), item({ covariance: 'compound_symmetry' }), 0.95) as Estimate;
    expectR(r.estimate, cs.estimate[3], 'estimate');
    expectR(r.se!, cs.se[3], 'se');
  });
  it('a last visit without control observations is NA with a note', () => {
    const c = comparison();
    for (let k = c.nArm; k < c.nArm + c.nControl; k++) c.repeated!.values[k * 4 + 3] = NaN;
    const r = method.compare(c, item(), 0.95) as Unestimable;
    expect(r.notEstimable).toBe('Week 16 has no observations in the control arm');
  });
  it('its truth is the mean individual difference at the endpoint visit (as ancova)', () => {
    const ya = Float64Array.of(1, 2, 3, 6);
    const yc = Float64Array.of(0, 0, 1, 1);
    expect(method.truth({ arm: ya, control: yc, durationDays: 1, covariate: () => ya, strata: () => new Int32Array(0) }, item())).toBe(2.5);
  });
});

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** A shipped protocol with another analysis plan (and optional changes), written to a temp dir. */
function withPlan(protocol: string, analysis: unknown, dir: string, edit: (spec: Record<string, unknown>) => void = () => {}): string {
  const spec = parseYaml(readFileSync(join(REPO, protocol), 'utf8')) as Record<string, unknown>;
  spec.cohort = resolve(REPO, 'protocols', String(spec.cohort));
  spec.analysis = analysis;
  delete spec.scenarios;
  edit(spec);
  const file = join(dir, 'protocol.yaml');
  writeFileSync(file, stringifyYaml(spec));
  return file;
}

const HYPERTENSION_MMRM = {
  primary: [{ endpoint: 'SBP_CHG', method: 'mmrm', covariates: ['BASE', 'age'] }],
  secondary: [
    { endpoint: 'SBP_CHG', method: 'ancova', covariates: ['BASE', 'age'] },
    { endpoint: 'SBP_CHG', method: 'mmrm', covariance: 'ar1' },
  ],
  multiplicity: { primary: 'bonferroni', secondary: 'holm' },
};

describe('mmrm in a protocol', () => {
  it('a single run: one row per dose, near the truth, which equals ancova\'s', async () => {
    const dir = tempDir('vtrial-mmrm-');
    const out = join(dir, 'run');
    const r = await runCommand({ protocolFile: withPlan('protocols/hypertension-dose-ranging.yaml', HYPERTENSION_MMRM, dir), seed: 3, out, force: false });
    const mm = r.efficacy.filter((e) => e.method === 'mmrm' && e.role === 'primary');
    const an = r.efficacy.filter((e) => e.method === 'ancova');
    expect(mm.map((e) => e.arm)).toEqual(['arb_10mg', 'arb_20mg', 'arb_40mg', 'arb_80mg']);
    mm.forEach((e, i) => {
      expect(e.measure).toBe('difference in LS means');
      expect(e.note).toMatch(/^Satterthwaite df [0-9.]+; 6 visits, unstructured covariance$/);
      expect(e.trueEffect).toBe(an[i]!.trueEffect);
      expect(Math.abs(e.estimate! - e.trueEffect!)).toBeLessThan(4 * e.se!);
      // Complete data at the last visit (no dropout before it) would make them equal; with dropout MMRM uses the earlier visits too.
      expect(Math.abs(e.estimate! - an[i]!.estimate!)).toBeLessThan(2 * e.se!);
    });
    const ar1 = r.efficacy.filter((e) => e.method === 'mmrm' && e.role === 'secondary');
    expect(ar1.every((e) => e.note.endsWith('6 visits, ar1 covariance') && Number.isFinite(e.estimate))).toBe(true);
    // efficacy.csv holds the same rows.
    const csv = parseCsv(readFileSync(join(out, 'efficacy.csv')), { columns: true }) as Record<string, string>[];
    expect(csv.filter((x) => x.method === 'mmrm')).toHaveLength(8);
  });
  it('replicates: every replicate has an estimate, SE and truth per dose', async () => {
    const dir = tempDir('vtrial-mmrm-');
    const out = join(dir, 'reps');
    await replicatesCommand({ protocolFile: withPlan('protocols/hypertension-dose-ranging.yaml', HYPERTENSION_MMRM, dir), seed: 4, replicates: 3, workers: 1, keepPatients: 0, scenario: 'base', out, force: false });
    const reps = parseCsv(readFileSync(join(out, 'replicates.csv')), { columns: true }) as Record<string, string>[];
    const mm = reps.filter((x) => x.method === 'mmrm');
    expect(mm).toHaveLength(3 * 8);
    expect(mm.every((x) => x.estimate !== 'NA' && x.se !== 'NA' && x.true_effect !== 'NA')).toBe(true);
  });
  it('spec errors: mmrm on a responder endpoint, covariance on another method, an endpoint at the first visit after baseline', () => {
    const dir = tempDir('vtrial-mmrm-');
    const file = withPlan(
      'protocols/hypertension-dose-ranging.yaml',
      {
        primary: [{ endpoint: 'SBP_CTRL', method: 'mmrm' }],
        secondary: [
          { endpoint: 'SBP_CHG', method: 'ancova', covariance: 'ar1' },
          { endpoint: 'SBP_W2', method: 'mmrm' },
        ],
      },
      dir,
      (spec) => (spec.endpoints as unknown[]).push({ id: 'SBP_W2', label: 'SBP change to week 2', type: 'continuous', biomarker: 'sbp', visit: 'Week 2', measure: 'change' }),
    );
    let err: SpecError | undefined;
    try {
      loadProtocol(file);
    } catch (e) {
      err = e as SpecError;
    }
    expect(err?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'analysis.primary.0.method: "mmrm" does not apply to a responder endpoint; use chisq or fisher or logistic',
      'analysis.secondary.0.covariance: covariance applies to mmrm and mi, not ancova',
      'analysis.secondary.1.method: mmrm needs repeated measures, but SBP_W2 is measured at the first visit after baseline (one post-baseline visit); use ancova',
    ]);
  });
});
