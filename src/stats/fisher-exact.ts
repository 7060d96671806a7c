/**
 * Fisher's exact test of a 2x2 table, as R's fisher.test computes it: the two-sided p-value
 * sums the probabilities of tables no more likely than the observed one (relative tolerance
 * 1e-7); the odds ratio is the conditional maximum-likelihood estimate (non-central
 * hypergeometric), and its CI inverts the two one-sided tests. Roots are found with R's
 * uniroot algorithm and tolerance, so the numbers are R's. The probabilities live in a reused
 * module-private buffer: nothing is allocated per root-finding step.
 *
 * Table: events/non-events in group 1 (a, b) and group 2 (c, d).
 *
 * @example fisherExact(7, 3, 1, 9).p // 0.01977
 */
import { lchoose } from './distributions.js';
import { uniroot } from './zeroin.js';

export interface FisherResult {
  p: number;
  /** Conditional MLE of the odds ratio (0 or Infinity at the edge of the support). */
  estimate: number;
  ci: [number, number];
}

// Module-private workspace over the support, reused across calls.
let logdcBuf = new Float64Array(0);
let dnBuf = new Float64Array(0);

export function fisherExact(a: number, b: number, c: number, d: number, conf = 0.95): FisherResult {
  const m = a + c; // first column total (events)
  const n = b + d; // second column total
  const k = a + b; // first row total
  const x = a;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const size = hi - lo + 1; // the support is lo..hi
  if (logdcBuf.length < size) {
    logdcBuf = new Float64Array(Math.max(size, 2 * logdcBuf.length));
    dnBuf = new Float64Array(logdcBuf.length);
  }
  const logdc = logdcBuf;
  const dn = dnBuf;
  for (let i = 0; i < size; i++) logdc[i] = lchoose(m, lo + i) + lchoose(n, k - lo - i) - lchoose(m + n, k);

  /** The non-central hypergeometric probabilities at ncp, into dn (no allocation per root-finding step). */
  const dnhyper = (ncp: number): void => {
    const lncp = Math.log(ncp);
    let max = -Infinity;
    for (let i = 0; i < size; i++) {
      dn[i] = logdc[i]! + lncp * (lo + i);
      max = Math.max(max, dn[i]!);
    }
    let sum = 0;
    for (let i = 0; i < size; i++) {
      dn[i] = Math.exp(dn[i]! - max);
      sum += dn[i]!;
    }
    for (let i = 0; i < size; i++) dn[i]! /= sum;
  };
  const mnhyper = (ncp: number): number => {
    if (ncp === 0) return lo;
    if (ncp === Infinity) return hi;
    dnhyper(ncp);
    let s = 0;
    for (let i = 0; i < size; i++) s += (lo + i) * dn[i]!;
    return s;
  };
  const pnhyper = (q: number, ncp: number, upper: boolean): number => {
    if (ncp === 0) return upper ? (q <= lo ? 1 : 0) : q >= lo ? 1 : 0;
    if (ncp === Infinity) return upper ? (q <= hi ? 1 : 0) : q >= hi ? 1 : 0;
    dnhyper(ncp);
    let s = 0;
    for (let i = 0; i < size; i++) {
      const v = lo + i;
      if (upper ? v >= q : v <= q) s += dn[i]!;
    }
    return s;
  };

  // Two-sided p-value at odds ratio 1.
  const relErr = 1 + 1e-7;
  const observed = Math.exp(logdc[x - lo]!);
  let sumP = 0;
  for (let i = 0; i < size; i++) {
    const v = Math.exp(logdc[i]!);
    if (v <= observed * relErr) sumP += v;
  }
  const p = Math.min(1, sumP);

  // Conditional MLE.
  let estimate: number;
  if (x === lo) estimate = 0;
  else if (x === hi) estimate = Infinity;
  else {
    const mu = mnhyper(1);
    if (mu > x) estimate = uniroot((t) => mnhyper(t) - x, 0, 1);
    else if (mu < x) estimate = 1 / uniroot((t) => mnhyper(1 / t) - x, 2.220446049250313e-16, 1);
    else estimate = 1;
  }

  // Confidence interval.
  const alpha = (1 - conf) / 2;
  const ncpUpper = (): number => {
    if (x === hi) return Infinity;
    const pp = pnhyper(x, 1, false);
    if (pp < alpha) return uniroot((t) => pnhyper(x, t, false) - alpha, 0, 1);
    if (pp > alpha) return 1 / uniroot((t) => pnhyper(x, 1 / t, false) - alpha, 2.220446049250313e-16, 1);
    return 1;
  };
  const ncpLower = (): number => {
    if (x === lo) return 0;
    const pp = pnhyper(x, 1, true);
    if (pp > alpha) return uniroot((t) => pnhyper(x, t, true) - alpha, 0, 1);
    if (pp < alpha) return 1 / uniroot((t) => pnhyper(x, 1 / t, true) - alpha, 2.220446049250313e-16, 1);
    return 1;
  };
  return { p, estimate, ci: [ncpLower(), ncpUpper()] };
}
