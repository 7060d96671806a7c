/**
 * Rubin's rules for pooling one scalar estimate over M multiply-imputed datasets, with the
 * Barnard–Rubin (1999) small-sample degrees of freedom, as R's mice::pool computes them:
 *   Q̄ = mean(Qₘ), Ū = mean(Uₘ), B = var(Qₘ) (divisor M−1), T = Ū + (1 + 1/M)·B,
 *   λ = (1 + 1/M)·B / T (at least 1e-4, as mice), ν_old = (M−1)/λ²,
 *   ν_obs = (ν_com+1)/(ν_com+3)·ν_com·(1−λ), ν = ν_old·ν_obs/(ν_old+ν_obs)
 * (ν = ν_old when the complete-data df ν_com is infinite), r = (1+1/M)·B/Ū and the fraction
 * of missing information (r + 2/(ν+3))/(r + 1).
 *
 * @example rubin([1.1, 0.9, 1.3], [0.04, 0.05, 0.045], 97).df
 */
import { pTwoSidedT, qt } from './distributions.js';

export interface RubinPooled {
  /** Pooled estimate Q̄, within-imputation variance Ū, between-imputation variance B, total variance T. */
  estimate: number;
  within: number;
  between: number;
  total: number;
  se: number;
  /** Barnard–Rubin degrees of freedom. */
  df: number;
  /** Relative increase in variance due to nonresponse, and the fraction of missing information. */
  riv: number;
  lambda: number;
  fmi: number;
  t: number;
  p: number;
  ci: [number, number];
  m: number;
}

/** The Barnard–Rubin df of mice:::barnard.rubin. */
export function barnardRubinDf(m: number, between: number, total: number, dfCom: number): number {
  let lambda = ((1 + 1 / m) * between) / total;
  if (lambda < 1e-4) lambda = 1e-4;
  const dfOld = (m - 1) / (lambda * lambda);
  if (!Number.isFinite(dfCom)) return dfOld;
  const dfObs = ((dfCom + 1) / (dfCom + 3)) * dfCom * (1 - lambda);
  return (dfOld * dfObs) / (dfOld + dfObs);
}

/** Pools estimates `q` with their squared standard errors `u` (complete-data df `dfCom`, Infinity for a z statistic). */
export function rubin(q: ArrayLike<number>, u: ArrayLike<number>, dfCom: number, conf = 0.95): RubinPooled {
  const m = q.length;
  if (m < 2 || u.length !== m) throw new RangeError(`rubin: ${m} estimates and ${u.length} variances (two or more of each, as many of one as of the other, are required)`);
  let qbar = 0;
  let ubar = 0;
  for (let i = 0; i < m; i++) {
    qbar += q[i]!;
    ubar += u[i]!;
  }
  qbar /= m;
  ubar /= m;
  let b = 0;
  for (let i = 0; i < m; i++) b += (q[i]! - qbar) ** 2;
  b /= m - 1;
  const total = ubar + (1 + 1 / m) * b;
  const df = barnardRubinDf(m, b, total, dfCom);
  const riv = ((1 + 1 / m) * b) / ubar;
  const se = Math.sqrt(total);
  const t = qbar / se;
  const crit = qt(1 - (1 - conf) / 2, df);
  return {
    estimate: qbar,
    within: ubar,
    between: b,
    total,
    se,
    df,
    riv,
    lambda: ((1 + 1 / m) * b) / total,
    fmi: (riv + 2 / (df + 3)) / (riv + 1),
    t,
    p: pTwoSidedT(t, df),
    ci: [qbar - crit * se, qbar + crit * se],
    m,
  };
}
