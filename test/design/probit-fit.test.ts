import { describe, expect, it } from 'vitest';
import { probitFit } from '../../src/design/probit-fit.js';
import { fittedPower, nInterval, roundUp, searchStep } from '../../src/design/sample-size-search.js';
import { qnorm } from '../../src/stats/distributions.js';

// Reference: R 4.2 glm(cbind(s, n - s) ~ log(N), family = binomial(link = "probit")), coef() and vcov().
describe('probitFit', () => {
  it('equals R glm(binomial(link = "probit")) on four points', () => {
    const pts = [100, 150, 200, 300].map((n, i) => ({ x: Math.log(n), successes: [40, 62, 81, 95][i]!, trials: 100 }));
    const f = probitFit(pts)!;
    expect(f.converged).toBe(true);
    expect(f.a).toBeCloseTo(-8.14689502374, 6);
    expect(f.b).toBeCloseTo(1.70312897846, 6);
    expect(f.vaa).toBeCloseTo(0.990335589934, 5);
    expect(f.vab).toBeCloseTo(-0.1954212088643, 5);
    expect(f.vbb).toBeCloseTo(0.0387633865831, 6);
  });

  it('equals R on a sample-size search path (power 0.45 to 0.95)', () => {
    const pts = [100, 200, 288, 316, 348, 400].map((n, i) => ({ x: Math.log(n), successes: [450, 744, 875, 898, 928, 952][i]!, trials: 1000 }));
    const f = probitFit(pts)!;
    // R's glm stops at a relative deviance change of 1e-8: agreement to 5 decimals.
    expect(f.a).toBeCloseTo(-5.94521924211, 5);
    expect(f.b).toBeCloseTo(1.2573468681, 5);
    expect(f.vbb).toBeCloseTo(0.00162057452507, 7);
  });

  it('has no fit without two distinct x or without spread in the outcomes', () => {
    expect(probitFit([{ x: 1, successes: 3, trials: 10 }])).toBeNull();
    expect(probitFit([{ x: 1, successes: 0, trials: 10 }, { x: 2, successes: 0, trials: 10 }])).toBeNull();
  });
});

describe('searchStep', () => {
  const o = { target: 0.8, block: 4, min: 4 };
  it('doubles or halves until the points straddle the target', () => {
    expect(searchStep([{ n: 100, successes: 30, trials: 100 }, { n: 200, successes: 50, trials: 100 }], o).next).toEqual([400]);
    expect(searchStep([{ n: 100, successes: 90, trials: 100 }, { n: 200, successes: 99, trials: 100 }], o).next).toEqual([52]);
  });

  it('proposes the fitted root rounded up to the block, with neighbours about 10% away, and stops once it is simulated between others', () => {
    // Points exactly on probit(power) = -8 + 1.6 log N (root: exp((qnorm(0.8) + 8) / 1.6)).
    const on = (n: number) => ({ n, successes: Math.round(10000 * fittedPower({ a: -8, b: 1.6, vaa: 0, vab: 0, vbb: 0, iterations: 0, converged: true }, n)), trials: 10000 });
    const root = Math.exp((qnorm(0.8) + 8) / 1.6);
    const s1 = searchStep([on(100), on(200), on(400)], o);
    expect(s1.nFitted!).toBeCloseTo(root, -0.5);
    const n = roundUp(s1.nFitted!, 4, 4);
    expect(s1.nChosen).toBe(n);
    expect(s1.next).toEqual([roundUp(n * 0.9, 4, 4), n, roundUp(n * 1.1, 4, 4)]);
    expect(s1.done).toBe(false);
    const s2 = searchStep([on(100), on(200), on(400), ...s1.next.map(on)], o);
    expect(s2.nChosen).toBe(n);
    expect(s2.done).toBe(true);
  });

  it('gives an MC interval from the power SE at N through the fitted slope', () => {
    const fit = { a: -8, b: 1.6, vaa: 0, vab: 0, vbb: 0, iterations: 0, converged: true };
    const [lo, hi] = nInterval(fit, 200, 0.8, 0.01);
    const sdLog = 0.01 / (Math.exp(-0.5 * qnorm(0.8) ** 2) / Math.sqrt(2 * Math.PI) / 1 * 1.6);
    expect(Math.log(hi / 200)).toBeCloseTo(1.959964 * sdLog, 6);
    expect(Math.log(200 / lo)).toBeCloseTo(1.959964 * sdLog, 6);
  });
});
