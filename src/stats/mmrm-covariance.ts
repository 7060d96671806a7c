/**
 * The within-subject covariance structures of an MMRM, each as a map from unconstrained
 * parameters θ to the V×V covariance Σ over the visits, with its analytic Jacobian ∂Σ/∂θ (the
 * REML gradient is ∂(-ℓ)/∂Σ contracted with it). Every θ gives a positive-definite Σ, so the
 * optimiser needs no constraints:
 * - unstructured: Σ = LL', L lower triangular with log-diagonal (V(V+1)/2 parameters);
 * - compound_symmetry: Σ = σ²((1-ρ)I + ρJ), homogeneous variance, ρ in (-1/(V-1), 1) by a
 *   logistic map (2 parameters);
 * - ar1: Σ_jk = σ²ρ^|j-k| on the visit index, ρ = tanh θ₂ (2 parameters);
 * - toeplitz: Σ_jk = σ² r_|j-k| with homogeneous variance (SAS TOEP, mmrm's `toep`): the
 *   correlations r_1..r_{V-1} come from partial autocorrelations tanh θ by the Durbin-Levinson
 *   recursion, which gives exactly the positive-definite Toeplitz matrices (V parameters).
 * With one visit every structure is a single variance.
 */

export const COVARIANCE_STRUCTURES = ['unstructured', 'compound_symmetry', 'ar1', 'toeplitz'] as const;
export type CovarianceStructure = (typeof COVARIANCE_STRUCTURES)[number];

export interface Covariance {
  readonly structure: CovarianceStructure;
  readonly nVisits: number;
  readonly nTheta: number;
  /** Writes Σ (row-major V×V) at θ into `out`, and ∂Σ/∂θ_m into jac[m·V² ...] when `jac` is given. */
  sigma(theta: Float64Array, out: Float64Array, jac?: Float64Array): void;
  /**
   * Where given, out_m = Σ_jk d_jk ∂Σ_jk/∂θ_m for a symmetric d at the θ of the last `sigma`
   * call, without forming the Jacobian (the unstructured one has V²·V(V+1)/2 entries).
   */
  pullback?(d: Float64Array, out: Float64Array): void;
  /** Parameters whose Σ is close to a starting covariance (positive definite or not). */
  start(sigma0: Float64Array): Float64Array;
}

export function covarianceStructure(structure: CovarianceStructure, nVisits: number): Covariance {
  if (!Number.isInteger(nVisits) || nVisits < 1) throw new RangeError(`covariance: ${nVisits} visits (at least 1 is required)`);
  if (nVisits === 1) return singleVariance(structure);
  switch (structure) {
    case 'unstructured':
      return unstructured(nVisits);
    case 'compound_symmetry':
      return compoundSymmetry(nVisits);
    case 'ar1':
      return ar1(nVisits);
    case 'toeplitz':
      return toeplitz(nVisits);
  }
}

function singleVariance(structure: CovarianceStructure): Covariance {
  return {
    structure,
    nVisits: 1,
    nTheta: 1,
    sigma(theta, out, jac) {
      out[0] = Math.exp(theta[0]!);
      if (jac) jac[0] = out[0];
    },
    start: (s0) => Float64Array.of(Math.log(Math.max(s0[0]!, 1e-8))),
  };
}

/** The mean variance and mean correlation at each lag of a starting covariance (lag 0: variance). */
function lagAverages(s0: Float64Array, V: number): { variance: number; corr: Float64Array } {
  let variance = 0;
  for (let j = 0; j < V; j++) variance += Math.max(s0[j * V + j]!, 1e-8);
  variance /= V;
  const corr = new Float64Array(V);
  for (let lag = 1; lag < V; lag++) {
    let s = 0;
    for (let j = lag; j < V; j++) s += s0[j * V + j - lag]! / Math.sqrt(Math.max(s0[j * V + j]!, 1e-8) * Math.max(s0[(j - lag) * V + j - lag]!, 1e-8));
    corr[lag] = s / (V - lag);
  }
  return { variance, corr };
}

const clampCorr = (r: number): number => Math.max(-0.9, Math.min(0.95, Number.isFinite(r) ? r : 0));

