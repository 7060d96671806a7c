/**
 * One multiple-imputation draw of a two-arm repeated-measures dataset from an MMRM fit (mmrm.ts:
 * visit intercepts, treatment × visit, covariates by visit, one covariance Σ over the
 * post-baseline visits): first the parameters, then each subject's missing values from the
 * conditional normal given its observed ones (Carpenter, Roger & Kenward 2013, J Biopharm Stat
 * 23:1352). Pure: the random source is an argument.
 *
 * Parameters, from their joint approximate posterior under a flat prior on β (the "5 macros'"
 * draw): first the covariance, then the coefficients given it,
 *   Σ* ~ inverse-Wishart with ν = nSubjects degrees of freedom, scaled so that E[Σ*] = Σ̂:
 *        Σ* = (ν − V − 1)·L (A Aᵀ)⁻¹ Lᵀ, L = chol(Σ̂), A the Bartlett factor of Wishart(ν, I);
 *   β* | Σ* ~ N(β̂(Σ*), (X'V*⁻¹X)⁻¹), V* = blockdiag(Σ*_S), β̂(Σ*) the GLS estimate at Σ*
 *        (mi-gls.ts); drawn as β* = β̂(Σ*) + L*⁻ᵀ z, X'V*⁻¹X = L* L*ᵀ, z ~ N(0, I).
 * Mean profiles at the subject's covariates x: μ_a(j) = β*_j + a·β*_{V+j} + Σ_c β*_{c,j}(x_c − x̄_c),
 * a = 1 active, 0 reference (the comparison's control arm). A subject's last observed visit is t (−1: none).
 * The mean vector m the missing values are drawn around, for an active-arm subject:
 *   mar                          m = μ_1 (its own arm)
 *   jump_to_reference            m(j) = μ_1(j) for j ≤ t, μ_0(j) after
 *   copy_reference               m = μ_0 at every visit (the observed residuals are taken from it)
 *   copy_increments_in_reference m(j) = μ_1(j) for j ≤ t, μ_1(t) + μ_0(j) − μ_0(t) after
 *                                (t = −1: μ_0, the arms having the same mean at baseline)
 * and m = μ_0 for a reference-arm subject under every strategy. Missing values M given the
 * observed O: y_M ~ N(m_M + Σ*_MO Σ*_OO⁻¹ (y_O − m_O), Σ*_MM − Σ*_MO Σ*_OO⁻¹ Σ*_OM); an active-arm
 * subject's imputed values are then shifted by `delta` (a delta-adjusted analysis).
 *
 * @example imputeOnce(model, data, 'jump_to_reference', 0, source, completed)
 */
import type { Source } from '../random/stream.js';
import { choleskyLower } from './cholesky-lower.js';
import { glsAt, type GlsPatterns } from './mi-gls.js';

export const IMPUTATION_STRATEGIES = ['mar', 'jump_to_reference', 'copy_reference', 'copy_increments_in_reference'] as const;
export type ImputationStrategy = (typeof IMPUTATION_STRATEGIES)[number];

/** What a draw needs of an MMRM fit (MmrmResult's fields of the same names) and its data. */
export interface ImputationModel {
  nVisits: number;
  /** Σ̂ (V×V, row-major). */
  covariance: Float64Array;
  /** Degrees of freedom of Σ*'s inverse-Wishart (the subjects of the fit). */
  nSubjects: number;
  /** The fit's data as GLS sums per missingness pattern (glsPatterns of the same values, treatment and centred covariates). */
  patterns: GlsPatterns;
}

/** One parameter draw: Σ* and β* (columns as mmrm's design: visits, treatment × visit, covariates × visit). */
export interface ImputationParameters {
  sigma: Float64Array;
  beta: Float64Array;
}

export interface ImputationData {
  /** Subject i's value at visit j at i·V + j, NaN where missing. */
  values: Float64Array;
  /** 1 active, 0 reference, per subject. */
  treatment: Float64Array;
  /** Each covariate's per-subject values already centred at the fit's means (the fit's covariate order). */
  centred: readonly Float64Array[];
}

