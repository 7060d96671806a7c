/**
 * Ordinary least squares by QR decomposition (ml-matrix, Householder) on centred covariates,
 * as R's lm(): coefficients, standard errors, t, two-sided p, confidence intervals, residual SD.
 * Centring leaves slopes and their SEs unchanged and keeps the problem well conditioned; no
 * normal-equations inverse of raw values is formed. As in R, a covariate that is constant or a
 * linear combination of earlier ones is aliased: its coefficient is NA (NaN) and the model is
 * fitted without it.
 *
 * @example linearModel([1, 2, 4, 4], { x: [1, 2, 3, 4] }).coefficients.x.estimate // 1.1
 */
import { inverse, Matrix, QrDecomposition } from 'ml-matrix';
import { pTwoSidedT, qt } from './distributions.js';
import { requireFinite } from './not-estimable.js';

export interface Coefficient {
  estimate: number;
  se: number;
  t: number;
  p: number;
  ci: [number, number];
}

export interface LinearModelResult {
  /** Slopes by covariate name, and "(Intercept)" (at the original, uncentred scale). */
  coefficients: Record<string, Coefficient>;
  residualSd: number;
  df: number;
  n: number;
  /** Covariates dropped as aliased (R reports NA for them). */
  aliased: string[];
}

export class RankDeficientError extends Error {
  override name = 'RankDeficientError';
}

export function linearModel(y: readonly number[], covariates: Record<string, readonly number[]>, conf = 0.95): LinearModelResult {
  requireFinite('linearModel', 'y', y);
  for (const [k, v] of Object.entries(covariates)) requireFinite('linearModel', k, v);
  const aliased: string[] = [];
  let current = { ...covariates };
  for (;;) {
    try {
      const fit = fitFullRank(y, current, conf);
      for (const a of aliased) fit.coefficients[a] = { estimate: NaN, se: NaN, t: NaN, p: NaN, ci: [NaN, NaN] };
      return { ...fit, aliased };
    } catch (err) {
      if (!(err instanceof AliasedColumn)) throw err;
      aliased.push(err.covariate);
      const { [err.covariate]: _dropped, ...rest } = current;
      current = rest;
    }
  }
}

class AliasedColumn extends Error {
  constructor(readonly covariate: string) {
    super(`covariate "${covariate}" is constant or a combination of the others`);
  }
}

function fitFullRank(y: readonly number[], covariates: Record<string, readonly number[]>, conf: number): Omit<LinearModelResult, 'aliased'> {
  const names = Object.keys(covariates);
  const n = y.length;
  const p = names.length + 1;
  const df = n - p;
  if (df <= 0) throw new RankDeficientError(`${n} observations cannot estimate ${p} coefficients`);
  const means = names.map((k) => covariates[k]!.reduce((s, v) => s + v, 0) / n);
  const X = new Matrix(n, p);
  for (let i = 0; i < n; i++) {
    X.set(i, 0, 1);
    names.forEach((k, j) => X.set(i, j + 1, covariates[k]![i]! - means[j]!));
  }
  const qr = new QrDecomposition(X);
  const R = qr.upperTriangularMatrix;
  const scale = Math.max(...Array.from({ length: p }, (_, j) => Math.abs(R.get(j, j))));
  for (let j = 0; j < p; j++) {
    if (Math.abs(R.get(j, j)) <= 1e-10 * scale) {
      if (j === 0) throw new RankDeficientError('the design has no intercept information');
      throw new AliasedColumn(names[j - 1]!);
    }
  }
  const beta = qr.solve(Matrix.columnVector([...y])).getColumn(0);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fit = 0;
    for (let j = 0; j < p; j++) fit += X.get(i, j) * beta[j]!;
    rss += (y[i]! - fit) ** 2;
  }
  const sigma2 = rss / df;
  const Rinv = inverse(R.subMatrix(0, p - 1, 0, p - 1));
  const unscaled = Rinv.mmul(Rinv.transpose());
  const q = qt(1 - (1 - conf) / 2, df);
  const coef = (estimate: number, variance: number): Coefficient => {
    const se = Math.sqrt(variance);
    const t = estimate / se;
    return { estimate, se, t, p: pTwoSidedT(t, df), ci: [estimate - q * se, estimate + q * se] };
  };
  const coefficients: Record<string, Coefficient> = {};
  names.forEach((k, j) => (coefficients[k] = coef(beta[j + 1]!, sigma2 * unscaled.get(j + 1, j + 1))));
  // Intercept at the uncentred scale: b0 - sum b_j mean_j, with its variance from the same matrix.
  const a = [1, ...means.map((m) => -m)];
  let b0 = 0;
  let v0 = 0;
  for (let j = 0; j < p; j++) {
    b0 += a[j]! * beta[j]!;
    for (let k = 0; k < p; k++) v0 += a[j]! * a[k]! * unscaled.get(j, k);
  }
  coefficients['(Intercept)'] = coef(b0, sigma2 * v0);
  return { coefficients, residualSd: Math.sqrt(sigma2), df, n };
}
