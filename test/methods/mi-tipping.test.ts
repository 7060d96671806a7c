/**
 * mi's tipping-point analysis and its reference arm: the deltas of a range, the judgement of
 * each delta and the interpolated tipping delta, the analysis on a fixed dataset (the same
 * imputations for every delta: the estimate is exactly linear in delta and equals the main
 * analysis at its own delta), tipping-point.csv and the note in efficacy.csv of a run and of
 * `vtrial analyze`, and that the reference of reference-based imputation is each comparison's
 * control arm (multi-arm and hybrid external-control protocols).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { analysisMethod } from '../../src/methods/registry.js';
import { tippingDeltas } from '../../src/methods/mi.js';
import type { Comparison, Estimate, TippingPointRow } from '../../src/methods/method.js';
import type { AnalysisItem } from '../../src/spec/analysis-schema.js';
import { tippingPoint } from '../../src/analysis/tipping-point.js';
import { createStream, type Source } from '../../src/random/stream.js';
import { normal } from '../../src/stats/mi-impute.js';
import { runCommand } from '../../src/app/run-command.js';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { loadProtocol } from '../../src/io/load-specs.js';
import type { SpecError } from '../../src/spec/spec-error.js';
import { tempDir } from '../helpers.js';

const item = (over: Partial<AnalysisItem> = {}): AnalysisItem => ({ endpoint: 'Y', method: 'mi', covariates: ['BASE'], missing: 'exclude', ties: 'efron', ...over });
const row = (delta: number, estimate: number, lower: number, upper: number, p = 0.01): TippingPointRow => ({ delta, estimate, se: 1, lower, upper, statistic: estimate, df: 50, p });

describe('tipping-point deltas and judgement', () => {
  it('a range runs from..to in steps of by, either way, as typed', () => {
    expect(tippingDeltas(item({ tipping_point: { from: 0, to: 1, by: 0.25 } }))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(tippingDeltas(item({ tipping_point: { from: 0, to: -1, by: 0.5 } }))).toEqual([0, -0.5, -1]);
    expect(tippingDeltas(item({ tipping_point: { from: 0, to: 0.3, by: 0.1 } }))).toEqual([0, 0.1, 0.2, 0.3]);
    expect(tippingDeltas(item({ tipping_point: { deltas: [0, 2, 5] } }))).toEqual([0, 2, 5]);
    expect(tippingDeltas(item())).toEqual([]);
  });

  it('significance lost between two deltas: the CI bound nearer 0 interpolated to 0', () => {
    // direction decrease: significant while upper < 0; upper −0.5 at delta 1, +1.5 at delta 2: 1 + 0.5 / 2 = 1.25.
    const t = tippingPoint([row(0, -3, -5, -1), row(1, -2.5, -4.5, -0.5), row(2, -1.5, -4.5, 1.5), row(3, -1, -3, 1)], 'two', 'decrease');
    expect(t.tippingDelta).toBe(1.25);
    expect(t.rows.map((r) => r.significant)).toEqual([true, true, false, false]);
    expect(t.rows.every((r) => r.tippingDelta === 1.25)).toBe(true);
    expect(t.note).toBe('tipping point: significance lost at delta 1.25 (interpolated between 1 and 2)');
    // One-sided: p halves in the favourable direction, 1 − p/2 against it.
    const one = tippingPoint([row(0, -3, -5, -1, 0.02), row(-1, 1, 0.5, 2, 0.2)], 'one', 'decrease');
    expect(one.rows.map((r) => r.p)).toEqual([0.01, 0.9]);
    // increase: the lower bound; without a direction, the side of the first estimate.
    expect(tippingPoint([row(0, 3, 1, 5), row(-1, 1, -1, 3)], 'two', 'increase').tippingDelta).toBe(-0.5);
    expect(tippingPoint([row(0, 3, 1, 5), row(-1, 1, -1, 3)], 'two', undefined).tippingDelta).toBe(-0.5);
  });

  it('never lost within the deltas, or already lost at the first: NA with a note', () => {
    const always = tippingPoint([row(0, -3, -5, -1), row(1, -2.5, -4.5, -0.5)], 'two', 'decrease');
    expect([always.tippingDelta, always.note]).toEqual([null, 'tipping point: significant at every delta from 0 to 1 (NA within the range)']);
    const never = tippingPoint([row(0, -1, -3, 1), row(1, -0.5, -2.5, 1.5)], 'two', 'decrease');
    expect([never.tippingDelta, never.note]).toEqual([null, 'tipping point: not significant at delta 0 already (NA)']);
  });
});

/** 200 subjects, 4 visits, a real effect of −2 at the last visit and about a third leaving early (MAR). */
function trial(): Comparison {
  const V = 4;
  const perArm = 100;
  const src: Source = createStream({ seed: 77, replicate: 0, patient: -1, purpose: 'tipping-trial' });
  const n = 2 * perArm;
  const values = new Float64Array(n * V);
  const base = new Float64Array(n);
  const treatment = Float64Array.from({ length: n }, (_, k) => (k < perArm ? 1 : 0));
  for (let k = 0; k < n; k++) {
    base[k] = normal(src);
    let gone = false;
    let e = 0;
    for (let j = 0; j < V; j++) {
      e = 0.7 * e + 1.5 * normal(src);
      const y = -0.5 * (j + 1) - treatment[k]! * 0.5 * (j + 1) + 0.6 * base[k]! + e;
      values[k * V + j] = gone ? NaN : y;
      if (!gone && j < V - 1 && src() < 1 / (1 + Math.exp(2.2 - 1.2 * (y + 1)))) gone = true;
    }
  }
  return {
    nArm: perArm,
    nControl: perArm,
    value: Float64Array.from({ length: n }, (_, k) => values[k * V + V - 1]!),
    time: new Float64Array(n).fill(NaN),
    event: new Float64Array(n).fill(NaN),
    treatment,
    covariates: { BASE: base },
    repeated: { visits: ['W1', 'W2', 'W3', 'W4'], values },
    random: () => createStream({ seed: 77, replicate: 0, patient: -1, purpose: 'imputation/0/1' }),
  };
}

