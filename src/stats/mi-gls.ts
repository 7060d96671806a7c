/**
 * The MMRM's generalised least squares at a given covariance, for multiple imputation's
 * parameter draw (mi-impute.ts): β̂(Σ) = (X'V⁻¹X)⁻¹ X'V⁻¹y and the Cholesky factor of X'V⁻¹X,
 * V = blockdiag(Σ_S) over the subjects, Σ_S the rows and columns of Σ at a subject's observed visits.
 *
 * The design is mmrm.ts's with every covariate by visit: the column of feature f at visit v is
 * f·V + v, the features being 1 (visit intercepts), the treatment (treatment × visit) and each
 * centred covariate. A subject's design row at visit v is its feature vector φ_i at v's columns,
 * so with the subjects grouped by their set of observed visits S (a missingness pattern),
 *   (X'V⁻¹X)[(f,v_a),(g,v_b)] = Σ_S W_S[a,b] Σ_{i∈S} φ_if φ_ig,   W_S = Σ_S⁻¹,
 *   (X'V⁻¹y)[(f,v_a)]        = Σ_S Σ_b W_S[a,b] Σ_{i∈S} φ_if y_ib.
 * The sums over subjects are kept per pattern (built once), so each covariance costs
 * patterns × visits² × features² operations and one p×p Cholesky factorisation, whatever the
 * number of subjects. Subjects with no observed visit are not in the fit (as in mmrm).
 */
import { choleskyLower } from './cholesky-lower.js';

export interface GlsPatterns {
  nVisits: number;
  /** Features per subject: 1, treatment, covariates. */
  nFeatures: number;
  /** Coefficients: nFeatures × nVisits. */
  p: number;
  patterns: {
    visits: Int32Array;
    /** Σ φ φ' over the pattern's subjects (F×F). */
    ff: Float64Array;
    /** Σ φ_f y_b over the pattern's subjects (F×k, row f). */
    fy: Float64Array;
  }[];
}

/** The per-pattern sums of the data (values n·V with NaN where missing, treatment, centred covariates). */
export function glsPatterns(values: Float64Array, treatment: Float64Array, centred: readonly Float64Array[], V: number): GlsPatterns {
  const n = treatment.length;
  const F = 2 + centred.length;
  const byMask = new Map<number, GlsPatterns['patterns'][number]>();
  const phi = new Float64Array(F);
  for (let i = 0; i < n; i++) {
    let mask = 0;
    for (let v = 0; v < V; v++) if (!Number.isNaN(values[i * V + v]!)) mask |= 1 << v;
    if (mask === 0) continue;
    let pat = byMask.get(mask);
    if (!pat) {
      const visits = Int32Array.from({ length: V }, (_, v) => v).filter((v) => (mask & (1 << v)) !== 0);
      byMask.set(mask, (pat = { visits, ff: new Float64Array(F * F), fy: new Float64Array(F * visits.length) }));
    }
    phi[0] = 1;
    phi[1] = treatment[i]!;
    for (let c = 0; c < centred.length; c++) phi[2 + c] = centred[c]![i]!;
    const k = pat.visits.length;
    for (let f = 0; f < F; f++) {
      for (let g = 0; g < F; g++) pat.ff[f * F + g] = pat.ff[f * F + g]! + phi[f]! * phi[g]!;
      for (let b = 0; b < k; b++) pat.fy[f * k + b] = pat.fy[f * k + b]! + phi[f]! * values[i * V + pat.visits[b]!]!;
    }
  }
  return { nVisits: V, nFeatures: F, p: F * V, patterns: [...byMask.values()] };
}

export interface GlsAt {
  /** β̂(Σ). */
  beta: Float64Array;
  /** X'V⁻¹X (p×p) and its lower Cholesky factor L (X'V⁻¹X = L Lᵀ). */
  information: Float64Array;
  factor: Float64Array;
}

/** β̂(Σ) and X'V⁻¹X at the covariance Σ (V×V); throws RangeError when Σ_S or X'V⁻¹X is not positive definite. */
export function glsAt(g: GlsPatterns, sigma: Float64Array): GlsAt {
  const { nVisits: V, nFeatures: F, p } = g;
  const a = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  const w = new Float64Array(V * V);
  for (const pat of g.patterns) {
    const { visits, ff, fy } = pat;
    const k = visits.length;
    // W = Σ_S⁻¹ by Cholesky: Σ_S = L Lᵀ, W = L⁻ᵀ L⁻¹ (k is at most the visits).
    for (let x = 0; x < k; x++) for (let y = 0; y < k; y++) w[x * k + y] = sigma[visits[x]! * V + visits[y]!]!;
    if (!choleskyLower(w, k)) throw new RangeError('mi: a drawn covariance is not positive definite');
    invertFromCholesky(w, k);
    for (let x = 0; x < k; x++)
      for (let y = 0; y < k; y++) {
        const wab = w[x * k + y]!;
        const va = visits[x]!;
        const vb = visits[y]!;
        for (let f = 0; f < F; f++) {
          const row = (f * V + va) * p;
          for (let h = 0; h < F; h++) a[row + h * V + vb] = a[row + h * V + vb]! + wab * ff[f * F + h]!;
          rhs[f * V + va] = rhs[f * V + va]! + wab * fy[f * k + y]!;
        }
      }
  }
  const information = Float64Array.from(a);
  if (!choleskyLower(a, p)) throw new RangeError("mi: X'V⁻¹X is singular at a drawn covariance");
  const beta = rhs;
  // (L Lᵀ) β = X'V⁻¹y: forward, then back substitution.
  for (let i = 0; i < p; i++) {
    let s = beta[i]!;
    for (let t = 0; t < i; t++) s -= a[i * p + t]! * beta[t]!;
    beta[i] = s / a[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = beta[i]!;
    for (let t = i + 1; t < p; t++) s -= a[t * p + i]! * beta[t]!;
    beta[i] = s / a[i * p + i]!;
  }
  return { beta, information, factor: a };
}

/** The inverse of L Lᵀ from the lower factor L held in `l` (k×k), written over it. */
function invertFromCholesky(l: Float64Array, k: number): void {
  const linv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    linv[j * k + j] = 1 / l[j * k + j]!;
    for (let i = j + 1; i < k; i++) {
      let s = 0;
      for (let t = j; t < i; t++) s -= l[i * k + t]! * linv[t * k + j]!;
      linv[i * k + j] = s / l[i * k + i]!;
    }
  }
  for (let i = 0; i < k; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = i; t < k; t++) s += linv[t * k + i]! * linv[t * k + j]!;
      l[i * k + j] = l[j * k + i] = s;
    }
}
