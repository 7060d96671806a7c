/**
 * Probability distributions with R's names, from maintained libraries (never hand-written):
 * stdlib for normal, t, chi-square, F, beta and hypergeometric; jStat for the non-central t
 * (stdlib has none; jStat's series agrees with R's pt(ncp=) to about 1e-9 here).
 *
 * @example pt(-2, 10) // P(T <= -2) for 10 degrees of freedom, as R's pt(-2, 10)
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import gammainc from '@stdlib/math-base-special-gammainc';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import binomcoefln from '@stdlib/math-base-special-binomcoefln';
import jstat from 'jstat';

export const pnorm = (q: number): number => normalCdf(q, 0, 1);
export const qnorm = (p: number): number => normalQuantile(p, 0, 1);
export const pt = (q: number, df: number): number => tCdf(q, df);
export const qt = (p: number, df: number): number => tQuantile(p, df);
/** Upper tail P(X > q) of a chi-square: the regularized upper incomplete gamma Q(df/2, q/2), accurate far into the tail. */
export const pchisqUpper = (q: number, df: number): number => (q <= 0 ? 1 : gammainc(q / 2, df / 2, true, true));
export const pfUpper = (q: number, df1: number, df2: number): number => 1 - fCdf(q, df1, df2);
export const qbeta = (p: number, a: number, b: number): number => betaQuantile(p, a, b);
/** log choose(n, k) */
export const lchoose = (n: number, k: number): number => binomcoefln(n, k);
/** Upper tail P(T > q) of a non-central t with `df` degrees of freedom and non-centrality `ncp`. */
export const ptNoncentralUpper = (q: number, df: number, ncp: number): number => 1 - jstat.jStat.noncentralt.cdf(q, df, ncp);

/** Two-sided p-value of a t statistic: 2 P(T > |t|). */
export const pTwoSidedT = (t: number, df: number): number => 2 * pt(-Math.abs(t), df);
/** Two-sided p-value of a z statistic. */
export const pTwoSidedZ = (z: number): number => 2 * pnorm(-Math.abs(z));