describe('tipping point on a fixed dataset (the MI stream seeded per comparison)', () => {
  const c = trial();
  const deltas = { from: 0, to: 3, by: 0.5 };
  const e = analysisMethod('mi').compare({ ...c, tippingPoint: true }, item({ imputations: 20, imputation: 'jump_to_reference', delta: 1, tipping_point: deltas }), 0.95) as Estimate;
  const rows = e.tippingPoint!;

  it('one row per delta; at the item\u2019s own delta it is the main analysis, and without the request there is none', () => {
    expect(rows.map((r) => r.delta)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3]);
    expect(rows[2]).toMatchObject({ estimate: e.estimate, se: e.se, lower: e.ci[0], upper: e.ci[1], p: e.p });
    const plain = analysisMethod('mi').compare(c, item({ imputations: 20, imputation: 'jump_to_reference', delta: 1, tipping_point: deltas }), 0.95) as Estimate;
    expect(plain.tippingPoint).toBeUndefined();
    expect({ ...plain }).toEqual(Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'tippingPoint')));
  });

  it('common random numbers: the pooled estimate is exactly linear in delta (slope: the share of active subjects imputed at the endpoint)', () => {
    const imputed = Array.from({ length: c.nArm }, (_, i) => Number.isNaN(c.repeated!.values[i * 4 + 3]!)).filter(Boolean).length;
    const slope = (rows[6]!.estimate - rows[0]!.estimate) / 3;
    // ANCOVA's treatment coefficient moves by delta times the imputed share of its arm (BASE barely differs between them).
    expect(slope).toBeGreaterThan(0.5 * (imputed / c.nArm));
    expect(slope).toBeLessThan(1.5 * (imputed / c.nArm));
    for (let k = 1; k < rows.length - 1; k++) expect(rows[k + 1]!.estimate - 2 * rows[k]!.estimate + rows[k - 1]!.estimate).toBeCloseTo(0, 10);
  });

  it('exact values: estimate at delta 0, and the tipping delta', () => {
    const t = tippingPoint(rows, 'two', 'decrease');
    expect(rows[0]!.estimate).toBeCloseTo(-1.9343425278779844, 10);
    expect(rows[6]!.upper).toBeCloseTo(0.023625841012328452, 10);
    // Lost between 2.5 (upper −0.16662) and 3 (upper +0.02363): 2.5 + 0.5 · 0.16662 / (0.16662 + 0.02363) = 2.93791.
    expect(t.tippingDelta).toBeCloseTo(2.937907967715348, 10);
    expect(t.tippingDelta).toBeCloseTo(2.5 + (0.5 * 0.1666227314938767) / (0.1666227314938767 + 0.023625841012328452), 12);
    expect(t.rows.map((r) => r.significant)).toEqual([true, true, true, true, true, true, false]);
  });
});

