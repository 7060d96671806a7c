/**
 * Comparisons of two proportions from a 2x2 table: events/total in the active (1) and control
 * (2) groups. Risk difference with a Wald CI, relative risk with a CI on the log scale, odds
 * ratio with Woolf's (log) CI, Pearson's chi-square without continuity correction
 * (R's chisq.test(correct = FALSE)).
 *
 * @example riskDifference(42, 100, 28, 100).estimate // 0.14
 */
import { pchisqUpper, qnorm } from './distributions.js';
import { NotEstimable } from './not-estimable.js';

export interface Interval {
  estimate: number;
  ci: [number, number];
}

const z = (conf: number) => qnorm(1 - (1 - conf) / 2);

/**
 * Not estimable (with the exact difference kept as its estimate) when every proportion is 0 or 1:
 * the Wald standard error is then 0, and an interval [d, d] would claim certainty the data do not
 * have.
 */
export function riskDifference(e1: number, n1: number, e2: number, n2: number, conf = 0.95): (Interval & { se: number }) | NotEstimable {
  const p1 = e1 / n1;
  const p2 = e2 / n2;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const d = p1 - p2;
  if (!(se > 0) || !Number.isFinite(se)) return new NotEstimable('no Wald standard error: every proportion is 0 or 1', Number.isFinite(d) ? d : NaN);
  return { estimate: d, se, ci: [d - z(conf) * se, d + z(conf) * se] };
}

/**
 * NaN estimate or bounds where a zero cell makes them undefined (reported as NA), and NaN bounds
 * where both groups respond entirely (a log-scale standard error of 0).
 */
export function relativeRisk(e1: number, n1: number, e2: number, n2: number, conf = 0.95): Interval {
  const rr = e1 / n1 / (e2 / n2);
  const se = Math.sqrt(1 / e1 - 1 / n1 + 1 / e2 - 1 / n2);
  const degenerate = e1 === 0 || e2 === 0 || !(se > 0);
  return { estimate: e2 === 0 && e1 === 0 ? NaN : rr, ci: degenerate ? [NaN, NaN] : [rr * Math.exp(-z(conf) * se), rr * Math.exp(z(conf) * se)] };
}

export function oddsRatio(e1: number, n1: number, e2: number, n2: number, conf = 0.95): Interval {
  const [a, b, c, d] = [e1, n1 - e1, e2, n2 - e2];
  const or = (a * d) / (b * c);
  const se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  const anyZero = a === 0 || b === 0 || c === 0 || d === 0;
  return { estimate: (a === 0 && c === 0) || (b === 0 && d === 0) ? NaN : or, ci: anyZero ? [NaN, NaN] : [or * Math.exp(-z(conf) * se), or * Math.exp(z(conf) * se)] };
}

export function pearsonChiSquare(e1: number, n1: number, e2: number, n2: number): { statistic: number; df: number; p: number } {
  const table = [
    [e1, n1 - e1],
    [e2, n2 - e2],
  ];
  const N = n1 + n2;
  const cols = [e1 + e2, N - e1 - e2];
  const rows = [n1, n2];
  if (cols.some((c) => c === 0) || rows.some((r) => r === 0)) return { statistic: NaN, df: 1, p: NaN };
  let stat = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const e = (rows[i]! * cols[j]!) / N;
      stat += (table[i]![j]! - e) ** 2 / e;
    }
  }
  return { statistic: stat, df: 1, p: pchisqUpper(stat, 1) };
}
