/**
 * Two-sample t-tests of x - y, as R's t.test(x, y) (Welch, the default) and
 * t.test(x, y, var.equal = TRUE) (pooled). Two-sided p-value and confidence interval.
 *
 * @example welchTTest([1, 2, 3, 4], [2, 4, 6, 8]).p
 */
import { pTwoSidedT, qt } from './distributions.js';

export interface TTestResult {
  /** mean(x) - mean(y) */
  estimate: number;
  se: number;
  t: number;
  df: number;
  p: number;
  ci: [number, number];
}

function summary(v: readonly number[]): { n: number; mean: number; variance: number } {
  const n = v.length;
  let mean = 0;
  for (const x of v) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return { n, mean, variance: n > 1 ? ss / (n - 1) : NaN };
}

function finish(estimate: number, se: number, df: number, conf: number): TTestResult {
  const t = estimate / se;
  const q = qt(1 - (1 - conf) / 2, df);
  return { estimate, se, t, df, p: pTwoSidedT(t, df), ci: [estimate - q * se, estimate + q * se] };
}

export function welchTTest(x: readonly number[], y: readonly number[], conf = 0.95): TTestResult {
  const a = summary(x);
  const b = summary(y);
  const vx = a.variance / a.n;
  const vy = b.variance / b.n;
  const se = Math.sqrt(vx + vy);
  const df = (vx + vy) ** 2 / (vx ** 2 / (a.n - 1) + vy ** 2 / (b.n - 1));
  return finish(a.mean - b.mean, se, df, conf);
}

export function pooledTTest(x: readonly number[], y: readonly number[], conf = 0.95): TTestResult {
  const a = summary(x);
  const b = summary(y);
  const df = a.n + b.n - 2;
  const v = ((a.n - 1) * a.variance + (b.n - 1) * b.variance) / df;
  return finish(a.mean - b.mean, Math.sqrt(v * (1 / a.n + 1 / b.n)), df, conf);
}
