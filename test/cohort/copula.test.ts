import { describe, expect, it } from 'vitest';
import { sampleCorrelation, sampleRankCorrelation } from 'simple-statistics';
import { cohortIssues, cohortModel, column, expectMoments, twins } from '../helpers.js';

const R = [
  [1, 0.6, -0.3, 0.2],
  [0.6, 1, 0.1, 0.4],
  [-0.3, 0.1, 1, -0.5],
  [0.2, 0.4, -0.5, 1],
];
const N = 60_000;

function cohortWith(matrix: number[][], variables = ['a', 'b', 'c', 'd'], dists = '') {
  return `
name: correlated
covariates:
  a: { dist: normal, mean: 50, sd: 10 }
  b: { dist: normal, mean: 0, sd: 1 }
  c: { dist: normal, mean: 5, sd: 2 }
  d: { dist: normal, mean: -3, sd: 0.5 }
  g: { dist: gamma, shape: 2, rate: 1 }
  l: { dist: lognormal, meanlog: 0, sdlog: 0.8 }
  u: { dist: uniform, min: 0, max: 1 }
  k: { dist: categorical, levels: [x, y], p: [0.5, 0.5] }
  f: { derive: "a + b" }
${dists}
correlation:
  variables: [${variables.join(', ')}]
  matrix: ${JSON.stringify(matrix)}
`;
}

describe('Gaussian copula', () => {
  it('recovers the requested correlation matrix with normal marginals (within 0.02)', () => {
    const rows = twins(cohortModel(cohortWith(R)), N, 11);
    const v = ['a', 'b', 'c', 'd'];
    for (let i = 0; i < 4; i++) {
      for (let j = i + 1; j < 4; j++) {
        expect(Math.abs(sampleCorrelation(column(rows, v[i]!), column(rows, v[j]!)) - R[i]![j]!)).toBeLessThan(0.02);
      }
    }
    // Marginals intact.
    expectMoments(column(rows, 'a'), 50, 100);
    expectMoments(column(rows, 'd'), -3, 0.25);
  });

  it('keeps non-normal marginals exact and gives Spearman rho = (6/pi) asin(r/2)', () => {
    const r = [
      [1, 0.7, -0.4],
      [0.7, 1, 0.3],
      [-0.4, 0.3, 1],
    ];
    const rows = twins(cohortModel(cohortWith(r, ['g', 'l', 'u'])), N, 12);
    const v = ['g', 'l', 'u'];
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) {
        const expected = (6 / Math.PI) * Math.asin(r[i]![j]! / 2);
        expect(Math.abs(sampleRankCorrelation(column(rows, v[i]!), column(rows, v[j]!)) - expected)).toBeLessThan(0.02);
      }
    }
    expectMoments(column(rows, 'g'), 2, 2);
    expectMoments(column(rows, 'l'), Math.exp(0.32), (Math.exp(0.64) - 1) * Math.exp(0.64));
    expectMoments(column(rows, 'u'), 0.5, 1 / 12);
  });

  it('leaves covariates outside the matrix uncorrelated', () => {
    const rows = twins(cohortModel(cohortWith(R)), N, 13);
    expect(Math.abs(sampleCorrelation(column(rows, 'a'), column(rows, 'g')))).toBeLessThan(0.025);
  });
});

describe('invalid correlation matrices are spec errors naming the entry', () => {
  const problems = (m: number[][], vars?: string[]) => cohortIssues(cohortWith(m, vars)).issues;

  it('not symmetric', () => {
    const m = R.map((r) => [...r]);
    m[0]![1] = 0.5;
    const issues = problems(m);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(['correlation', 'matrix', 0, 1]);
    expect(issues[0]!.message).toMatch(/not symmetric/);
  });
  it('an entry outside [-1, 1] and a diagonal that is not 1', () => {
    const m = R.map((r) => [...r]);
    m[1]![3] = 1.2;
    m[3]![1] = 1.2;
    m[2]![2] = 0.9;
    const msgs = problems(m).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(msgs).toContain('correlation.matrix.1.3: a correlation must lie in [-1, 1], found 1.2');
    expect(msgs).toContain('correlation.matrix.2.2: a diagonal entry must be 1, found 0.9');
  });
  it('not positive definite', () => {
    const m = [
      [1, 0.9, -0.9],
      [0.9, 1, 0.9],
      [-0.9, 0.9, 1],
    ];
    const issues = problems(m, ['a', 'b', 'c']);
    expect(issues.map((i) => i.message).join()).toMatch(/not positive definite/);
  });
  it('wrong size, unknown, categorical and derived variables', () => {
    expect(problems([[1, 0], [0, 1]], ['a', 'b', 'c'])[0]!.message).toMatch(/expected a 3 x 3 matrix/);
    const msgs = problems([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], ['a', 'zz', 'k', 'f']).map((i) => i.message);
    expect(msgs).toEqual([
      '"zz" is not a covariate of this cohort',
      expect.stringMatching(/"k" cannot be correlated: only continuous/),
      '"f" cannot be correlated: it is derived by a formula, not drawn',
    ]);
  });
});
