/**
 * Boundaries recomputed look by look (stats/sequential-boundary.ts) equal groupSequentialDesign's
 * (itself equal to rpact) when the observed rates are the planned ones, for every spending
 * function, one- and two-sided, with binding futility; rpact's design a is reproduced.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossingProbabilities, groupSequentialDesign, type DesignType } from '../../src/stats/group-sequential.js';
import { nextBoundary, START, type SequentialDesign } from '../../src/stats/sequential-boundary.js';

const ref = JSON.parse(readFileSync('test/fixtures/r-reference/expected.json', 'utf8')).group_sequential.designs;

function lookByLook(d: SequentialDesign, rates: readonly number[]): number[] {
  let s = START;
  rates.forEach((t, k) => (s = nextBoundary(d, s, t, k, k === rates.length - 1)));
  return [...s.critical];
}

describe('boundaries at the observed information', () => {
  it("rpact's design a (asOF, 3 looks, one-sided 0.025)", () => {
    const c = lookByLook({ type: 'asOF', alpha: 0.025, sided: 1, futility: null, binding: false }, [1 / 3, 2 / 3, 1]);
    c.forEach((x, k) => expect(x).toBeCloseTo(ref.a.criticalValues[k], 6));
  });

  const cases: [string, DesignType, 1 | 2, number | undefined, number[] | null, boolean][] = [
    ['OF-type one-sided', 'asOF', 1, undefined, null, false],
    ['Pocock-type two-sided', 'asP', 2, undefined, null, false],
    ['HSD gamma -2', 'asHSD', 1, -2, null, false],
    ['Kim-DeMets rho 3', 'asKD', 1, 3, null, false],
    ['OF-type with binding futility', 'asOF', 1, undefined, [0, 0.5, 1], true],
  ];
  for (const [name, type, sided, gamma, futility, binding] of cases) {
    it(`${name}: as groupSequentialDesign at the same (unequal) rates`, () => {
      const rates = [0.21, 0.47, 0.8, 1];
      const alpha = sided === 2 ? 0.05 : 0.025;
      const planned = groupSequentialDesign({ typeOfDesign: type, kMax: 4, alpha, sided, informationRates: rates, ...(gamma !== undefined ? { gammaA: gamma } : {}), ...(futility ? { futilityBounds: futility, bindingFutility: binding } : {}) });
      const c = lookByLook({ type, alpha, sided, futility, binding, ...(gamma !== undefined ? { gamma } : {}) }, rates);
      c.forEach((x, k) => expect(x).toBeCloseTo(planned.criticalValues[k]!, 8));
    });
  }

  it('the final look spends what is left: observed final information below the plan still gives alpha in all', () => {
    const d: SequentialDesign = { type: 'asOF', alpha: 0.025, sided: 1, futility: null, binding: false };
    const c = lookByLook(d, [0.4, 0.7, 0.93]);
    const total = groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 3, alpha: 0.025, sided: 1, informationRates: [0.4, 0.7, 0.93].map((x) => x / 0.93) });
    // Spending at 0.4 and 0.7 (not at 0.43, 0.75): the first two boundaries differ from the relative design's, the total alpha does not.
    expect(c[0]!).not.toBeCloseTo(total.criticalValues[0]!, 3);
    const p = crossingProbabilities([0.4, 0.7, 0.93], c, [-Infinity, -Infinity, -Infinity], 0).upper.reduce((a, b) => a + b, 0);
    expect(p).toBeCloseTo(0.025, 9);
  });
});
