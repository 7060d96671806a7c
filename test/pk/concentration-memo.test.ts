import { describe, expect, it } from 'vitest';
import { ConcentrationMemo } from '../../src/pk/concentration-memo.js';
import { concentration, type Regimen } from '../../src/pk/dosing.js';
import { convolveFirstOrder, oneCompartment, twoCompartment, type ExpSum } from '../../src/pk/exp-sum.js';

/** A small deterministic generator (the test needs variety, not the project's streams). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Every visit value of a lane, as concentration() gives it, compared bit for bit (Object.is). */
function expectSameBits(memo: ConcentrationMemo, lane: number, unit: ExpSum, reg: Regimen, count: number, days: number[]): number {
  const given = { ...reg, count };
  let compared = 0;
  days.forEach((t, v) => {
    const want = concentration(unit, given, t);
    const got = memo.value(lane, reg.dose, v);
    if (!Object.is(got, want)) expect({ t, v, got }).toEqual({ t, v, got: want });
    compared++;
  });
  return compared;
}

describe('ConcentrationMemo gives concentration() bit for bit', () => {
  const days = [0, 3, 7, 10, 14, 14.5, 21, 28, 35, 42, 49, 56, 70, 84, 100.25, 140, 182, 210];
  const slotsOf = (n: number, lane: number) => Array.from({ length: n }, (_, i) => (i < n - 1 || lane === 0 ? i : 3 + lane));

  it('for random twins, arms (dose, start, interval, doses given) and effect compartments sharing slots and lanes', () => {
    const memo = new ConcentrationMemo(days, 6, 3);
    const u = lcg(7);
    let compared = 0;
    let nonZero = 0;
    for (let twin = 0; twin < 60; twin++) {
      const twoCpt = u() < 0.5;
      const base = twoCpt ? twoCompartment(0.5 + 3 * u(), 3 + 10 * u(), 1 + 4 * u(), 10 + 30 * u()) : oneCompartment(0.2 + 2 * u(), 5 + 20 * u());
      const unit = u() < 0.7 ? convolveFirstOrder(base, 0.3 + 2 * u()) : base;
      const effects = [convolveFirstOrder(unit, Math.LN2 / (5 + 40 * u())), convolveFirstOrder(unit, Math.LN2 / (5 + 40 * u()))];
      // Arms of one twin: the same timing with another dose (shared lane values), another start,
      // another interval, fewer doses given (treatment stopped), an infusion.
      const interval = [1, 7, 7, 10, 14, 21][Math.floor(6 * u())]!;
      const arms: [Regimen, number][] = [
        [{ dose: 0.5, start: 0, interval, count: 40, input: { kind: 'instant' } }, 40],
        [{ dose: 1.7, start: 0, interval, count: 40, input: { kind: 'instant' } }, 40],
        [{ dose: 1.7, start: 0, interval, count: 40, input: { kind: 'instant' } }, Math.floor(10 * u())],
        [{ dose: 2, start: 3, interval: interval + 0.5, count: 12, input: { kind: 'instant' } }, 12],
        [{ dose: 2, start: 0, interval, count: 30, input: { kind: 'infusion', duration: 0.1 } }, 30],
        [{ dose: 3, start: 0, interval, count: 30, input: { kind: 'infusion', duration: 0.1 } }, 5],
      ];
      for (const [reg, count] of arms) {
        memo.prepare(0, unit, slotsOf(unit.rate.length, 0), reg, count);
        compared += expectSameBits(memo, 0, unit, reg, count, days);
        effects.forEach((e, b) => {
          memo.prepare(1 + b, e, slotsOf(e.rate.length, 1 + b), reg, count);
          compared += expectSameBits(memo, 1 + b, e, reg, count, days);
        });
        nonZero += days.filter((_, v) => memo.value(0, reg.dose, v) > 0).length;
      }
    }
    expect(compared).toBe(60 * 6 * 3 * days.length);
    expect(nonZero).toBeGreaterThan(60 * 6 * 10); // real concentrations, not only zeros
  });

  it('a lane prepared again for another response or another infusion dose recomputes (never returns the old values)', () => {
    const memo = new ConcentrationMemo(days, 4, 1);
    const a = convolveFirstOrder(oneCompartment(1, 10), 1);
    const b = convolveFirstOrder(oneCompartment(2, 10), 1);
    const reg: Regimen = { dose: 1, start: 0, interval: 7, count: 30, input: { kind: 'instant' } };
    memo.prepare(0, a, [0, 1], reg, 30);
    const fromA = memo.value(0, 1, 5);
    memo.prepare(0, b, [0, 1], reg, 30);
    expect(memo.value(0, 1, 5)).toBe(concentration(b, reg, days[5]!));
    expect(memo.value(0, 1, 5)).not.toBe(fromA);
    const inf: Regimen = { dose: 1, start: 0, interval: 7, count: 30, input: { kind: 'infusion', duration: 0.5 } };
    memo.prepare(0, a, [0, 1], inf, 30);
    memo.prepare(0, a, [0, 1], { ...inf, dose: 4 }, 30);
    expect(memo.value(0, 4, 5)).toBe(concentration(a, { ...inf, dose: 4 }, days[5]!));
  });
});
