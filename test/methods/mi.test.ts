/** The mi entry of the method registry: a MAR simulation (bias and coverage), in a protocol, reproducibility, spec errors. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analysisMethod } from '../../src/methods/registry.js';
import type { Comparison, Estimate } from '../../src/methods/method.js';
import type { AnalysisItem } from '../../src/spec/analysis-schema.js';
import { createStream, type Source } from '../../src/random/stream.js';
import { normal } from '../../src/stats/mi-impute.js';
import { runCommand } from '../../src/app/run-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import type { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

const item = (over: Partial<AnalysisItem> = {}): AnalysisItem => ({ endpoint: 'Y', method: 'mi', covariates: ['BASE'], missing: 'exclude', ties: 'efron', ...over });

// A trial whose dropout is missing at random: after each of the first three visits a subject
// leaves with probability plogis(−2.2 + 1.2·(y − (−1))) given its value y just observed (high
// values leave). Outcomes: y_j = μ_j + trt·δ_j + 0.6·BASE + e, e ~ N(0, Σ), Σ_jk = 4·0.7^|j−k|.
const V = 4;
const MU = [-0.5, -1, -1.5, -2];
const EFFECT = [-0.5, -1, -1.5, -2]; // the hypothetical estimand at the last visit is −2
const PER_ARM = 100;
const chol = (() => {
  const s = Array.from({ length: V * V }, (_, k) => 4 * 0.7 ** Math.abs(Math.floor(k / V) - (k % V)));
  const l = new Float64Array(V * V);
  for (let j = 0; j < V; j++) {
    let d = s[j * V + j]!;
    for (let k = 0; k < j; k++) d -= l[j * V + k]! ** 2;
    l[j * V + j] = Math.sqrt(d);
    for (let i = j + 1; i < V; i++) {
      let t = s[i * V + j]!;
      for (let k = 0; k < j; k++) t -= l[i * V + k]! * l[j * V + k]!;
      l[i * V + j] = t / l[j * V + j]!;
    }
  }
  return l;
})();

function marTrial(replicate: number): { c: Comparison; completers: { y: number[]; trt: number[]; base: number[] } } {
  const src: Source = createStream({ seed: 2026, replicate, patient: -1, purpose: 'mar-trial' });
  const n = 2 * PER_ARM;
  const values = new Float64Array(n * V);
  const base = new Float64Array(n);
  const treatment = Float64Array.from({ length: n }, (_, k) => (k < PER_ARM ? 1 : 0));
  const completers = { y: [] as number[], trt: [] as number[], base: [] as number[] };
  for (let k = 0; k < n; k++) {
    base[k] = normal(src);
    const z = Array.from({ length: V }, () => normal(src));
    let gone = false;
    for (let j = 0; j < V; j++) {
      let e = 0;
      for (let m = 0; m <= j; m++) e += chol[j * V + m]! * z[m]!;
      const y = MU[j]! + treatment[k]! * EFFECT[j]! + 0.6 * base[k]! + e;
      values[k * V + j] = gone ? NaN : y;
      if (!gone && j < V - 1 && src() < 1 / (1 + Math.exp(2.2 - 1.2 * (y + 1)))) gone = true;
    }
    if (!gone) {
      completers.y.push(values[k * V + V - 1]!);
      completers.trt.push(treatment[k]!);
      completers.base.push(base[k]!);
    }
  }
  const c: Comparison = {
    nArm: PER_ARM,
    nControl: PER_ARM,
    value: Float64Array.from({ length: n }, (_, k) => values[k * V + V - 1]!),
    time: new Float64Array(n).fill(NaN),
    event: new Float64Array(n).fill(NaN),
    treatment,
    covariates: { BASE: base },
    repeated: { visits: ['W1', 'W2', 'W3', 'W4'], values },
    random: () => createStream({ seed: 2026, replicate, patient: -1, purpose: 'imputation/0/1' }),
  };
  return { c, completers };
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const mcse = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length);

describe('method mi', () => {
  it('is a continuous method on the difference scale that adjusts and reads repeated measures', () => {
    const m = analysisMethod('mi');
    expect([m.endpoint, m.scale, m.adjusts, m.repeated]).toEqual(['continuous', 'difference', true, true]);
  });

  it('missing at random: MMRM and MI-MAR estimate the hypothetical effect without bias, completers\' ANCOVA is biased; MI CIs cover 95%', () => {
    const R = 150;
    const mi: number[] = [];
    const mm: number[] = [];
    const cc: number[] = [];
    let covered = 0;
    let dropped = 0;
    for (let r = 0; r < R; r++) {
      const { c, completers } = marTrial(r);
      dropped += 2 * PER_ARM - completers.y.length;
      const e = analysisMethod('mi').compare(c, item({ imputations: 20 }), 0.95) as Estimate;
      mi.push(e.estimate);
      if (e.ci[0] <= -2 && -2 <= e.ci[1]) covered++;
      mm.push((analysisMethod('mmrm').compare(c, item({ method: 'mmrm' }), 0.95) as Estimate).estimate);
      const comp: Comparison = { ...c, nArm: completers.trt.filter((t) => t === 1).length, nControl: completers.trt.filter((t) => t === 0).length, value: Float64Array.from(completers.y), treatment: Float64Array.from(completers.trt), covariates: { BASE: Float64Array.from(completers.base) } };
      delete comp.repeated;
      cc.push((analysisMethod('ancova').compare(comp, item({ method: 'ancova' }), 0.95) as Estimate).estimate);
    }
    // About a third of the subjects leave before the last visit, the higher (worse) ones first.
    expect(dropped / (R * 2 * PER_ARM)).toBeGreaterThan(0.25);
    expect(Math.abs(mean(mi) + 2)).toBeLessThan(3 * mcse(mi));
    expect(Math.abs(mean(mm) + 2)).toBeLessThan(3 * mcse(mm));
    // Completers: the control arm loses more of its high values than the active arm, so the difference shrinks towards 0.
    expect(mean(cc) + 2).toBeGreaterThan(3 * mcse(cc));
    expect(Math.abs(covered / R - 0.95)).toBeLessThan(3 * Math.sqrt((0.95 * 0.05) / R));
  });

  it('one comparison: draws only from its own stream (the same stream, the same result)', () => {
    const { c } = marTrial(0);
    const a = analysisMethod('mi').compare(c, item({ imputations: 5, imputation: 'jump_to_reference', delta: 1 }), 0.95) as Estimate;
    const b = analysisMethod('mi').compare(c, item({ imputations: 5, imputation: 'jump_to_reference', delta: 1 }), 0.95) as Estimate;
    expect(b).toEqual(a);
    expect(a.note).toMatch(/^5 imputations, jump to reference, delta 1; \d+ of 800 values imputed; Barnard-Rubin df [0-9.]+, FMI [0-9.]+; true_effect is the hypothetical estimand/);
    // A positive delta on the active arm's imputed values moves the estimate up, by less than delta.
    const j2r = analysisMethod('mi').compare(c, item({ imputations: 5, imputation: 'jump_to_reference' }), 0.95) as Estimate;
    expect(a.estimate - j2r.estimate).toBeGreaterThan(0);
    expect(a.estimate - j2r.estimate).toBeLessThan(1);
  });
});

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function withPlan(protocol: string, analysis: unknown, dir: string): string {
  const spec = parseYaml(readFileSync(join(REPO, protocol), 'utf8')) as Record<string, unknown>;
  spec.cohort = resolve(REPO, 'protocols', String(spec.cohort));
  spec.analysis = analysis;
  delete spec.scenarios;
  const file = join(dir, 'protocol.yaml');
  writeFileSync(file, stringifyYaml(spec));
  return file;
}

const PLAN = {
  primary: [{ endpoint: 'SBP_CHG', method: 'mi', covariates: ['BASE', 'age'], imputations: 20 }],
  secondary: [
    { endpoint: 'SBP_CHG', method: 'mmrm', covariates: ['BASE', 'age'] },
    { endpoint: 'SBP_CHG', method: 'mi', covariates: ['BASE'], imputation: 'copy_reference', imputations: 10 },
  ],
  multiplicity: { primary: 'bonferroni', secondary: 'holm' },
};

describe('mi in a protocol', () => {
  it('a single run: one row per dose near MMRM, with the truth of the hypothetical estimand', async () => {
    const dir = tempDir('vtrial-mi-');
    const r = await runCommand({ protocolFile: withPlan('protocols/hypertension-dose-ranging.yaml', PLAN, dir), seed: 3, out: join(dir, 'run'), force: false });
    const mi = r.efficacy.filter((e) => e.method === 'mi' && e.role === 'primary');
    const mm = r.efficacy.filter((e) => e.method === 'mmrm');
    expect(mi.map((e) => e.arm)).toEqual(['arb_10mg', 'arb_20mg', 'arb_40mg', 'arb_80mg']);
    mi.forEach((e, i) => {
      expect(e.measure).toBe('difference in means (adjusted, MI)');
      expect(e.note).toMatch(/^20 imputations, mar; \d+ of \d+ values imputed; Barnard-Rubin df [0-9.]+, FMI [0-9.]+$/);
      expect(e.trueEffect).toBe(mm[i]!.trueEffect);
      // Few values are missing: MI under MAR and MMRM agree to a fraction of an SE.
      expect(Math.abs(e.estimate! - mm[i]!.estimate!)).toBeLessThan(0.5 * e.se!);
    });
  });

  it('replicates: byte-identical for 1 and 2 workers and any batch size', async () => {
    const dir = tempDir('vtrial-mi-');
    const file = withPlan('protocols/hypertension-dose-ranging.yaml', PLAN, dir);
    const run = (out: string, workers: number, batchSize?: number) => replicatesCommand({ protocolFile: file, seed: 8, replicates: 4, workers, batchSize, keepPatients: 0, scenario: 'base', out: join(dir, out), force: false });
    await run('w1', 1);
    await run('w2', 2, 1);
    const a = readFileSync(join(dir, 'w1', 'replicates.csv'));
    expect(a.equals(readFileSync(join(dir, 'w2', 'replicates.csv')))).toBe(true);
    const rows = (parseCsv(a, { columns: true }) as Record<string, string>[]).filter((x) => x.method === 'mi');
    expect(rows).toHaveLength(4 * 8);
    expect(rows.every((x) => x.estimate !== 'NA' && x.se !== 'NA' && x.true_effect !== 'NA')).toBe(true);
  });

  it('spec errors: mi on a responder endpoint, imputation keys on another method, imputations out of range, a reference that is not the control arm', () => {
    const dir = tempDir('vtrial-mi-');
    const file = withPlan(
      'protocols/hypertension-dose-ranging.yaml',
      {
        primary: [{ endpoint: 'SBP_CTRL', method: 'mi' }],
        secondary: [
          { endpoint: 'SBP_CHG', method: 'mmrm', imputation: 'mar', delta: 1 },
          { endpoint: 'SBP_CHG', method: 'mi', reference: 'placebo_x' },
          { endpoint: 'SBP_CHG', method: 'mi', reference: 'arb_10mg' },
        ],
      },
      dir,
    );
    let err: SpecError | undefined;
    try {
      loadProtocol(file);
    } catch (e) {
      err = e as SpecError;
    }
    expect(err?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'analysis.primary.0.method: "mi" does not apply to a responder endpoint; use chisq or fisher or logistic',
      'analysis.secondary.0.imputation: imputation applies to mi (multiple imputation), not mmrm',
      'analysis.secondary.0.delta: delta applies to mi (multiple imputation), not mmrm',
      'analysis.secondary.1.reference: "placebo_x" is not an arm (did you mean "placebo"?); arms: placebo, arb_10mg, arb_20mg, arb_40mg, arb_80mg',
      'analysis.secondary.2.reference: the reference arm must be the control arm (placebo): each comparison imputes from its own two arms\' model, so another active arm cannot be the reference',
    ]);
    const range = withPlan('protocols/hypertension-dose-ranging.yaml', { primary: [{ endpoint: 'SBP_CHG', method: 'mi', imputations: 1 }] }, dir);
    expect(() => loadProtocol(range)).toThrow(/imputations/);
  });
});