function unstructured(V: number): Covariance {
  const m = (V * (V + 1)) / 2;
  const L = new Float64Array(V * V);
  // θ index of L[i][j] (i ≥ j), row by row.
  const index = (i: number, j: number): number => (i * (i + 1)) / 2 + j;
  return {
    structure: 'unstructured',
    nVisits: V,
    nTheta: m,
    sigma(theta, out, jac) {
      L.fill(0);
      for (let i = 0; i < V; i++) for (let j = 0; j <= i; j++) L[i * V + j] = i === j ? Math.exp(theta[index(i, i)]!) : theta[index(i, j)]!;
      for (let a = 0; a < V; a++)
        for (let b = 0; b <= a; b++) {
          let s = 0;
          for (let t = 0; t <= b; t++) s += L[a * V + t]! * L[b * V + t]!;
          out[a * V + b] = s;
          out[b * V + a] = s;
        }
      if (!jac) return;
      jac.fill(0, 0, m * V * V);
      // ∂Σ/∂L_ij = e_i (row j of L')  + (column j of L) e_i'; the diagonal is on the log scale.
      for (let i = 0; i < V; i++)
        for (let j = 0; j <= i; j++) {
          const off = index(i, j) * V * V;
          const scale = i === j ? L[i * V + i]! : 1;
          for (let b = 0; b < V; b++) {
            const l = L[b * V + j]! * scale;
            jac[off + i * V + b] = jac[off + i * V + b]! + l;
            jac[off + b * V + i] = jac[off + b * V + i]! + l;
          }
        }
    },
    pullback(d, out) {
      // dΣ = dL L' + L dL', so Σ d_jk dΣ_jk = 2 Σ (dL)_ij dL_ij; the diagonal is on the log scale.
      for (let i = 0; i < V; i++)
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let b = j; b < V; b++) s += d[i * V + b]! * L[b * V + j]!;
          out[index(i, j)] = 2 * s * (i === j ? L[i * V + i]! : 1);
        }
    },
    start(s0) {
      const theta = new Float64Array(m);
      const c = new Float64Array(V * V);
      for (let j = 0; j < V * V; j++) c[j] = s0[j]!;
      // A starting covariance that is not positive definite (pairwise moments) is shrunk towards its diagonal.
      for (let shrink = 1; shrink >= 0; shrink -= 0.25) {
        const ok = choleskyLower(c, V);
        if (ok) {
          for (let i = 0; i < V; i++) for (let j = 0; j <= i; j++) theta[index(i, j)] = i === j ? Math.log(c[i * V + i]!) : c[i * V + j]!;
          return theta;
        }
        for (let a = 0; a < V; a++) for (let b = 0; b < V; b++) c[a * V + b] = a === b ? Math.max(s0[a * V + a]!, 1e-8) : s0[a * V + b]! * (shrink - 0.25);
      }
      throw new Error('unreachable: a positive diagonal is positive definite');
    },
  };
}

/** In-place Cholesky of a row-major V×V matrix (lower triangle); false when it is not positive definite. */
function choleskyLower(a: Float64Array, V: number): boolean {
  for (let j = 0; j < V; j++) {
    let d = a[j * V + j]!;
    for (let t = 0; t < j; t++) d -= a[j * V + t]! * a[j * V + t]!;
    if (!(d > 0)) return false;
    d = Math.sqrt(d);
    a[j * V + j] = d;
    for (let i = j + 1; i < V; i++) {
      let s = a[i * V + j]!;
      for (let t = 0; t < j; t++) s -= a[i * V + t]! * a[j * V + t]!;
      a[i * V + j] = s / d;
    }
  }
  return true;
}

function compoundSymmetry(V: number): Covariance {
  const lo = -1 / (V - 1);
  return {
    structure: 'compound_symmetry',
    nVisits: V,
    nTheta: 2,
    sigma(theta, out, jac) {
      const s2 = Math.exp(theta[0]!);
      const e = 1 / (1 + Math.exp(-theta[1]!));
      const rho = lo + (1 - lo) * e;
      const drho = (1 - lo) * e * (1 - e);
      for (let a = 0; a < V; a++)
        for (let b = 0; b < V; b++) {
          out[a * V + b] = a === b ? s2 : s2 * rho;
          if (jac) {
            jac[a * V + b] = out[a * V + b]!;
            jac[V * V + a * V + b] = a === b ? 0 : s2 * drho;
          }
        }
    },
    start(s0) {
      const { variance, corr } = lagAverages(s0, V);
      let r = 0;
      for (let lag = 1; lag < V; lag++) r += corr[lag]! * (V - lag);
      r = Math.max(lo / 2, clampCorr(r / ((V * (V - 1)) / 2)));
      const e = (r - lo) / (1 - lo);
      return Float64Array.of(Math.log(variance), Math.log(e / (1 - e)));
    },
  };
}

function ar1(V: number): Covariance {
  return {
    structure: 'ar1',
    nVisits: V,
    nTheta: 2,
    sigma(theta, out, jac) {
      const s2 = Math.exp(theta[0]!);
      const rho = Math.tanh(theta[1]!);
      for (let a = 0; a < V; a++)
        for (let b = 0; b < V; b++) {
          const lag = Math.abs(a - b);
          out[a * V + b] = s2 * rho ** lag;
          if (jac) {
            jac[a * V + b] = out[a * V + b]!;
            jac[V * V + a * V + b] = lag === 0 ? 0 : s2 * lag * rho ** (lag - 1) * (1 - rho * rho);
          }
        }
    },
    start(s0) {
      const { variance, corr } = lagAverages(s0, V);
      return Float64Array.of(Math.log(variance), Math.atanh(clampCorr(corr[1]!)));
    },
  };
}

