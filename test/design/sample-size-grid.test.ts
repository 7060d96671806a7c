import { describe, expect, it } from 'vitest';
import { fixedGrid, gridFit } from '../../src/design/sample-size-search.js';
import { pnorm, qnorm } from '../../src/stats/distributions.js';

describe('fixed-grid sample-size search', () => {
  it('the grid: 0.5x to 2x the centre, rounded up to the block, without duplicates', () => {
    expect(fixedGrid(318.7, 4, 4)).toEqual([160, 224, 272, 320, 384, 480, 640]);
    expect(fixedGrid(5, 4, 4)).toEqual([4, 8, 12]);
  });

  it('fits once and rounds the root up; no answer outside the grid', () => {
    // Counts on an exact probit line in log N with its 0.8 root at 545.
    const root = 545;
    const pts = (ns: number[]) => ns.map((n) => ({ n, successes: Math.round(1e6 * pnorm(2 * Math.log(n / root) + qnorm(0.8))), trials: 1e6 }));
    const g = gridFit(pts(fixedGrid(500, 4, 4)), { target: 0.8, block: 4, min: 4 });
    expect(g.nFitted! / root).toBeCloseTo(1, 2);
    expect(g.nChosen).toBe(Math.ceil(g.nFitted! / 4) * 4);
    expect(gridFit(pts([2000, 3000, 4000]), { target: 0.8, block: 4, min: 4 }).nChosen).toBeNull();
    // The refit near the root: a point far from it (2x, here bent down to power 0.9) does not move it.
    const bent = pts(fixedGrid(root, 4, 4)).map((p) => (p.n > 1.9 * root ? { ...p, successes: 900000 } : p));
    expect(gridFit(bent, { target: 0.8, block: 4, min: 4 }).nFitted! / root).toBeCloseTo(1, 2);
  });
});
