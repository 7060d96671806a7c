/**
 * Entry days follow the declared accrual process: uniform over the duration (mean and a
 * Kolmogorov-Smirnov distance within Monte Carlo bounds), a piecewise-constant Poisson rate
 * (counts per piece, Exp(1) gaps of the cumulative rate); each draw is its twin's own stream.
 */
import { describe, expect, it } from 'vitest';
import { DAYS_PER_MONTH, entryDays, expectedAccrualEnd, inverseCumulativeRate, screeningDays, type AccrualModel } from '../../src/trial/accrual.js';
import { createStream } from '../../src/random/stream.js';
import { expectMoments } from '../helpers.js';

const N = 20_000;
const patients = Array.from({ length: N }, (_, i) => i);

describe('uniform accrual over a duration', () => {
  const D = 18 * DAYS_PER_MONTH;
  const days = entryDays({ kind: 'uniform', durationDays: D }, 11, 2, patients);

  it('a month is 365.25 / 12 days', () => {
    expect(DAYS_PER_MONTH).toBe(30.4375);
  });

  it('entry days are sorted (calendar order is randomisation order) and lie in (0, D)', () => {
    for (let i = 1; i < N; i++) expect(days[i]! >= days[i - 1]!).toBe(true);
    expect(days[0]!).toBeGreaterThan(0);
    expect(days[N - 1]!).toBeLessThan(D);
  });

  it('mean and variance are those of U(0, D) within 5 Monte Carlo SE, and the KS distance is below its 1% critical value', () => {
    expectMoments(Array.from(days), D / 2, (D * D) / 12);
    let ks = 0;
    for (let i = 0; i < N; i++) ks = Math.max(ks, Math.abs(days[i]! / D - i / N), Math.abs(days[i]! / D - (i + 1) / N));
    expect(ks).toBeLessThan(1.628 / Math.sqrt(N));
  });

  it("each twin's draw comes from its own stream 'accrual' (seed, replicate, patient)", () => {
    const some = [7, 3, 12];
    const own = some.map((p) => D * createStream({ seed: 11, replicate: 2, patient: p, purpose: 'accrual' })()).sort((a, b) => a - b);
    expect(Array.from(entryDays({ kind: 'uniform', durationDays: D }, 11, 2, some))).toEqual(own);
    // Another replicate, other draws.
    expect(Array.from(entryDays({ kind: 'uniform', durationDays: D }, 11, 3, some))).not.toEqual(own);
  });
});

describe('piecewise-constant rate (a ramp-up)', () => {
  // 2 months at 50 per month, then 200 per month.
  const accrual: AccrualModel = { kind: 'rate', pieces: [{ lengthDays: 2 * DAYS_PER_MONTH, ratePerDay: 50 / DAYS_PER_MONTH }, { lengthDays: Infinity, ratePerDay: 200 / DAYS_PER_MONTH }] };
  const days = entryDays(accrual, 5, 0, patients);
  const rampEnd = 2 * DAYS_PER_MONTH;

  it('Lambda^-1 walks the pieces: 30 days at 1/day, then 2/day', () => {
    const pieces = [{ lengthDays: 30, ratePerDay: 1 }, { lengthDays: Infinity, ratePerDay: 2 }];
    expect(inverseCumulativeRate(pieces, 10)).toBe(10);
    expect(inverseCumulativeRate(pieces, 30)).toBe(30);
    expect(inverseCumulativeRate(pieces, 40)).toBe(35);
    expect(expectedAccrualEnd({ kind: 'rate', pieces }, 50)).toBe(40);
    expect(expectedAccrualEnd({ kind: 'uniform', durationDays: 90 }, 50)).toBe(90);
  });

  it('counts per piece are Poisson: about 100 in the ramp-up, 200 a month after it (within 5 SD)', () => {
    const inRamp = days.filter((d) => d < rampEnd).length;
    expect(Math.abs(inRamp - 100)).toBeLessThan(5 * Math.sqrt(100));
    const next10Months = days.filter((d) => d >= rampEnd && d < rampEnd + 10 * DAYS_PER_MONTH).length;
    expect(Math.abs(next10Months - 2000)).toBeLessThan(5 * Math.sqrt(2000));
  });

  it('the increments of the cumulative rate Lambda(t_k) are Exp(1)', () => {
    const Lambda = (t: number) => (t <= rampEnd ? (50 / DAYS_PER_MONTH) * t : 100 + (200 / DAYS_PER_MONTH) * (t - rampEnd));
    const gaps = Array.from(days, (d, i) => Lambda(d) - (i ? Lambda(days[i - 1]!) : 0));
    expectMoments(gaps, 1, 1);
    for (let i = 1; i < N; i++) expect(days[i]! > days[i - 1]!).toBe(true);
  });
});

describe('screening days', () => {
  it('a randomised twin is screened on its entry day; screen failures evenly between the randomisations around them', () => {
    const flags = [false, true, false, false, true, false];
    expect(Array.from(screeningDays(flags, Float64Array.from([4, 10])))).toEqual([2, 4, 6, 8, 10, 10]);
  });
});
