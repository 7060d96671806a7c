import { describe, expect, it } from 'vitest';
import { kaplanMeier } from '../../src/stats/kaplan-meier.js';
import { kmMedian } from '../../src/stats/km-median.js';
import { survivalOrder } from '../../src/stats/survival-order.js';
import { createStream } from '../../src/random/stream.js';

describe('kmMedian', () => {
  it('the doc example, as R: survfit(Surv(c(1, 2, 2, 3), c(1, 1, 0, 1)) ~ 1) has median 2.5, 0.95LCL 1, UCL NA', () => {
    const r = kmMedian([1, 2, 2, 3], [1, 1, 0, 1]);
    expect(r.median).toBe(2.5);
    expect(r.medianCi[0]).toBe(1);
    expect(r.medianCi[1]).toBeNaN();
    expect(kaplanMeier([1, 2, 2, 3], [1, 1, 0, 1]).median).toBe(2.5);
  });

  it('a curve exactly at 0.5 over an interval gives the midpoint (quantile.survfit)', () => {
    // S = 0.5 from t = 2 until the next event at t = 4: median (2 + 4) / 2.
    const r = kmMedian([1, 2, 4, 5], [1, 1, 1, 1]);
    expect(r.median).toBe(3);
    expect(r.median).toBe(kaplanMeier([1, 2, 4, 5], [1, 1, 1, 1]).median);
  });

  it('never reaching 0.5: NaN, as R reports NA', () => {
    const r = kmMedian([1, 2, 3, 4], [1, 0, 0, 0]);
    expect(r.median).toBeNaN();
    expect(r.events).toBe(1);
  });

  it('equals kaplanMeier bit for bit on 400 random data sets with ties and censoring, with and without a given order', () => {
    const u = createStream({ seed: 3, replicate: 0, patient: 0, purpose: 'km-median-test' });
    for (let rep = 0; rep < 400; rep++) {
      const n = 1 + Math.floor(u() * 120);
      const grid = [1, 2, 5, 1000][rep % 4]!; // coarse grids make many ties
      const times = Array.from({ length: n }, () => Math.floor(u() * grid * 10) / 10);
      const status = times.map(() => (u() < 0.7 ? 1 : 0));
      const conf = [0.95, 0.9, 0.99][rep % 3]!;
      const km = kaplanMeier(times, status, conf);
      for (const r of [kmMedian(times, status, conf), kmMedian(Float64Array.from(times), Float64Array.from(status), conf, survivalOrder(times))]) {
        expect(r.n).toBe(n);
        expect(r.events).toBe(km.events);
        expect(Object.is(r.median, km.median), `data set ${rep}: median ${r.median} vs ${km.median}`).toBe(true);
        expect(Object.is(r.medianCi[0], km.medianCi[0]) && Object.is(r.medianCi[1], km.medianCi[1]), `data set ${rep}: CI`).toBe(true);
      }
    }
  });

  it('refuses an order that does not sort the times', () => {
    expect(() => kmMedian([3, 1, 2], [1, 1, 1], 0.95, [0, 1, 2])).toThrow(/does not sort the times ascending/);
    expect(() => kmMedian([3, 1, 2], [1, 1, 1], 0.95, [1, 1, 0])).toThrow(/not a permutation/);
  });
});
