/**
 * Validation by simulation (README "Intercurrent events and estimands"): over replicates of small
 * dedicated protocols, each analysis' estimate against its own estimand's truth (bias within 3
 * Monte Carlo SEs, 95% CI coverage within 3 MC SEs of 0.95) and the analyses that must miss.
 *  - estimand-mar.yaml: values after rescue (decided on the value just observed) and after
 *    discontinuation are missing at random; MMRM and MI (mar) estimate the hypothetical estimand,
 *    ANCOVA of the patients still on treatment and unrescued at the endpoint is biased.
 *  - estimand-policy.yaml: the drug's effect is lost at discontinuation and patients are
 *    retrieved; ANCOVA on all observed data (treatment policy) and jump-to-reference MI (after
 *    discarding the off-treatment values) land on the treatment-policy truth, MMRM (hypothetical)
 *    on the hypothetical one, far from it. Rubin's variance is conservative under jump to reference:
 *    its coverage is asserted to be at least nominal and, as expected, above the 3 MC SE band.
 */
import { describe, expect, it } from 'vitest';
import { loadProtocol } from '../../src/io/load-specs.js';
import { simulateTrial } from '../../src/trial/simulate-trial.js';
import { trialSource } from '../../src/analysis/trial-source.js';
import { efficacy } from '../../src/analysis/efficacy.js';

const R = 400;
const SEED = 7;

interface Summary {
  /** Mean estimate, mean truth, mean(estimate − truth) and its MC SE, coverage of the truth. */
  estimate: number;
  truth: number;
  bias: number;
  se: number;
  coverage: number;
  /** Mean of the analysis' own SEs, and the SD of its estimates over replicates (what the SE should match). */
  meanSe: number;
  sd: number;
  /** Per replicate, for comparisons with another row's truth. */
  estimates: number[];
  truths: number[];
  cis: [number, number][];
}

