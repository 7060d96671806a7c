/**
 * Ordinary least squares by Householder QR decomposition on centred covariates,
 * as R's lm(): coefficients, standard errors, t, two-sided p, confidence intervals, residual SD.
 * Centring leaves slopes and their SEs unchanged and keeps the problem well conditioned; no
 * normal-equations inverse of raw values is formed. As in R, a covariate that is constant or a
 * linear combination of earlier ones is aliased: its coefficient is NA (NaN) and the model is
 * fitted without it.
 *
 * The decomposition runs in place on a module-private column-major workspace (typed arrays
 * grown as needed and reused across calls): O(n p^2), nothing allocated per observation.
 *
 * @example linearModel([1, 2, 4, 4], { x: [1, 2, 3, 4] }).coefficients.x.estimate // 1.1
 */
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

export function linearModel(y: ArrayLike<number>, covariates: Record<string, ArrayLike<number>>, conf = 0.95): LinearModelResult {
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

// Workspace: the design (column-major, n x p, overwritten by the Householder vectors), the
// outcome (overwritten by Q'y, then the coefficients) and the diagonal of R.
let QR = new Float64Array(0);
let qty = new Float64Array(0);
let rdiag = new Float64Array(0);

function reserve(n: number, p: number): void {
  if (QR.length < n * p) QR = new Float64Array(Math.max(n * p, 2 * QR.length));
  if (qty.length < n) qty = new Float64Array(Math.max(n, 2 * qty.length));
  if (rdiag.length < p) rdiag = new Float64Array(Math.max(p, 2 * rdiag.length, 8));
}

function hypotenuse(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b !== 0) {
    const r = a / b;
    return Math.abs(b) * Math.sqrt(1 + r * r);
  }
  return 0;
}

/** Householder QR of the n x p design in QR (as JAMA and ml-matrix): R above the diagonal, its diagonal in rdiag. */
function householder(n: number, p: number): void {
  for (let k = 0; k < p; k++) {
    const col = k * n;
    // The column's norm by running hypotenuses (as ml-matrix did: the same bits, and no overflow).
    let nrm = 0;
    for (let i = k; i < n; i++) nrm = hypotenuse(nrm, QR[col + i]!);
    if (nrm !== 0) {
      if (QR[col + k]! < 0) nrm = -nrm;
      for (let i = k; i < n; i++) QR[col + i]! /= nrm;
      QR[col + k]! += 1;
      for (let j = k + 1; j < p; j++) {
        const cj = j * n;
        let s = 0;
        for (let i = k; i < n; i++) s += QR[col + i]! * QR[cj + i]!;
        s = -s / QR[col + k]!;
        for (let i = k; i < n; i++) QR[cj + i]! += s * QR[col + i]!;
      }
    }
    rdiag[k] = -nrm;
  }
}

function fitFullRank(y: ArrayLike<number>, covariates: Record<string, ArrayLike<number>>, conf: number): Omit<LinearModelResult, 'aliased'> {
  const names = Object.keys(covariates);
  const n = y.length;
  const p = names.length + 1;
  const df = n - p;
  if (df <= 0) throw new RankDeficientError(`${n} observations cannot estimate ${p} coefficients`);
  reserve(n, p);
  const cols = names.map((k) => covariates[k]!);
  const means = cols.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i]!;
    return s / n;
  });
  for (let i = 0; i < n; i++) QR[i] = 1;
  cols.forEach((c, j) => {
    const m = means[j]!;
    const off = (j + 1) * n;
    for (let i = 0; i < n; i++) QR[off + i] = c[i]! - m;
  });
  householder(n, p);
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, Math.abs(rdiag[j]!));
  for (let j = 0; j < p; j++) {
    if (Math.abs(rdiag[j]!) <= 1e-10 * scale) {
      if (j === 0) throw new RankDeficientError('the design has no intercept information');
      throw new AliasedColumn(names[j - 1]!);
    }
  }
  // beta = R^-1 Q'y: apply the reflections to y, then back-substitute.
  for (let i = 0; i < n; i++) qty[i] = y[i]!;
  for (let k = 0; k < p; k++) {
    const col = k * n;
    let s = 0;
    for (let i = k; i < n; i++) s += QR[col + i]! * qty[i]!;
    s = -s / QR[col + k]!;
    for (let i = k; i < n; i++) qty[i]! += s * QR[col + i]!;
  }
  // Column-oriented back-substitution, in ml-matrix's order of operations (identical results).
  for (let k = p - 1; k >= 0; k--) {
    qty[k]! /= rdiag[k]!;
    for (let i = 0; i < k; i++) qty[i]! -= qty[k]! * QR[k * n + i]!;
  }
  const beta = qty.slice(0, p);
  // Residuals from the data (not from Q'y), as before.
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let fit = beta[0]!;
    for (let j = 1; j < p; j++) fit += (cols[j - 1]![i]! - means[j - 1]!) * beta[j]!;
    rss += (y[i]! - fit) ** 2;
  }
  const sigma2 = rss / df;
  // (R'R)^-1 = R^-1 R^-T, with R^-1 upper triangular (p x p, row-major).
  const Rinv = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    // Column j of R^-1: solve R x = e_j by back-substitution (as ml-matrix's inverse did).
    Rinv[j * p + j] = 1;
    for (let k = j; k >= 0; k--) {
      Rinv[k * p + j]! /= rdiag[k]!;
      for (let i = 0; i < k; i++) Rinv[i * p + j]! -= Rinv[k * p + j]! * QR[k * n + i]!;
    }
  }
  const unscaled = (a: number, b: number): number => {
    let s = 0;
    for (let k = Math.max(a, b); k < p; k++) s += Rinv[a * p + k]! * Rinv[b * p + k]!;
    return s;
  };
  const q = qt(1 - (1 - conf) / 2, df);
  const coef = (estimate: number, variance: number): Coefficient => {
    const se = Math.sqrt(variance);
    const t = estimate / se;
    return { estimate, se, t, p: pTwoSidedT(t, df), ci: [estimate - q * se, estimate + q * se] };
  };
  const coefficients: Record<string, Coefficient> = {};
  names.forEach((k, j) => (coefficients[k] = coef(beta[j + 1]!, sigma2 * unscaled(j + 1, j + 1))));
  // Intercept at the uncentred scale: b0 - sum b_j mean_j, with its variance from the same matrix.
  const a = [1, ...means.map((m) => -m)];
  let b0 = 0;
  let v0 = 0;
  for (let j = 0; j < p; j++) {
    b0 += a[j]! * beta[j]!;
    for (let k = 0; k < p; k++) v0 += a[j]! * a[k]! * unscaled(j, k);
  }
  coefficients['(Intercept)'] = coef(b0, sigma2 * v0);
  return { coefficients, residualSd: Math.sqrt(sigma2), df, n };
}
