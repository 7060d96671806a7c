import { describe, expect, it } from 'vitest';
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalPdf from '@stdlib/stats-base-dists-normal-pdf';
import { cohortModel, column, expectMoments, twins } from '../helpers.js';

const N = 100_000;
const model = cohortModel(`
name: every distribution
covariates:
  x_normal: { dist: normal, mean: 10, sd: 2 }
  x_trunc: { dist: truncnormal, mean: 0, sd: 1, lower: -1, upper: 2 }
  x_trunc_tail: { dist: truncnormal, mean: 0, sd: 1, lower: 2 }
  x_lognormal: { dist: lognormal, meanlog: 1, sdlog: 0.5 }
  x_uniform: { dist: uniform, min: 2, max: 5 }
  x_gamma: { dist: gamma, shape: 2.5, rate: 0.5 }
  x_beta: { dist: beta, shape1: 2, shape2: 5 }
  x_bernoulli: { dist: bernoulli, p: 0.3 }
  x_poisson: { dist: poisson, lambda: 4.2 }
  x_poisson_big: { dist: poisson, lambda: 40 }
  x_cat: { dist: categorical, levels: [a, b, c], p: [0.2, 0.5, 0.3] }
`);
const rows = twins(model, N, 2026);

/** Mean and variance of N(0,1) truncated to [a, b]. */
function truncatedMoments(a: number, b: number): [number, number] {
  const phi = (x: number) => (Number.isFinite(x) ? normalPdf(x, 0, 1) : 0);
  const Z = normalCdf(b, 0, 1) - normalCdf(a, 0, 1);
  const m = (phi(a) - phi(b)) / Z;
  const ta = Number.isFinite(a) ? a * phi(a) : 0;
  const tb = Number.isFinite(b) ? b * phi(b) : 0;
  return [m, 1 + (ta - tb) / Z - m * m];
}

describe('covariate distributions: mean and variance within 5 Monte Carlo SEs (100,000 twins)', () => {
  it('normal', () => expectMoments(column(rows, 'x_normal'), 10, 4));
  it('truncated normal, both bounds', () => {
    const [m, v] = truncatedMoments(-1, 2);
    expectMoments(column(rows, 'x_trunc'), m, v);
  });
  it('truncated normal, upper tail only (the mirrored computation)', () => {
    const [m, v] = truncatedMoments(2, Infinity);
    expectMoments(column(rows, 'x_trunc_tail'), m, v);
  });
  it('lognormal', () => {
    const [mu, s2] = [1, 0.25];
    expectMoments(column(rows, 'x_lognormal'), Math.exp(mu + s2 / 2), (Math.exp(s2) - 1) * Math.exp(2 * mu + s2));
  });
  it('uniform', () => expectMoments(column(rows, 'x_uniform'), 3.5, 9 / 12));
  it('gamma (shape, rate)', () => expectMoments(column(rows, 'x_gamma'), 5, 10));
  it('beta', () => expectMoments(column(rows, 'x_beta'), 2 / 7, 10 / (49 * 8)));
  it('bernoulli', () => expectMoments(column(rows, 'x_bernoulli'), 0.3, 0.21));
  it('poisson, small and large lambda', () => {
    expectMoments(column(rows, 'x_poisson'), 4.2, 4.2);
    expectMoments(column(rows, 'x_poisson_big'), 40, 40);
    expect(column(rows, 'x_poisson').every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
  });
});

describe('bounds and support', () => {
  it('truncated normal stays inside its bounds', () => {
    const x = column(rows, 'x_trunc');
    expect(Math.min(...x)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...x)).toBeLessThanOrEqual(2);
    expect(Math.min(...column(rows, 'x_trunc_tail'))).toBeGreaterThanOrEqual(2);
  });
  it('uniform and beta stay inside their support', () => {
    const u = column(rows, 'x_uniform');
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(5);
    const b = column(rows, 'x_beta');
    expect(Math.min(...b)).toBeGreaterThan(0);
    expect(Math.max(...b)).toBeLessThan(1);
  });
  it('a far-tail window (mean 0, sd 1, bounds [6, 7]) is sampled without NaN', () => {
    const m = cohortModel('name: tail\ncovariates:\n  x: { dist: truncnormal, mean: 0, sd: 1, lower: 6, upper: 7 }\n');
    const x = column(twins(m, 2000), 'x');
    expect(x.every((v) => v >= 6 && v <= 7)).toBe(true);
    const [mean] = truncatedMoments(6, 7);
    expect(Math.abs(x.reduce((s, v) => s + v, 0) / x.length - mean)).toBeLessThan(0.02);
  });
});

describe('categorical covariates', () => {
  it('level frequencies match their probabilities within 5 SEs', () => {
    const cats = rows.map((r) => r.x_cat);
    for (const [level, p] of [['a', 0.2], ['b', 0.5], ['c', 0.3]] as const) {
      const f = cats.filter((c) => c === level).length / N;
      expect(Math.abs(f - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
    }
  });
  it('parameters given by the level of an earlier categorical covariate', () => {
    const m = cohortModel(`
name: by sex
covariates:
  sex: { dist: categorical, levels: [female, male], p: [0.4, 0.6] }
  weight:
    dist: normal
    mean: { by: sex, values: { female: 70, male: 85 } }
    sd: { by: sex, values: { female: 10, male: 12 } }
  smoker:
    dist: bernoulli
    p: { by: sex, values: { female: 0.1, male: 0.3 } }
`);
    const r = twins(m, 60_000, 3);
    for (const [sex, mean, sd, p] of [['female', 70, 10, 0.1], ['male', 85, 12, 0.3]] as const) {
      const sub = r.filter((t) => t.sex === sex);
      expectMoments(column(sub, 'weight'), mean, sd * sd);
      expectMoments(column(sub, 'smoker'), p, p * (1 - p));
    }
  });
});

describe('rounding and derived covariates', () => {
  it('round: k rounds the drawn value to k decimals; derived formulas see the rounded value', () => {
    const m = cohortModel(`
name: rounding
covariates:
  height: { dist: normal, mean: 170, sd: 8, round: 0 }
  weight: { dist: normal, mean: 80, sd: 10, round: 1 }
  bmi: { derive: "weight / (height / 100) ^ 2", round: 2 }
  obese: { derive: "bmi >= 30 ? \\"yes\\" : \\"no\\"" }
`);
    for (const t of twins(m, 500)) {
      expect(Number.isInteger(t.height)).toBe(true);
      expect(Math.round((t.weight as number) * 10)).toBeCloseTo((t.weight as number) * 10, 9);
      const bmi = (t.weight as number) / ((t.height as number) / 100) ** 2;
      expect(t.bmi).toBe(Math.round(bmi * 100) / 100);
      expect(t.obese).toBe((t.bmi as number) >= 30 ? 'yes' : 'no');
    }
  });
});
