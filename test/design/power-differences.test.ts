import { describe, expect, it } from 'vitest';
import { adjacentPairs, pairedPowerDifference } from '../../src/design/power-differences.js';
import { sweepGrid } from '../../src/design/grid.js';
import { parseVary } from '../../src/design/vary.js';

describe('pairedDifference: the CRN Monte Carlo SE from paired decisions', () => {
  it('decisions that agree but one: difference 0.1, SE sqrt(var(d)/R), independent SE from the two powers', () => {
    const from = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const to = Uint8Array.from([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]);
    const d = pairedPowerDifference(from, to);
    expect(d.powerFrom).toBe(0.4);
    expect(d.powerTo).toBe(0.5);
    expect(d.difference).toBeCloseTo(0.1, 15);
    // d = (0,0,0,0,1,0,...): var = 0.1 - 0.01 = 0.09; SE = sqrt(0.09/10).
    expect(d.mcse).toBeCloseTo(Math.sqrt(0.009), 15);
    expect(d.independentMcse).toBeCloseTo(Math.sqrt((0.4 * 0.6) / 10 + (0.5 * 0.5) / 10), 15);
    expect(d.mcse).toBeLessThan(d.independentMcse / 2);
  });
  it('identical decisions: SE 0; opposite decisions: SE above the independent one', () => {
    const a = Uint8Array.from([1, 0, 1, 0]);
    expect(pairedPowerDifference(a, a).mcse).toBe(0);
    const b = Uint8Array.from([0, 1, 0, 1]);
    const d = pairedPowerDifference(a, b);
    expect(d.difference).toBe(0);
    expect(d.mcse).toBeCloseTo(0.5, 15);
    expect(d.independentMcse).toBeCloseTo(Math.sqrt(0.125), 15);
  });
  it('refuses unpaired lengths', () => expect(() => pairedPowerDifference(new Uint8Array(3), new Uint8Array(4))).toThrow('3 against 4'));
});

describe('adjacentPairs: neighbours along one path, the others equal', () => {
  it('a 1-D grid: consecutive points', () => {
    const v = [parseVary('n=1,2,3')];
    expect(adjacentPairs(v, sweepGrid(v))).toEqual([{ from: 0, to: 1, dimension: 0 }, { from: 1, to: 2, dimension: 0 }]);
  });
  it('a 2 x 2 grid: four pairs (two per path)', () => {
    const v = [parseVary('n=1,2'), parseVary('e=a,b')];
    // points: (1,a) (1,b) (2,a) (2,b)
    expect(adjacentPairs(v, sweepGrid(v))).toEqual([
      { from: 0, to: 2, dimension: 0 },
      { from: 0, to: 1, dimension: 1 },
      { from: 1, to: 3, dimension: 0 },
      { from: 2, to: 3, dimension: 1 },
    ]);
  });
});