const REPO = fileURLToPath(new URL('../..', import.meta.url));

function withPlan(protocol: string, analysis: unknown, dir: string, edit?: (spec: Record<string, unknown>) => void, name = 'protocol.yaml'): string {
  const spec = parseYaml(readFileSync(join(REPO, protocol), 'utf8')) as Record<string, unknown>;
  spec.cohort = resolve(REPO, 'protocols', String(spec.cohort));
  spec.analysis = analysis;
  delete spec.scenarios;
  edit?.(spec);
  const file = join(dir, name);
  writeFileSync(file, stringifyYaml(spec));
  return file;
}
const csv = (file: string) => parseCsv(readFileSync(file), { columns: true }) as Record<string, string>[];

describe('tipping point in a run and in vtrial analyze', () => {
  it('writes tipping-point.csv (one row per comparison and delta) and the tipping delta in efficacy.csv\u2019s note; analyze writes the same', async () => {
    const dir = tempDir('vtrial-mi-tp-');
    const plan = { primary: [{ endpoint: 'SBP_CHG', method: 'mi', covariates: ['BASE'], imputation: 'jump_to_reference', imputations: 10, tipping_point: { deltas: [0, 5, 10] } }] };
    const file = withPlan('protocols/hypertension-dose-ranging.yaml', plan, dir);
    await runCommand({ protocolFile: file, seed: 3, out: join(dir, 'run'), force: false });
    const tp = csv(join(dir, 'run', 'tipping-point.csv'));
    expect(tp).toHaveLength(4 * 3);
    expect(Object.keys(tp[0]!)).toEqual(['endpoint', 'role', 'method', 'covariates', 'arm', 'control', 'imputation', 'imputations', 'delta', 'estimate', 'se', 'lower', 'upper', 'statistic', 'df', 'p', 'alpha', 'sided', 'significant', 'tipping_delta']);
    const eff = csv(join(dir, 'run', 'efficacy.csv'));
    for (const r of eff) {
      const mine = tp.filter((t) => t.arm === r.arm);
      expect(mine.map((t) => t.delta)).toEqual(['0', '5', '10']);
      // delta 0 is the item's own analysis (no delta): the same numbers as efficacy.csv.
      expect([mine[0]!.estimate, mine[0]!.lower, mine[0]!.upper, mine[0]!.p]).toEqual([r.estimate, r.lower, r.upper, r.p]);
      expect(mine[0]!.control).toBe('placebo');
      expect(r.note).toMatch(/; tipping point: (significance lost at delta [-0-9.]+ \(interpolated between \d+ and \d+\)|significant at every delta from 0 to 10 \(NA within the range\)|not significant at delta 0 already \(NA\))$/);
    }
    await analyzeCommand({ dir: join(dir, 'run'), protocolFile: file, out: join(dir, 'analyzed'), force: false });
    expect(readFileSync(join(dir, 'analyzed', 'tipping-point.csv'), 'utf8')).toBe(readFileSync(join(dir, 'run', 'tipping-point.csv'), 'utf8'));
    // Without tipping_point there is no file.
    await runCommand({ protocolFile: withPlan('protocols/hypertension-dose-ranging.yaml', { primary: [{ ...plan.primary[0], tipping_point: undefined }] }, dir, undefined, 'plain.yaml'), seed: 3, out: join(dir, 'plain'), force: false });
    expect(existsSync(join(dir, 'plain', 'tipping-point.csv'))).toBe(false);
  });

  it('spec errors: tipping_point on another method, both a list and a range, a range without its step', () => {
    const dir = tempDir('vtrial-mi-tp-');
    const file = withPlan(
      'protocols/hypertension-dose-ranging.yaml',
      {
        primary: [{ endpoint: 'SBP_CHG', method: 'mmrm', tipping_point: { deltas: [0, 1] } }],
        secondary: [
          { endpoint: 'SBP_CHG', method: 'mi', tipping_point: { deltas: [0, 1], from: 0, to: 1, by: 1 } },
          { endpoint: 'SBP_CHG', method: 'mi', tipping_point: { from: 0, to: 1 } },
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
    const messages = err?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(messages).toEqual([
      'analysis.primary.0.tipping_point: tipping_point applies to mi (multiple imputation), not mmrm',
      'analysis.secondary.0.tipping_point: give either deltas: [...] or from, to and by, found a mapping',
      'analysis.secondary.1.tipping_point: a range needs from, to and by, found a mapping',
    ]);
  });
});

describe('the reference arm of reference-based imputation is each comparison\u2019s control arm', () => {
  const plan = { primary: [{ endpoint: 'SBP_CHG', method: 'mi', covariates: ['BASE'], imputation: 'jump_to_reference', imputations: 10 }] };

  it('several active arms: a comparison does not depend on another active arm (the reference is placebo, not a dose)', async () => {
    const dir = tempDir('vtrial-mi-ref-');
    const a = await runCommand({ protocolFile: withPlan('protocols/hypertension-dose-ranging.yaml', plan, dir, undefined, 'a.yaml'), seed: 5, out: join(dir, 'a'), force: false });
    // The 10 mg arm made ineffective (a dose of 0.001 mg): the 80 mg arm's comparison with placebo is unchanged to the last digit.
    const b = await runCommand({
      protocolFile: withPlan('protocols/hypertension-dose-ranging.yaml', plan, dir, (s) => ((s.arms as { treatment: { dose: number } }[])[1]!.treatment.dose = 0.001), 'b.yaml'),
      seed: 5,
      out: join(dir, 'b'),
      force: false,
    });
    const pick = (r: typeof a, arm: string) => r.efficacy.find((e) => e.arm === arm)!;
    expect(pick(a, 'arb_10mg').estimate).not.toBe(pick(b, 'arb_10mg').estimate);
    expect(pick(b, 'arb_80mg')).toEqual(pick(a, 'arb_80mg'));
    expect(a.efficacy.map((e) => e.control)).toEqual(['placebo', 'placebo', 'placebo', 'placebo']);
    // An explicit reference: placebo is the default.
    const c = await runCommand({ protocolFile: withPlan('protocols/hypertension-dose-ranging.yaml', { primary: [{ ...plan.primary[0], reference: 'placebo' }] }, dir, undefined, 'c.yaml'), seed: 5, out: join(dir, 'c'), force: false });
    expect(c.efficacy).toEqual(a.efficacy);
  });

  it('a hybrid control arm: the reference is the control arm with its external twins', async () => {
    const dir = tempDir('vtrial-mi-ref-');
    const twinPlan = { primary: [{ endpoint: 'HBA1C_W30', method: 'mi', covariates: ['BASE'], imputation: 'copy_reference', imputations: 10 }], secondary: [{ endpoint: 'HBA1C_W30', method: 'ancova', covariates: ['BASE'] }] };
    const file = withPlan('protocols/t2d-twin-controls.yaml', twinPlan, dir, (s) => ((s.control_arm as { external_cohort: string }).external_cohort = resolve(REPO, 'protocols', '../cohorts/t2d-empirical.yaml')));
    const r = await runCommand({ protocolFile: file, seed: 2, out: join(dir, 'run'), force: false });
    const [mi, ancova] = r.efficacy;
    expect(mi!.control).toBe('placebo');
    // The randomised placebo twins plus the external twins are the comparison's control, and mi's reference.
    const adsl = csv(join(dir, 'run', 'adsl.csv'));
    const external = adsl.filter((x) => x.EXTFL === 'Y').length;
    const placebo = adsl.filter((x) => x.RANDFL === 'Y' && x.TRT01P === 'placebo').length;
    expect([external, placebo]).toEqual([100, 100]);
    // mi analyses every control subject with any post-baseline value, ANCOVA those with the endpoint's visit.
    expect(mi!.nControl).toBeGreaterThan(placebo);
    expect(mi!.nControl).toBeLessThanOrEqual(placebo + external);
    expect(mi!.nControl).toBeGreaterThanOrEqual(ancova!.nControl!);
  });
});
