/**
 * The survival statistics run in one sort and O(n) passes over reused typed-array workspaces.
 * These tests hold them to straightforward O(n^2) implementations kept here (every risk set
 * recounted from scratch), on random data with many ties, to 1e-12; and check that reusing
 * the workspace across calls of any size and order changes nothing, bit for bit.
 */
import { Matrix, inverse, solve } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { coxPh, type CoxResult, type Ties } from '../../src/stats/cox.js';
import { kaplanMeier } from '../../src/stats/kaplan-meier.js';
import { logRank } from '../../src/stats/log-rank.js';
import { estimated, NotEstimable } from '../../src/stats/not-estimable.js';
import { survivalOrder } from '../../src/stats/survival-order.js';
import { pTwoSidedZ, pchisqUpper, qnorm } from '../../src/stats/distributions.js';

/** A small seeded generator (tests must not depend on global random state). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
}

interface Data {
  time: number[];
  status: number[];
  trt: number[];
  age: number[];
  site: number[];
  group: string[];
}

/** n subjects, integer times in 1..span (many ties), about 70% events, two arms, a continuous and a binary covariate. */
function dataset(seed: number, n: number, span: number): Data {
  const u = rng(seed);
  const d: Data = { time: [], status: [], trt: [], age: [], site: [], group: [] };
  for (let i = 0; i < n; i++) {
    const trt = u() < 0.5 ? 1 : 0;
    const age = 40 + 30 * u();
    const hazard = Math.exp(-0.4 * trt + 0.03 * (age - 55));
    d.time.push(Math.min(span, 1 + Math.floor((-Math.log(u()) / hazard) * (span / 3))));
    d.status.push(u() < 0.7 ? 1 : 0);
    d.trt.push(trt);
    d.age.push(age);
    d.site.push(u() < 0.4 ? 1 : 0);
    d.group.push(['a', 'b', 'c'][Math.floor(3 * u())]!);
  }
  return d;
}

/** Log partial likelihood, score and information at beta, each risk set recounted: O(n^2). */
function naiveEvaluate(time: number[], status: number[], X: number[][], beta: number[], ties: Ties) {
  const n = time.length;
  const p = beta.length;
  const eta = X.map((x) => x.reduce((s, v, j) => s + v * beta[j]!, 0));
  const r = eta.map(Math.exp);
  let loglik = 0;
  const score = new Array<number>(p).fill(0);
  const info = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  for (const t of [...new Set(time)]) {
    const risk = [...Array(n).keys()].filter((i) => time[i]! >= t);
    const deaths = risk.filter((i) => time[i] === t && status[i] === 1);
    const d = deaths.length;
    if (d === 0) continue;
    for (const i of deaths) {
      loglik += eta[i]!;
      for (let a = 0; a < p; a++) score[a]! += X[i]![a]!;
    }
    for (let l = 0; l < d; l++) {
      const f = ties === 'efron' ? l / d : 0;
      // Efron: the tied deaths' weights shrink by l/d in the l-th term.
      const w = (i: number) => r[i]! * (time[i] === t && status[i] === 1 ? 1 - f : 1);
      const s0 = risk.reduce((s, i) => s + w(i), 0);
      const s1 = Array.from({ length: p }, (_, a) => risk.reduce((s, i) => s + w(i) * X[i]![a]!, 0));
      loglik -= Math.log(s0);
      for (let a = 0; a < p; a++) {
        score[a]! -= s1[a]! / s0;
        for (let b = 0; b < p; b++) {
          const s2 = risk.reduce((s, i) => s + w(i) * X[i]![a]! * X[i]![b]!, 0);
          info[a]![b]! += s2 / s0 - (s1[a]! * s1[b]!) / (s0 * s0);
        }
      }
    }
  }
  return { loglik, score, info };
}

