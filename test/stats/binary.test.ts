import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../src/stats/clopper-pearson.js';
import { fisherExact } from '../../src/stats/fisher-exact.js';
import { estimated, isNotEstimable } from '../../src/stats/not-estimable.js';
import { oddsRatio, pearsonChiSquare, relativeRisk, riskDifference } from '../../src/stats/two-by-two.js';
import { dataset, expectAllR, expectR, R } from './reference.js';

const data = dataset('binary');
const count = (arm: string) => {
  const rows = data.filter((r) => r.ARM === arm);
  return [rows.filter((r) => r.RESP === '1').length, rows.length] as const;
};
const [e1, n1] = count('ACTIVE');
const [e2, n2] = count('PLACEBO');
const B = R.binary;

describe('binary endpoints match R on binary.csv', () => {
  it('risk difference with Wald CI', () => {
    const r = estimated(riskDifference(e1, n1, e2, n2));
    expectR(r.estimate, B.risk_difference.estimate);
    expectAllR(r.ci, B.risk_difference.wald_ci);
  });
  it('relative risk with log CI', () => {
    const r = relativeRisk(e1, n1, e2, n2);
    expectR(r.estimate, B.relative_risk.estimate);
    expectAllR(r.ci, B.relative_risk.log_ci);
  });
  it("odds ratio with Woolf's CI", () => {
    const r = oddsRatio(e1, n1, e2, n2);
    expectR(r.estimate, B.odds_ratio.estimate);
    expectAllR(r.ci, B.odds_ratio.woolf_ci);
  });
  it('Pearson chi-square without continuity correction', () => {
    const r = pearsonChiSquare(e1, n1, e2, n2);
    expectR(r.statistic, B.chisq.statistic);
    expectR(r.p, B.chisq.p);
  });
  it("Fisher's exact test: p, conditional MLE odds ratio and its CI", () => {
    const r = fisherExact(e1, n1 - e1, e2, n2 - e2);
    expectR(r.p, B.fisher.p, 'p');
    expectR(r.estimate, B.fisher.conditional_mle_or, 'mle');
    expectAllR(r.ci, B.fisher.ci, 'ci');
  });
  it("Fisher's exact test on the small table", () => {
    const [a11, a21, a12, a22] = B.fisher_small.table as number[];
    const r = fisherExact(a11!, a12!, a21!, a22!);
    expectR(r.p, B.fisher_small.p, 'p');
    expectR(r.estimate, B.fisher_small.conditional_mle_or, 'mle');
  });
  it('Clopper-Pearson CI of the active response rate', () => {
    const r = clopperPearson(e1, n1);
    expectR(r.estimate, B.clopper_pearson_active.estimate);
    expectAllR(r.ci, B.clopper_pearson_active.ci);
  });
  it('zero cells give clear results (NA where undefined), not crashes', () => {
    expect(estimated(riskDifference(0, 20, 3, 20)).estimate).toBeCloseTo(-0.15, 12);
    expect(relativeRisk(0, 20, 3, 20).ci.every(Number.isNaN)).toBe(true);
    expect(relativeRisk(0, 20, 3, 20).estimate).toBe(0);
    expect(oddsRatio(0, 20, 3, 20).ci.every(Number.isNaN)).toBe(true);
    const f = fisherExact(0, 20, 3, 17);
    expect(f.estimate).toBe(0);
    expect(f.ci[0]).toBe(0);
    expect(f.ci[1]).toBeGreaterThan(0);
    // Hand computation: P(X=0) = P(X=3) = (20·19·18)/(40·39·38) and both tails count: 6/26.
    expect(f.p).toBeCloseTo(6 / 26, 12);
    expect(clopperPearson(0, 20).ci[0]).toBe(0);
    expect(clopperPearson(20, 20).ci[1]).toBe(1);
    expect(Number.isNaN(pearsonChiSquare(0, 20, 0, 20).p)).toBe(true);
  });
  it('Fisher: its reused workspace gives identical results whatever the order and size of earlier tables', () => {
    const tables: [number, number, number, number][] = [[150, 150, 120, 180], [7, 3, 1, 9], [0, 20, 3, 17], [40, 260, 60, 240]];
    const first = tables.map((t) => fisherExact(...t));
    const again = [...tables].reverse().map((t) => fisherExact(...t)).reverse();
    expect(again).toEqual(first);
    expect(fisherExact(7, 3, 1, 9)).toEqual(first[1]);
  });
  it.each([
    ['complete separation, 20 per arm', 0, 20, 20, 20, -1],
    ['complete separation, 1 per arm', 1, 1, 0, 1, 1],
    ['everyone responds', 20, 20, 20, 20, 0],
    ['nobody responds', 0, 20, 0, 20, 0],
  ])('risk difference with a zero Wald standard error is not estimable, the exact difference kept: %s', (_, a, n, c, m, d) => {
    const r = riskDifference(a, n, c, m);
    expect(isNotEstimable(r)).toBe(true);
    expect(r.estimate).toBe(d);
    if (isNotEstimable(r)) expect(r.reason).toMatch(/every proportion is 0 or 1/);
  });
  it('relative risk with everyone responding in both groups has NA bounds, not [1, 1]', () => {
    const r = relativeRisk(20, 20, 20, 20);
    expect(r.estimate).toBe(1);
    expect(r.ci.every(Number.isNaN)).toBe(true);
    expect(oddsRatio(20, 20, 20, 20).ci.every(Number.isNaN)).toBe(true);
  });
});
