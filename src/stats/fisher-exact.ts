/**
 * Fisher's exact test of a 2x2 table, as R's fisher.test computes it: the two-sided p-value
 * sums the probabilities of tables no more likely than the observed one (relative tolerance
 * 1e-7); the odds ratio is the conditional maximum-likelihood estimate (non-central
 * hypergeometric), and its CI inverts the two one-sided tests. Roots are found with R's
 * uniroot algorithm and tolerance, so the numbers are R's.
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

export function fisherExact(a: number, b: number, c: number, d: number, conf = 0.95): FisherResult {
  const m = a + c; // first column total (events)
  const n = b + d; // second column total
  const k = a + b; // first row total
  const x = a;
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const support: number[] = [];
  for (let s = lo; s <= hi; s++) support.push(s);
  const logdc = support.map((s) => lchoose(m, s) + lchoose(n, k - s) - lchoose(m + n, k));

  const dnhyper = (ncp: number): number[] => {
    const l = logdc.map((v, i) => v + Math.log(ncp) * support[i]!);
    const max = l.reduce((a, b) => (b > a ? b : a), -Infinity); // no spread: the support can be long
    const e = l.map((v) => Math.exp(v - max));
    const sum = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / sum);
  };
  const mnhyper = (ncp: number): number => {
    if (ncp === 0) return lo;
    if (ncp === Infinity) return hi;
    return dnhyper(ncp).reduce((s, p, i) => s + support[i]! * p, 0);
  };
  const pnhyper = (q: number, ncp: number, upper: boolean): number => {
    if (ncp === 0) return upper ? (q <= lo ? 1 : 0) : q >= lo ? 1 : 0;
    if (ncp === Infinity) return upper ? (q <= hi ? 1 : 0) : q >= hi ? 1 : 0;
    const dn = dnhyper(ncp);
    let s = 0;
    support.forEach((v, i) => {
      if (upper ? v >= q : v <= q) s += dn[i]!;
    });
    return s;
  };

  // Two-sided p-value at odds ratio 1.
  const d1 = logdc.map(Math.exp);
  const relErr = 1 + 1e-7;
  const observed = d1[x - lo]!;
  const p = Math.min(1, d1.reduce((s, v) => (v <= observed * relErr ? s + v : s), 0));

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
