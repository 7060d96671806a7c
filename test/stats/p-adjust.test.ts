import { describe, expect, it } from 'vitest';
import { pAdjust } from '../../src/stats/p-adjust.js';
import { expectAllR, R } from './reference.js';

describe('p.adjust', () => {
  const M = R.multiplicity;
  for (const [method, key] of [['bonferroni', 'bonferroni'], ['holm', 'holm'], ['hochberg', 'hochberg'], ['bh', 'bh']] as const) {
    it(`${method} matches R`, () => expectAllR(pAdjust(M.p, method), M[key], method));
  }
  it('keeps the input order and handles ties and unsorted input', () => {
    expect(pAdjust([0.04, 0.01, 0.03], 'holm')).toEqual([0.06, 0.03, 0.06]);
    expect(pAdjust([0.02, 0.02], 'bh')).toEqual([0.02, 0.02]);
    expect(pAdjust([], 'holm')).toEqual([]);
  });
});
