import { describe, it } from 'vitest';
import { estimated } from '../../src/stats/not-estimable.js';
import { pooledTTest, welchTTest } from '../../src/stats/t-test.js';
import { dataset, expectAllR, expectR, R } from './reference.js';

const data = dataset('continuous');
const chg = (arm: string) => data.filter((r) => r.ARM === arm).map((r) => Number(r.CHG));

describe('two-sample t-tests match R t.test on continuous.csv', () => {
  it('Welch', () => {
    const r = estimated(welchTTest(chg('ACTIVE'), chg('PLACEBO')));
    const e = R.continuous.welch;
    expectR(r.estimate, e.diff, 'diff');
    expectR(r.t, e.t, 't');
    expectR(r.df, e.df, 'df');
    expectR(r.p, e.p, 'p');
    expectAllR(r.ci, e.ci, 'ci');
  });
  it('pooled (var.equal = TRUE)', () => {
    const r = estimated(pooledTTest(chg('ACTIVE'), chg('PLACEBO')));
    const e = R.continuous.pooled;
    expectR(r.t, e.t, 't');
    expectR(r.df, e.df, 'df');
    expectR(r.p, e.p, 'p');
    expectAllR(r.ci, e.ci, 'ci');
  });
});