/** The textbook Newton-Raphson fit with step halving, on the O(n^2) evaluation. */
function naiveCox(time: number[], status: number[], covariates: Record<string, number[]>, ties: Ties): CoxResult {
  const names = Object.keys(covariates);
  const n = time.length;
  const means = names.map((k) => covariates[k]!.reduce((s, v) => s + v, 0) / n);
  const X = time.map((_, i) => names.map((k, j) => covariates[k]![i]! - means[j]!));
  let beta = names.map(() => 0);
  let fit = naiveEvaluate(time, status, X, beta, ties);
  const loglik0 = fit.loglik;
  let iterations = 0;
  for (; iterations < 50; iterations++) {
    const step = solve(new Matrix(fit.info), Matrix.columnVector(fit.score)).getColumn(0);
    let candidate = beta.map((b, j) => b + step[j]!);
    let next = naiveEvaluate(time, status, X, candidate, ties);
    for (let h = 0; !(next.loglik >= fit.loglik - 1e-13 * Math.abs(fit.loglik)) && h < 30; h++) {
      candidate = beta.map((b, j) => (b + candidate[j]!) / 2);
      next = naiveEvaluate(time, status, X, candidate, ties);
    }
    const done = Math.abs(next.loglik - fit.loglik) <= 1e-12 * Math.abs(fit.loglik);
    beta = candidate;
    fit = next;
    if (done) break;
  }
  const variance = inverse(new Matrix(fit.info));
  const zq = qnorm(0.975);
  const coefficients = Object.fromEntries(
    names.map((k, j) => {
      const coef = beta[j]!;
      const se = Math.sqrt(variance.get(j, j));
      return [k, { coef, hr: Math.exp(coef), se, z: coef / se, p: pTwoSidedZ(coef / se), ci: [Math.exp(coef - zq * se), Math.exp(coef + zq * se)] as [number, number] }];
    }),
  );
  return { coefficients, loglik: [loglik0, fit.loglik], iterations: iterations + 1, events: status.filter((s) => s === 1).length };
}

