import { describe, expect, it } from 'vitest';
import { quantile7 } from '../../src/stats/quantile7.js';

describe('quantile7 (R type 7)', () => {
  it('equals R quantile(x, p) on a small sample', () => {
    // R: quantile(c(1, 2, 3, 4), c(0.05, 0.25, 0.5, 0.95)) -> 1.15 1.75 2.50 3.85
    expect([0.05, 0.25, 0.5, 0.95].map((p) => quantile7([1, 2, 3, 4], p))).toEqual([1.15, 1.75, 2.5, 3.85].map((v) => expect.closeTo(v, 12)));
    expect(quantile7([7], 0.3)).toBe(7);
    expect(quantile7([], 0.5)).toBeNaN();
  });
});