function toeplitz(V: number): Covariance {
  const q = V - 1;
  const m = V;
  // Durbin-Levinson state with forward-mode derivatives: r[k], its derivatives dr[k·q + p]
  // by partial autocorrelation p, the AR coefficients a and their derivatives da.
  const r = new Float64Array(V);
  const dr = new Float64Array(V * q);
  const a = new Float64Array(V);
  const da = new Float64Array(V * q);
  const aNext = new Float64Array(V);
  const daNext = new Float64Array(V * q);
  const phi = new Float64Array(V);
  const dphi = new Float64Array(V);
  return {
    structure: 'toeplitz',
    nVisits: V,
    nTheta: m,
    sigma(theta, out, jac) {
      const s2 = Math.exp(theta[0]!);
      for (let k = 1; k <= q; k++) {
        phi[k] = Math.tanh(theta[k]!);
        dphi[k] = 1 - phi[k]! * phi[k]!;
      }
      r.fill(0);
      dr.fill(0);
      a.fill(0);
      da.fill(0);
      r[0] = 1;
      for (let k = 1; k <= q; k++) {
        // r_k = Σ_j a_j r_{k-j} + φ_k (1 - Σ_j a_j r_j), with a the order-(k-1) coefficients.
        let s1 = 0;
        let s2k = 0;
        for (let j = 1; j < k; j++) {
          s1 += a[j]! * r[k - j]!;
          s2k += a[j]! * r[j]!;
        }
        r[k] = s1 + phi[k]! * (1 - s2k);
        for (let p = 1; p <= q; p++) {
          let d1 = 0;
          let d2 = 0;
          for (let j = 1; j < k; j++) {
            d1 += da[j * q + p - 1]! * r[k - j]! + a[j]! * dr[(k - j) * q + p - 1]!;
            d2 += da[j * q + p - 1]! * r[j]! + a[j]! * dr[j * q + p - 1]!;
          }
          dr[k * q + p - 1] = d1 - phi[k]! * d2 + (p === k ? dphi[k]! * (1 - s2k) : 0);
        }
        // Order-k coefficients: a_j - φ_k a_{k-j}, and a_k = φ_k.
        for (let j = 1; j < k; j++) {
          aNext[j] = a[j]! - phi[k]! * a[k - j]!;
          for (let p = 1; p <= q; p++) daNext[j * q + p - 1] = da[j * q + p - 1]! - phi[k]! * da[(k - j) * q + p - 1]! - (p === k ? dphi[k]! * a[k - j]! : 0);
        }
        aNext[k] = phi[k]!;
        for (let p = 1; p <= q; p++) daNext[k * q + p - 1] = p === k ? dphi[k]! : 0;
        for (let j = 1; j <= k; j++) {
          a[j] = aNext[j]!;
          for (let p = 1; p <= q; p++) da[j * q + p - 1] = daNext[j * q + p - 1]!;
        }
      }
      for (let i = 0; i < V; i++)
        for (let j = 0; j < V; j++) {
          const lag = Math.abs(i - j);
          out[i * V + j] = s2 * r[lag]!;
          if (jac) {
            jac[i * V + j] = out[i * V + j]!;
            for (let p = 1; p <= q; p++) jac[p * V * V + i * V + j] = s2 * (lag === 0 ? 0 : dr[lag * q + p - 1]!);
          }
        }
    },
    start(s0) {
      const { variance } = lagAverages(s0, V);
      // Partial autocorrelations from the averaged correlations (Durbin-Levinson backwards), kept inside (-1, 1).
      const { corr } = lagAverages(s0, V);
      const theta = new Float64Array(m);
      theta[0] = Math.log(variance);
      const coef = new Float64Array(V);
      const next = new Float64Array(V);
      corr[0] = 1;
      for (let k = 1; k <= q; k++) {
        let num = corr[k]!;
        let den = 1;
        for (let j = 1; j < k; j++) {
          num -= coef[j]! * corr[k - j]!;
          den -= coef[j]! * corr[j]!;
        }
        const pk = clampCorr(den > 1e-8 ? num / den : 0);
        theta[k] = Math.atanh(pk);
        for (let j = 1; j < k; j++) next[j] = coef[j]! - pk * coef[k - j]!;
        next[k] = pk;
        for (let j = 1; j <= k; j++) coef[j] = next[j]!;
      }
      return theta;
    },
  };
}
