import { describe, expect, it } from 'vitest';
import { gridFit, powerDrops, searchStep, snap, type SearchOptions } from '../../src/design/sample-size-search.js';
import { pnorm, qnorm } from '../../src/stats/distributions.js';

/** Counts on an exact probit line in log N with slope b and its `target` root at `root` (1e6 trials: no noise to speak of). */
const line = (root: number, b: number, target = 0.8) => (n: number) => ({ n, successes: Math.round(1e6 * pnorm(b * Math.log(n / root) + qnorm(target))), trials: 1e6 });

describe('sample-size search: limits, real values and direction', () => {
  it('a single point at the smallest value allowed that already reaches the target is the answer (it used to throw)', () => {
    // An Emax of 0.4 rounded to whole numbers used to put every start at 1: one point, the minimum, power 0.99.
    const o: SearchOptions = { target: 0.8, block: 1, min: 1 };
    const s = searchStep([{ n: 1, successes: 99, trials: 100 }], o);
    expect(s).toMatchObject({ done: true, nChosen: 1, reason: null, next: [] });
  });

  it('real values: multiples of the step as clean decimals, and a root between them rounded up', () => {
    const o: SearchOptions = { target: 0.8, block: 0.002, min: 0.002 };
    expect(snap(0.4553, o)).toBe(0.456);
    expect(snap(0.0001, o)).toBe(0.002);
    expect(snap(0.4553, { ...o, direction: -1 })).toBe(0.454);
    const on = line(0.4567, 2);
    // The first round (half, once and twice 0.4) straddles 0.8; the fit proposes the rounded root, and a neighbour about 10%
    // above it (0.4 lies within 15% below).
    const s = searchStep([0.2, 0.4, 0.8].map(on), o);
    expect(s.nFitted!).toBeCloseTo(0.4567, 3);
    expect(s.next).toEqual([0.458, 0.504]);
    const done = searchStep([0.2, 0.4, 0.8, ...s.next].map(on), o);
    expect(done).toMatchObject({ done: true, nChosen: 0.458, reason: null });
  });

  it('below the target at --max: done without an answer, and says to raise --max', () => {
    const o: SearchOptions = { target: 0.8, block: 4, min: 4, max: 122 };
    const s = searchStep([{ n: 100, successes: 20, trials: 40 }, { n: 120, successes: 23, trials: 40 }], o);
    expect(s.done).toBe(true);
    expect(s.nChosen).toBeNull();
    expect(s.reason).toBe('power 0.575 at 120, the largest value allowed (--max 120), is below the target 0.8; raise --max');
    // A root fitted beyond --max (a noisy small point straddles the target), once --max itself (150 rounded down to the block) is simulated.
    const pts = [{ n: 60, successes: 9, trials: 10 }, { n: 100, successes: 300, trials: 1000 }, { n: 136, successes: 450, trials: 1000 }, { n: 148, successes: 500, trials: 1000 }];
    const b = searchStep(pts, { ...o, max: 150 });
    expect(b).toMatchObject({ done: true, nChosen: null, next: [], reason: 'the fitted root 321.1 lies beyond the largest value allowed (--max 148) (power 0.500 at 148); raise --max' });
  });

  it('power falling as the value grows: refused with the flag to give; --direction decrease finds the largest value, rounded down', () => {
    const falling = line(0.873, -2, 0.9);
    const up = searchStep([0.55, 1.1, 2.2].map(falling), { target: 0.9, block: 0.01, min: 0.01 });
    expect(up.done).toBe(true);
    expect(up.nChosen).toBeNull();
    expect(up.reason).toMatch(/^power falls as the value grows .*; if smaller values give more power, give --direction decrease$/);
    const o: SearchOptions = { target: 0.9, block: 0.01, min: 0.01, direction: -1 };
    const s1 = searchStep([0.55, 1.1, 2.2].map(falling), o);
    expect(s1.nFitted!).toBeCloseTo(0.873, 4);
    expect(s1.next).toEqual([0.78, 0.87, 0.95]);
    const s2 = searchStep([0.55, 1.1, 2.2, ...s1.next].map(falling), o);
    expect(s2).toMatchObject({ done: true, nChosen: 0.87, reason: null });
    // All above the target: widen upwards (less power), not downwards.
    expect(searchStep([{ n: 1, successes: 99, trials: 100 }], o).next).toEqual([2]);
  });

  it('a fixed grid says why it has no answer', () => {
    const on = line(545, 2);
    const g = gridFit([2000, 3000, 4000].map(on), { target: 0.8, block: 4, min: 4 });
    expect(g.nChosen).toBeNull();
    expect(g.reason).toMatch(/^the fitted root \d+(\.\d+)? lies outside the grid \(2000 to 4000\); move the start/);
    expect(gridFit([100, 200, 400].map(line(200, -2)), { target: 0.8, block: 4, min: 4 }).reason).toContain('give --direction decrease');
  });
});

describe('powerDrops: the monotonicity check', () => {
  const R = 1000;
  /** Per-replicate decisions: the first `k` replicates succeed. */
  const first = (k: number) => Uint8Array.from({ length: R }, (_, r) => (r < k ? 1 : 0));
  const pt = (n: number, decisions: Uint8Array) => ({ n, successes: decisions.reduce((t, x) => t + x, 0), trials: R, decisions });

  it('flags a fall of more than 3 MC SE between neighbours, with the paired SE of common random numbers', () => {
    // 0.80 at 100, 0.78 at 110 (20 replicates turn from success to failure, none the other way), 0.85 at 120.
    const drops = powerDrops([pt(120, first(850)), pt(100, first(800)), pt(110, first(780))]);
    expect(drops).toHaveLength(1);
    const d = drops[0]!;
    expect([d.from, d.to, d.powerFrom, d.powerTo]).toEqual([100, 110, 0.8, 0.78]);
    expect(d.drop).toBeCloseTo(0.02, 12);
    // var(d_r) = 0.02 - 0.02^2 over R: SE 0.004427, so the fall is 4.5 SE (independent draws would make it 0.02 / 0.0183 = 1.1 SE).
    expect(d.mcse).toBeCloseTo(Math.sqrt((0.02 - 0.0004) / R), 12);
  });

  it('does not flag noise: a fall as large but spread over flips both ways, a rise, or independent points within 3 SE', () => {
    // 0.80 -> 0.78 with 100 replicates turning each way but 20 more down: var(d) = 0.2 - 0.0004, SE 0.0141, 1.4 SE.
    const a = first(800);
    const b = Uint8Array.from(a);
    for (let r = 0; r < 110; r++) b[r] = 0;
    for (let r = 800; r < 890; r++) b[r] = 1;
    expect(pt(110, b).successes).toBe(780);
    expect(powerDrops([pt(100, a), pt(110, b)])).toEqual([]);
    expect(powerDrops([pt(100, first(800)), pt(110, first(850))])).toEqual([]);
    expect(powerDrops([{ n: 100, successes: 800, trials: R }, { n: 110, successes: 780, trials: R }])).toEqual([]);
    // Independent SE (no decisions): a fall of 0.1 is 5 SE.
    expect(powerDrops([{ n: 100, successes: 800, trials: R }, { n: 110, successes: 700, trials: R }])).toHaveLength(1);
  });

  it('in the decreasing direction, a rise with the value is the fall (from the larger value to the smaller)', () => {
    expect(powerDrops([pt(1, first(800)), pt(2, first(900))], -1)).toMatchObject([{ from: 2, to: 1, powerFrom: 0.9, powerTo: 0.8 }]);
    expect(powerDrops([pt(1, first(900)), pt(2, first(800))], -1)).toEqual([]);
  });
});