function simulate(name: string): Summary[] {
  const p = loadProtocol(`test/fixtures/protocols/${name}`);
  const model = p.trial!;
  const names = new Set(p.cohort.model.columns.map((c) => c.name));
  const rows: { est: number[]; se: number[]; truth: number[]; ci: [number, number][]; covered: number }[] = [];
  for (let r = 0; r < R; r++) {
    const trial = simulateTrial(p.cohort.model, p.criteria, model, { seed: SEED, replicate: r, target: p.spec.enrolment.target, maxScreened: 100000, keepScreened: false });
    efficacy(model, p.spec.analysis!, trialSource(model, trial, names), { seed: SEED, replicate: r }).forEach((x, i) => {
      const a = (rows[i] ??= { est: [], se: [], truth: [], ci: [], covered: 0 });
      a.est.push(x.estimate!);
      a.se.push(x.se!);
      a.ci.push([x.lower!, x.upper!]);
      a.truth.push(x.trueEffect!);
      if (x.lower! <= x.trueEffect! && x.trueEffect! <= x.upper!) a.covered++;
    });
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return rows.map((a) => {
    const d = a.est.map((x, i) => x - a.truth[i]!);
    const m = mean(d);
    const sd = Math.sqrt(d.reduce((s, x) => s + (x - m) ** 2, 0) / (d.length - 1));
    const e = mean(a.est);
    const sdEstimate = Math.sqrt(a.est.reduce((s, x) => s + (x - e) ** 2, 0) / (R - 1));
    const out = { estimate: e, truth: mean(a.truth), bias: m, se: sd / Math.sqrt(R), coverage: a.covered / R, meanSe: mean(a.se), sd: sdEstimate, estimates: a.est, truths: a.truth, cis: a.ci };
    return out;
  });
}

/** 3 MC SEs of a coverage of 0.95 over R replicates (0.0327 for R = 400). */
const COVERAGE_TOLERANCE = 3 * Math.sqrt((0.95 * 0.05) / R);
/** 3 MC SEs of the ratio of a mean SE to the SD of normal estimates over R replicates (relative SE of an SD: 1/√(2(R − 1)); 0.106 for R = 400). */
const SE_RATIO_TOLERANCE = 3 / Math.sqrt(2 * (R - 1));

describe('estimands by simulation', () => {
  it('missing at random after rescue and discontinuation: MMRM and MI (mar) hit the hypothetical estimand, completers-on-treatment ANCOVA does not', () => {
    const [mmrm, mi, ancova] = simulate('estimand-mar.yaml');
    // The hypothetical truth: drug on throughout, no rescue (the drug effect at week 24, the same for every twin here).
    expect(mmrm!.truth).toBeCloseTo(-1.1806, 4);
    // Measured (seed 7, 400 replicates): MMRM bias 0.0083 (MC SE 0.0068), coverage 0.9425; MI bias 0.0089 (0.0069), 0.945.
    for (const s of [mmrm!, mi!]) {
      expect(Math.abs(s.bias)).toBeLessThan(3 * s.se);
      expect(Math.abs(s.coverage - 0.95)).toBeLessThan(COVERAGE_TOLERANCE);
      // Their SEs estimate the sampling SD (Rubin's rules are valid under MAR): mean SE / SD 0.975 (MMRM), 0.969 (MI).
      expect(Math.abs(s.meanSe / s.sd - 1)).toBeLessThan(SE_RATIO_TOLERANCE);
    }
    // ANCOVA at week 24 sees only the unrescued patients still on treatment: more placebo patients are rescued
    // (their values were high), so the placebo mean drops and the effect shrinks: bias 0.186 (MC SE 0.0069), coverage 0.735.
    expect(ancova!.bias).toBeGreaterThan(3 * ancova!.se);
    expect(ancova!.bias).toBeGreaterThan(0.15);
    expect(ancova!.coverage).toBeLessThan(0.95 - COVERAGE_TOLERANCE);
  });

  it('effect lost at discontinuation, patients retrieved: treatment-policy ANCOVA and jump-to-reference MI land on the treatment-policy truth, MMRM (hypothetical) does not', () => {
    const [policy, j2r, mmrm] = simulate('estimand-policy.yaml');
    // Truths: treatment policy ≈ P(on treatment at week 24) × the hypothetical effect = e^(−1.2·168/365) × −1.18 ≈ −0.68.
    expect(policy!.truth).toBeCloseTo(-0.6814, 3);
    expect(j2r!.truth).toBe(policy!.truth);
    expect(mmrm!.truth).toBeCloseTo(-1.1806, 4);
    // Measured: ANCOVA bias 0.0023 (MC SE 0.0060), coverage 0.9475; J2R bias 0.0040 (0.0046), coverage 0.9925; MMRM 0.0070 (0.0065), 0.960.
    for (const s of [policy!, j2r!, mmrm!]) expect(Math.abs(s.bias)).toBeLessThan(3 * s.se);
    // Coverage within 3 MC SEs of 0.95 where the variance estimator is valid for the estimand.
    for (const s of [policy!, mmrm!]) expect(Math.abs(s.coverage - 0.95)).toBeLessThan(COVERAGE_TOLERANCE);
    // Jump to reference: Rubin's variance is conservative under reference-based imputation (Seaman, White &
    // Leacy 2014; Cro, Carpenter & Kenward 2019: it is "information-anchored", keeping the share of information
    // the MAR analysis loses, larger than the repeated-sampling variance of the J2R estimator). So its coverage
    // is not within 3 MC SEs of 0.95 but above it: never below 0.95 − 3 MC SE (the interval is valid), and
    // above 0.95 + 3 MC SE because the mean Rubin SE exceeds the SD of the estimates (measured 0.1322 against
    // 0.1010, ratio 1.31), by more than the SD's own MC error.
    expect(j2r!.coverage).toBeGreaterThanOrEqual(0.95 - COVERAGE_TOLERANCE);
    expect(j2r!.coverage).toBeGreaterThan(0.95 + COVERAGE_TOLERANCE);
    expect(j2r!.meanSe / j2r!.sd).toBeGreaterThan(1 + SE_RATIO_TOLERANCE);
    // MMRM against the treatment-policy truth: off by the lost effect (−0.49), the others within 3 SEs of it.
    const offPolicy = mmrm!.estimates.map((x, i) => x - policy!.truths[i]!);
    const offMean = offPolicy.reduce((s, x) => s + x, 0) / R;
    expect(offMean).toBeLessThan(-0.4);
    const ordering = [policy!, j2r!].map((s) => Math.abs(s.bias));
    for (const b of ordering) expect(b).toBeLessThan(Math.abs(offMean) / 10);
    // How often MMRM's interval covers the treatment-policy truth: seldom (measured 0.02).
    const mmrmCovers = mmrm!.cis.filter(([lo, hi], i) => lo <= policy!.truths[i]! && policy!.truths[i]! <= hi).length;
    expect(mmrmCovers / R).toBeLessThan(0.1);
  });
});
