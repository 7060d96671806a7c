import { describe, expect, it } from 'vitest';
import { fixedGrid, gridFit } from '../../src/design/sample-size-search.js';
import { pnorm, qnorm } from '../../src/stats/distributions.js';

describe('fixed-grid sample-size search', () => {
  it('the grid: 0.5x to 2x the centre, rounded up to the block, without duplicates', () => {
    expect(fixedGrid(318.7, 4, 4)).toEqual([160, 224, 272, 320, 384, 480, 640]);
    expect(fixedGrid(5, 4, 4)).toEqual([4, 8, 12]);
  });

  it('fits once and rounds the root up; no answer outside the grid', () => {
    // Exact probit counts of a z test: power = Phi(sqrt(N / 100) * 1.2 - 1.96).
    const pts = (ns: number[]) => ns.map((n) => ({ n, successes: Math.round(1e6 * pnorm(Math.sqrt(n / 100) * 1.2 - 1.96)), trials: 1e6 }));
    const root = 100 * ((1.96 + qnorm(0.8)) / 1.2) ** 2;
    const g = gridFit(pts(fixedGrid(500, 4, 4)), { target: 0.8, block: 4, min: 4 });
    expect(g.nFitted! / root).toBeCloseTo(1, 2);
    expect(g.nChosen).toBe(Math.ceil(g.nFitted! / 4) * 4);
    expect(gridFit(pts([2000, 3000, 4000]), { target: 0.8, block: 4, min: 4 }).nChosen).toBeNull();
  });
});