/** Relative agreement to tol (absolute near 0). */
function expectClose(actual: number, expected: number, tol: number, what: string): void {
  const scale = Math.max(1, Math.abs(expected));
  expect(Math.abs(actual - expected) / scale, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

function expectSameCox(actual: CoxResult, expected: CoxResult, tol: number): void {
  expect(Object.keys(actual.coefficients)).toEqual(Object.keys(expected.coefficients));
  for (const [k, e] of Object.entries(expected.coefficients)) {
    const a = actual.coefficients[k]!;
    for (const f of ['coef', 'hr', 'se', 'z', 'p'] as const) expectClose(a[f], e[f], tol, `${k}.${f}`);
    expectClose(a.ci[0], e.ci[0], tol, `${k}.ci[0]`);
    expectClose(a.ci[1], e.ci[1], tol, `${k}.ci[1]`);
  }
  expectClose(actual.loglik[0], expected.loglik[0], tol, 'loglik0');
  expectClose(actual.loglik[1], expected.loglik[1], tol, 'loglik');
  expect(actual.events).toBe(expected.events);
}

const models: [string, (d: Data) => Record<string, number[]>][] = [
  ['treatment', (d) => ({ TRT: d.trt })],
  ['treatment + age', (d) => ({ TRT: d.trt, AGE: d.age })],
  ['treatment + age + site', (d) => ({ TRT: d.trt, AGE: d.age, SITE: d.site })],
];
const cases = [1, 2, 3, 4, 5].flatMap((seed) => (['efron', 'breslow'] as const).flatMap((ties) => models.map(([model, covs]) => ({ seed, ties, model, covs }))));

describe('Cox equals an O(n^2) implementation on tied data, to 1e-12', () => {
  it.each(cases)('seed $seed, $ties ties, $model', ({ seed, ties, covs }) => {
    const d = dataset(seed, 40 + 30 * seed, 12);
    const fast = estimated(coxPh(d.time, d.status, covs(d), ties));
    expectSameCox(fast, naiveCox(d.time, d.status, covs(d), ties), 1e-12);
  });
  it('Efron and Breslow differ on tied data (the ties are really handled)', () => {
    const d = dataset(9, 150, 6);
    const e = estimated(coxPh(d.time, d.status, { TRT: d.trt }, 'efron'));
    const b = estimated(coxPh(d.time, d.status, { TRT: d.trt }, 'breslow'));
    expect(Math.abs(e.coefficients.TRT!.coef - b.coefficients.TRT!.coef)).toBeGreaterThan(1e-4);
  });
  it('a constant or collinear covariate is not estimable (it threw "LU matrix is singular")', () => {
    const d = dataset(3, 80, 10);
    expect(coxPh(d.time, d.status, { TRT: d.trt, C: d.trt.map(() => 3) })).toEqual(new NotEstimable('the information about C is singular (constant or collinear covariate)'));
    expect(coxPh(d.time, d.status, { TRT: d.trt, D: d.trt.map((x) => 1 - 2 * x) })).toEqual(new NotEstimable('the information about D is singular (constant or collinear covariate)'));
  });
});

describe('Cox options: a shared sort order and a warm start', () => {
  const d = dataset(11, 300, 20);
  const covs = { TRT: d.trt, AGE: d.age };
  it('the caller\'s order gives the identical fit', () => {
    expect(coxPh(d.time, d.status, covs, 'efron', 0.95, { order: survivalOrder(d.time) })).toEqual(coxPh(d.time, d.status, covs, 'efron'));
  });
  it('a start near the estimate converges to the same fit in fewer iterations', () => {
    const cold = estimated(coxPh(d.time, d.status, covs, 'efron'));
    const start = [cold.coefficients.TRT!.coef * 1.01, cold.coefficients.AGE!.coef];
    const warm = estimated(coxPh(d.time, d.status, covs, 'efron', 0.95, { start }));
    expectSameCox(warm, cold, 1e-12);
    expect(warm.iterations).toBeLessThan(cold.iterations);
  });
  it('an order that is not a sorting permutation, or a bad start, is rejected', () => {
    const order = survivalOrder(d.time);
    [order[0], order[order.length - 1]] = [order[order.length - 1]!, order[0]!];
    expect(() => coxPh(d.time, d.status, covs, 'efron', 0.95, { order })).toThrow(/coxPh: the order does not sort the times ascending/);
    expect(() => coxPh(d.time, d.status, covs, 'efron', 0.95, { order: new Int32Array(d.time.length) })).toThrow(/coxPh: the order is not a permutation/);
    expect(() => coxPh(d.time, d.status, covs, 'efron', 0.95, { order: survivalOrder(d.time.slice(1)) })).toThrow(RangeError);
    expect(() => coxPh(d.time, d.status, covs, 'efron', 0.95, { start: [0] })).toThrow(/start must hold 2 finite coefficients/);
  });
});

/** survdiff by recounting every risk set. */
function naiveLogRank(time: number[], status: number[], group: string[], names: string[]) {
  const k = names.length;
  const observed = new Array<number>(k).fill(0);
  const expected = new Array<number>(k).fill(0);
  const V = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (const t of [...new Set(time)].sort((a, b) => a - b)) {
    const atRisk = names.map((g) => time.filter((x, i) => x >= t && group[i] === g).length);
    const deaths = names.map((g) => time.filter((x, i) => x === t && status[i] === 1 && group[i] === g).length);
    const N = atRisk.reduce((s, x) => s + x, 0);
    const D = deaths.reduce((s, x) => s + x, 0);
    if (D === 0) continue;
    for (let a = 0; a < k; a++) {
      observed[a]! += deaths[a]!;
      expected[a]! += (D * atRisk[a]!) / N;
      if (N > 1) for (let b = 0; b < k; b++) V[a]![b]! += ((D * (N - D)) / (N - 1)) * (atRisk[a]! / N) * ((a === b ? 1 : 0) - atRisk[b]! / N);
    }
  }
  const diff = observed.slice(0, k - 1).map((o, a) => o - expected[a]!);
  const x = solve(new Matrix(V.slice(0, k - 1).map((row) => row.slice(0, k - 1))), Matrix.columnVector(diff)).getColumn(0);
  const chisq = diff.reduce((s, v, a) => s + v * x[a]!, 0);
  return { observed, expected, chisq, p: pchisqUpper(chisq, k - 1) };
}

describe('log-rank equals an O(n^2) implementation on tied data, to 1e-12', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i: two arms and three groups', (seed) => {
    const d = dataset(100 + seed, 50 + 40 * seed, 10);
    const arms = d.trt.map((x) => (x ? 'arm' : 'control'));
    for (const [group, names] of [[arms, ['arm', 'control']], [d.group, ['a', 'b', 'c']]] as const) {
      const fast = logRank(d.time, d.status, group, names);
      const slow = naiveLogRank(d.time, d.status, [...group], [...names]);
      expect(fast.observed).toEqual(slow.observed);
      slow.expected.forEach((e, a) => expectClose(fast.expected[a]!, e, 1e-12, `expected[${a}]`));
      expectClose(fast.chisq, slow.chisq, 1e-12, 'chisq');
      expectClose(fast.p, slow.p, 1e-12, 'p');
      expect(logRank(d.time, d.status, group, names, { timeOrder: survivalOrder(d.time) })).toEqual(fast);
    }
  });
});

