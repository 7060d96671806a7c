/**
 * Two-sample t-tests of x - y, as R's t.test(x, y) (Welch, the default) and
 * t.test(x, y, var.equal = TRUE) (pooled). Two-sided p-value and confidence interval.
 * Not estimable (R: "not enough observations" or "data are essentially constant"): fewer than
 * two values in an arm, a standard error that is zero against the data, or sums that overflow.
 *
 * @example welchTTest([1, 2, 3, 4], [2, 4, 6, 8]).p
 */
import { pTwoSidedT, qt } from './distributions.js';
import { NotEstimable, requireFinite } from './not-estimable.js';

export interface TTestResult {
  /** mean(x) - mean(y) */
  estimate: number;
  se: number;
  t: number;
  df: number;
  p: number;
  ci: [number, number];
}

function summary(v: ArrayLike<number>): { n: number; mean: number; variance: number } {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (v[i]! - mean) ** 2;
  return { n, mean, variance: n > 1 ? ss / (n - 1) : NaN };
}

/** A spread this small relative to the data is rounding error, not variability. */
const negligible = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  let m = 1;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  for (let i = 0; i < y.length; i++) m = Math.max(m, Math.abs(y[i]!));
  return 1e-10 * m;
};

function check(fn: string, x: ArrayLike<number>, y: ArrayLike<number>): NotEstimable | undefined {
  requireFinite(fn, 'x', x);
  requireFinite(fn, 'y', y);
  if (x.length < 2 || y.length < 2) return new NotEstimable(`fewer than two values in ${x.length < 2 ? 'the first' : 'the second'} group`);
  return undefined;
}

function finish(x: ArrayLike<number>, y: ArrayLike<number>, estimate: number, se: number, df: number, conf: number): TTestResult | NotEstimable {
  if (se <= negligible(x, y)) return new NotEstimable('no variance in either arm', estimate);
  if (!Number.isFinite(estimate) || !Number.isFinite(se) || !Number.isFinite(df)) return new NotEstimable('the values are too large: their sums of squares overflow');
  const t = estimate / se;
  const q = qt(1 - (1 - conf) / 2, df);
  return { estimate, se, t, df, p: pTwoSidedT(t, df), ci: [estimate - q * se, estimate + q * se] };
}

export function welchTTest(x: ArrayLike<number>, y: ArrayLike<number>, conf = 0.95): TTestResult | NotEstimable {
  const bad = check('welchTTest', x, y);
  if (bad) return bad;
  const a = summary(x);
  const b = summary(y);
  const vx = a.variance / a.n;
  const vy = b.variance / b.n;
  const se = Math.sqrt(vx + vy);
  const df = (vx + vy) ** 2 / (vx ** 2 / (a.n - 1) + vy ** 2 / (b.n - 1));
  return finish(x, y, a.mean - b.mean, se, df, conf);
}

export function pooledTTest(x: ArrayLike<number>, y: ArrayLike<number>, conf = 0.95): TTestResult | NotEstimable {
  const bad = check('pooledTTest', x, y);
  if (bad) return bad;
  const a = summary(x);
  const b = summary(y);
  const df = a.n + b.n - 2;
  const v = ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / df;
  return finish(x, y, a.mean - b.mean, Math.sqrt(v * (1 / a.n + 1 / b.n)), df, conf);
}
