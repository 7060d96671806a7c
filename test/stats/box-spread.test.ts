import { describe, expect, it } from 'vitest';
import { boxSpread } from '../../src/stats/box-spread.js';

describe('boxSpread', () => {
  it("is R's quantile(x, c(.05, .25, .5, .75, .95)) (type 7) with the count", () => {
    // R: quantile(1:4, c(.05, .25, .5, .75, .95)) -> 1.15 1.75 2.50 3.25 3.85
    const s = boxSpread([1, 2, 3, 4]);
    expect(s.n).toBe(4);
    for (const [k, v] of [['q05', 1.15], ['q25', 1.75], ['median', 2.5], ['q75', 3.25], ['q95', 3.85]] as const) expect(s[k], k).toBeCloseTo(v, 12);
  });

  it('has NaN quantiles and n 0 for no values', () => {
    expect(boxSpread([])).toEqual({ n: 0, q05: NaN, q25: NaN, median: NaN, q75: NaN, q95: NaN });
  });
});