describe('Kaplan-Meier equals an O(n^2) implementation on tied data', () => {
  it.each([1, 2, 3, 4])('seed %i: steps, at(t) and the median', (seed) => {
    const d = dataset(200 + seed, 40 + 50 * seed, 15);
    const km = kaplanMeier(d.time, d.status);
    const times = [...new Set(d.time)].sort((a, b) => a - b);
    let surv = 1;
    expect(km.steps.map((s) => s.time)).toEqual(times);
    times.forEach((t, j) => {
      const nRisk = d.time.filter((x) => x >= t).length;
      const events = d.time.filter((x, i) => x === t && d.status[i] === 1).length;
      surv *= 1 - events / nRisk;
      const s = km.steps[j]!;
      expect([s.nRisk, s.events, s.censored]).toEqual([nRisk, events, d.time.filter((x) => x === t).length - events]);
      expectClose(s.surv, surv, 1e-12, `surv@${t}`);
    });
    for (const t of [0, 0.5, ...times, ...times.map((x) => x + 0.5), 100]) {
      const last = km.steps.filter((s) => s.time <= t).pop();
      expect(km.at(t)).toEqual({ surv: last?.surv ?? 1, lower: last?.lower ?? 1, upper: last?.upper ?? 1, nRisk: d.time.filter((x) => x >= t).length });
    }
    const first = km.steps.find((s) => s.surv <= 0.5 + 1.4901161193847656e-8);
    if (first && Math.abs(first.surv - 0.5) > 1.5e-8) expect(km.median).toBe(first.time);
    if (!first) expect(km.median).toBeNaN();
  });
});

describe('workspace reuse: results do not depend on earlier calls', () => {
  const sets = [dataset(31, 500, 40), dataset(32, 30, 5), dataset(33, 200, 12)];
  const run = (d: Data) => ({
    efron: coxPh(d.time, d.status, { TRT: d.trt, AGE: d.age, SITE: d.site }, 'efron'),
    breslow: coxPh(d.time, d.status, { TRT: d.trt }, 'breslow'),
    logRank: logRank(d.time, d.status, d.group),
    km: kaplanMeier(d.time, d.status).steps,
  });
  it('large, small, medium and back again: identical results, bit for bit', () => {
    const first = sets.map(run);
    const reversed = [...sets].reverse().map(run).reverse();
    const interleaved = [2, 0, 1, 0, 2, 1].map((j) => [j, run(sets[j]!)] as const);
    expect(reversed).toEqual(first);
    for (const [j, r] of interleaved) expect(r).toEqual(first[j]);
  });
});