/** A standard normal by Box–Muller (two uniforms per draw: the stream's use does not depend on a cache). */
export function normal(source: Source): number {
  let u = source();
  while (u === 0) u = source();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * source());
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), shape ≥ 1. */
export function gamma(shape: number, source: Source): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(source);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = source();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Inverse of a lower-triangular n×n matrix (row-major). */
function lowerInverse(l: Float64Array, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    inv[j * n + j] = 1 / l[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= l[i * n + k]! * inv[k * n + j]!;
      inv[i * n + j] = s / l[i * n + i]!;
    }
  }
  return inv;
}

/** Σ* from the scaled inverse-Wishart around Σ̂ (see the module comment). */
export function drawCovariance(sigma: Float64Array, V: number, nu: number, source: Source): Float64Array {
  const l = Float64Array.from(sigma);
  if (!choleskyLower(l, V)) throw new RangeError('mi: the fitted covariance is not positive definite');
  // Bartlett: A lower triangular, A_ii = sqrt(χ²(ν − i)), A_ij ~ N(0, 1) below the diagonal; W = A Aᵀ ~ Wishart(ν, I).
  const a = new Float64Array(V * V);
  for (let i = 0; i < V; i++) {
    a[i * V + i] = Math.sqrt(2 * gamma((nu - i) / 2, source));
    for (let j = 0; j < i; j++) a[i * V + j] = normal(source);
  }
  // Σ* = s·L (A Aᵀ)⁻¹ Lᵀ = s·(L A⁻ᵀ)(L A⁻ᵀ)ᵀ, s = ν − V − 1.
  const ainv = lowerInverse(a, V);
  const b = new Float64Array(V * V); // B = L A⁻ᵀ
  for (let i = 0; i < V; i++)
    for (let j = 0; j < V; j++) {
      let s = 0;
      for (let k = 0; k < V; k++) s += l[i * V + k]! * ainv[j * V + k]!;
      b[i * V + j] = s;
    }
  const scale = nu - V - 1;
  const out = new Float64Array(V * V);
  for (let i = 0; i < V; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < V; k++) s += b[i * V + k]! * b[j * V + k]!;
      out[i * V + j] = out[j * V + i] = scale * s;
    }
  return out;
}

/** Σ*, then β* | Σ* ~ N(β̂(Σ*), (X'V*⁻¹X)⁻¹) (module comment); draws V(V+1)/2 uniforms' worth for Σ*, then p normals. */
export function drawParameters(model: ImputationModel, source: Source): ImputationParameters {
  const sigma = drawCovariance(model.covariance, model.nVisits, model.nSubjects, source);
  const { beta, factor } = glsAt(model.patterns, sigma);
  const p = beta.length;
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) z[i] = normal(source);
  // w = L⁻ᵀ z has covariance (L Lᵀ)⁻¹ = (X'V*⁻¹X)⁻¹.
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let t = i + 1; t < p; t++) s -= factor[t * p + i]! * z[t]!;
    z[i] = s / factor[i * p + i]!;
  }
  for (let i = 0; i < p; i++) beta[i] = beta[i]! + z[i]!;
  return { sigma, beta };
}

/** The mean vector the missing values of one subject are drawn around (module comment), into `m`. */
export function targetMean(beta: Float64Array, V: number, x: ArrayLike<number>, active: boolean, last: number, strategy: ImputationStrategy, m: Float64Array): void {
  const mu = (a: number, j: number): number => {
    let s = beta[j]! + a * beta[V + j]!;
    for (let c = 0; c < x.length; c++) s += beta[2 * V + c * V + j]! * x[c]!;
    return s;
  };
  for (let j = 0; j < V; j++) {
    if (!active || strategy === 'copy_reference') m[j] = mu(0, j);
    else if (strategy === 'mar' || j <= last) m[j] = mu(1, j);
    else if (strategy === 'jump_to_reference') m[j] = mu(0, j);
    else m[j] = last < 0 ? mu(0, j) : mu(1, last) + mu(0, j) - mu(0, last);
  }
}

