import { describe, expect, it } from 'vitest';
import { cohortIssues, cohortModel, twins } from '../helpers.js';

const LEVELS = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];

describe('names that are Object.prototype keys', () => {
  it('levels named like Object methods draw, look up {by, values} tables and compare', () => {
    const model = cohortModel(`name: c
covariates:
  g: { dist: categorical, levels: [${LEVELS.join(', ')}], p: [0.2, 0.2, 0.2, 0.2, 0.2] }
  x: { dist: normal, mean: { by: g, values: { ${LEVELS.map((l, i) => `${l}: ${i * 10}`).join(', ')} } }, sd: 0.000001 }
  is_ctor: { derive: 'g == "constructor" ? 1 : 0' }
`);
    const rows = twins(model, 200);
    for (const r of rows) {
      expect(r.x).toBeCloseTo(LEVELS.indexOf(r.g as string) * 10, 3);
      expect(r.is_ctor).toBe(r.g === 'constructor' ? 1 : 0);
    }
    expect(new Set(rows.map((r) => r.g))).toEqual(new Set(LEVELS));
  });
  it('a twin row has no prototype: only its own covariates', () => {
    const [row] = twins(cohortModel('name: c\ncovariates:\n  a: { dist: normal, mean: 0, sd: 1 }\n'), 1);
    expect(Object.getPrototypeOf(row)).toBeNull();
    expect((row as Record<string, unknown>).constructor).toBeUndefined();
  });
  it('a {by, values} table missing the level "constructor" is reported, not NaN', () => {
    const { issues } = cohortIssues(`name: c
covariates:
  g: { dist: categorical, levels: [constructor, toString], p: [0.5, 0.5] }
  x: { dist: normal, mean: { by: g, values: { toString: 1 } }, sd: 1 }
`);
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([['covariates.x.mean.values', 'needs a value for every level of g; missing "constructor"']]);
  });
  it('a correlation variable named "toString" is not a covariate', () => {
    const { issues } = cohortIssues('name: c\ncovariates:\n  a: { dist: normal, mean: 0, sd: 1 }\ncorrelation: { variables: [a, toString], matrix: [[1, 0], [0, 1]] }\n');
    expect(issues.map((i) => i.message)).toEqual(['"toString" is not a covariate of this cohort']);
  });
  it('a misspelt dist also reports the entry\'s other problems', () => {
    const { issues } = cohortIssues('name: c\ncovariates:\n  a: { dist: lognormall, meanlog: 0, sdlog: -1, sd: 2 }\n');
    expect(issues.map((i) => i.path.join('.'))).toEqual(['covariates.a.dist', 'covariates.a.sdlog', 'covariates.a.sd']);
  });
  it('a derived category that would start a spreadsheet formula is an error', () => {
    const { issues } = cohortIssues('name: c\ncovariates:\n  a: { dist: normal, mean: 0, sd: 1 }\n  g: { derive: \'a > 0 ? "=1+1" : "low"\' }\n');
    expect(issues.map((i) => i.message)).toEqual(['the level "=1+1" is not allowed: must not begin with =, +, - or @ (a spreadsheet would run it as a formula)']);
  });
});