/**
 * Fills `out` (n·V) with the data, its missing values imputed from one parameter draw. The
 * order of draws from `source`: Σ*, β*, then each subject's missing values in subject order.
 */
export function imputeOnce(model: ImputationModel, data: ImputationData, strategy: ImputationStrategy, delta: number, source: Source, out: Float64Array): void {
  imputeWith(drawParameters(model, source), model.nVisits, data, strategy, delta, source, out);
}

/** Fills `out` (n·V) with the data, its missing values drawn given the parameters (each subject's in subject order). */
export function imputeWith(params: ImputationParameters, V: number, data: ImputationData, strategy: ImputationStrategy, delta: number, source: Source, out: Float64Array): void {
  const { sigma, beta } = params;
  const n = data.treatment.length;
  const nc = data.centred.length;
  const x = new Float64Array(nc);
  const m = new Float64Array(V);
  const obs = new Int32Array(V);
  const mis = new Int32Array(V);
  const soo = new Float64Array(V * V);
  const w = new Float64Array(V * V); // L_OO⁻¹ Σ_OM, column by missing visit
  const r = new Float64Array(V);
  const cmm = new Float64Array(V * V);
  const z = new Float64Array(V);
  out.set(data.values);
  for (let i = 0; i < n; i++) {
    let no = 0;
    let nm = 0;
    let last = -1;
    for (let j = 0; j < V; j++) {
      if (Number.isNaN(data.values[i * V + j]!)) mis[nm++] = j;
      else {
        obs[no++] = j;
        last = j;
      }
    }
    if (nm === 0) continue;
    for (let c = 0; c < nc; c++) x[c] = data.centred[c]![i]!;
    const active = data.treatment[i] === 1;
    targetMean(beta, V, x, active, last, strategy, m);
    // Whitened observed residuals r = L_OO⁻¹ (y_O − m_O) and W = L_OO⁻¹ Σ_OM: the conditional mean is m_M + Wᵀ r, the covariance Σ_MM − Wᵀ W.
    for (let a = 0; a < no; a++) for (let b = 0; b < no; b++) soo[a * no + b] = sigma[obs[a]! * V + obs[b]!]!;
    if (no > 0 && !choleskyLower(soo, no)) throw new RangeError('mi: a drawn covariance is not positive definite');
    for (let a = 0; a < no; a++) {
      let s = data.values[i * V + obs[a]!]! - m[obs[a]!]!;
      for (let k = 0; k < a; k++) s -= soo[a * no + k]! * r[k]!;
      r[a] = s / soo[a * no + a]!;
      for (let b = 0; b < nm; b++) {
        let t = sigma[obs[a]! * V + mis[b]!]!;
        for (let k = 0; k < a; k++) t -= soo[a * no + k]! * w[k * nm + b]!;
        w[a * nm + b] = t / soo[a * no + a]!;
      }
    }
    for (let b = 0; b < nm; b++)
      for (let c = 0; c <= b; c++) {
        let s = sigma[mis[b]! * V + mis[c]!]!;
        for (let k = 0; k < no; k++) s -= w[k * nm + b]! * w[k * nm + c]!;
        cmm[b * nm + c] = cmm[c * nm + b] = s;
      }
    if (!choleskyLower(cmm, nm)) throw new RangeError('mi: a conditional covariance is not positive definite');
    for (let b = 0; b < nm; b++) z[b] = normal(source);
    for (let b = 0; b < nm; b++) {
      let mean = m[mis[b]!]!;
      for (let k = 0; k < no; k++) mean += w[k * nm + b]! * r[k]!;
      let e = 0;
      for (let k = 0; k <= b; k++) e += cmm[b * nm + k]! * z[k]!;
      out[i * V + mis[b]!] = mean + e + (active ? delta : 0);
    }
  }
}
