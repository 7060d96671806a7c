/**
 * Generalised least squares with a within-subject covariance over visits, fitted by REML: the
 * engine of the MMRM (mmrm.ts builds its design and contrasts). Equal to nlme::gls(method =
 * "REML") with the same mean model and covariance.
 *
 * Subjects with the same set of observed visits (a missingness pattern) share Σ_S, the rows
 * and columns of Σ at those visits. Each pattern keeps the sums over its subjects of z_a z_b'
 * (z = the design row and response of visit a, b), so one evaluation of the REML likelihood
 * and its analytic gradient costs (patterns × visits² × coefficients²), whatever the number of
 * subjects. -ℓ_R = ½[(N-p) log 2π + Σ_S n_S log|Σ_S| + log|X'V⁻¹X| + r'V⁻¹r] (nlme's logLik).
 *
 * The optimiser is BFGS on the covariance parameters (mmrm-covariance.ts) with a backtracking
 * line search, finished by Newton steps on a Hessian by central differences of the analytic
 * gradient; that Hessian (the observed REML information) also gives the Satterthwaite degrees
 * of freedom. Every workspace is allocated once per fit.
 */
import type { Covariance } from './mmrm-covariance.js';

export interface GlsData {
  /** Per observation: the subject, 0..nSubjects-1. */
  subject: Int32Array;
  /** Per observation: the visit, 0..nVisits-1 (at most one observation per subject and visit). */
  visit: Int32Array;
  y: Float64Array;
  /** The design, row-major (observations × p). */
  x: Float64Array;
  p: number;
  nSubjects: number;
}

export interface RemlControl {
  /** BFGS iterations before the fit is declared not converged. */
  maxIterations?: number;
}

export type RemlOutcome =
  | { ok: true; theta: Float64Array; iterations: number; gradientMax: number; /** -ℓ_R's Hessian in θ (the observed information) and its Cholesky factor. */ hessian: Float64Array; factor: Float64Array }
  | { ok: false; reason: string };

const LOG_2PI = Math.log(2 * Math.PI);

/** Cholesky in place (row-major n×n at offset 0, lower triangle); the log-determinant, or NaN when not positive definite. */
function cholesky(a: Float64Array, n: number, relTol = 0): number {
  let logdet = 0;
  for (let j = 0; j < n; j++) {
    const orig = a[j * n + j]!;
    let d = orig;
    for (let t = 0; t < j; t++) d -= a[j * n + t]! * a[j * n + t]!;
    if (!(d > relTol * orig) || !(d > 0)) return NaN;
    d = Math.sqrt(d);
    a[j * n + j] = d;
    logdet += 2 * Math.log(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let t = 0; t < j; t++) s -= a[i * n + t]! * a[j * n + t]!;
      a[i * n + j] = s / d;
    }
  }
  return logdet;
}

/** The inverse (full, symmetric) from a Cholesky factor in `l`, written to `out`; `linv` (n×n) receives L⁻¹. */
function choleskyInverse(l: Float64Array, n: number, out: Float64Array, linv: Float64Array): void {
  for (let j = 0; j < n; j++) {
    linv[j * n + j] = 1 / l[j * n + j]!;
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let t = j; t < i; t++) s -= l[i * n + t]! * linv[t * n + j]!;
      linv[i * n + j] = s / l[i * n + i]!;
    }
  }
  // (LL')⁻¹ = L⁻ᵀL⁻¹: entry (i, j) sums over t ≥ max(i, j).
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let t = i; t < n; t++) s += linv[t * n + i]! * linv[t * n + j]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
}

/** Solves (LL') x = b in place in b. */
function choleskySolve(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let t = 0; t < i; t++) s -= l[i * n + t]! * b[t]!;
    b[i] = s / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let t = i + 1; t < n; t++) s -= l[t * n + i]! * b[t]!;
    b[i] = s / l[i * n + i]!;
  }
}

interface Pattern {
  visits: Int32Array;
  k: number;
  n: number;
  /**
   * Σ_i z_ia z_ib' over the pattern's subjects for visits a ≤ b, sparse (the design rows are
   * mostly zeros): block a·k + b holds entries start[a·k+b] .. start[a·k+b+1]-1, each a position
   * j·q + l of the q×q matrix (idx), its transpose's position (idxT) and the value.
   */
  start: Int32Array;
  idx: Int32Array;
  idxT: Int32Array;
  val: Float64Array;
  /** Σ_S⁻¹ at the last evaluation. */
  w: Float64Array;
}

/** The REML problem of one data set and covariance structure, with its workspaces. */
export class RemlProblem {
  readonly p: number;
  readonly q: number;
  readonly nObs: number;
  readonly nVisits: number;
  readonly nTheta: number;
  readonly patterns: Pattern[] = [];
  /** At the last evaluation: Σ, β, (X'V⁻¹X)⁻¹, whether X'V⁻¹X was singular. */
  readonly sigma: Float64Array;
  readonly beta: Float64Array;
  readonly aInv: Float64Array;
  singular = false;
  private readonly jac: Float64Array;
  private readonly qm: Float64Array;
  private readonly aChol: Float64Array;
  private readonly pMat: Float64Array;
  private readonly d: Float64Array;
  private readonly sub: Float64Array;
  private readonly g: Float64Array;
  private readonly tmp: Float64Array;
  private readonly u: Float64Array;

  constructor(
    data: GlsData,
    readonly cov: Covariance,
  ) {
    const { subject, visit, y, x, p, nSubjects } = data;
    const V = cov.nVisits;
    if (V > 30) throw new RangeError(`gls: ${V} visits (at most 30)`);
    const n = y.length;
    if (subject.length !== n || visit.length !== n || x.length !== n * p) throw new RangeError('gls: subject, visit, y and x differ in length');
    this.p = p;
    this.q = p + 1;
    this.nObs = n;
    this.nVisits = V;
    this.nTheta = cov.nTheta;
    const q = this.q;
    // Each subject's observations by visit (-1: none).
    const at = new Int32Array(nSubjects * V).fill(-1);
    for (let i = 0; i < n; i++) {
      const s = subject[i]!;
      const v = visit[i]!;
      if (!(s >= 0 && s < nSubjects && Number.isInteger(s))) throw new RangeError(`gls: subject[${i}] is ${s} (0..${nSubjects - 1} is required)`);
      if (!(v >= 0 && v < V && Number.isInteger(v))) throw new RangeError(`gls: visit[${i}] is ${v} (0..${V - 1} is required)`);
      if (at[s * V + v] !== -1) throw new RangeError(`gls: subject ${s} has two observations at visit ${v}`);
      at[s * V + v] = i;
    }
    // The non-zero entries of each row of [X y].
    const rowPtr = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      let c = y[i] !== 0 ? 1 : 0;
      for (let j = 0; j < p; j++) if (x[i * p + j] !== 0) c++;
      rowPtr[i + 1] = rowPtr[i]! + c;
    }
    const rowCol = new Int32Array(rowPtr[n]!);
    const rowVal = new Float64Array(rowPtr[n]!);
    for (let i = 0, t = 0; i < n; i++) {
      for (let j = 0; j < p; j++) if (x[i * p + j] !== 0) {
        rowCol[t] = j;
        rowVal[t++] = x[i * p + j]!;
      }
      if (y[i] !== 0) {
        rowCol[t] = p;
        rowVal[t++] = y[i]!;
      }
    }
    // Subjects grouped by their set of visits (a bit mask), in order of first appearance.
    const byMask = new Map<number, number[]>();
    for (let s = 0; s < nSubjects; s++) {
      let mask = 0;
      for (let v = 0; v < V; v++) if (at[s * V + v]! >= 0) mask |= 1 << v;
      if (mask === 0) continue;
      let list = byMask.get(mask);
      if (!list) byMask.set(mask, (list = []));
      list.push(s);
    }
    const dense = new Float64Array(q * q);
    const touched = new Int32Array(q * q);
    const mark = new Uint8Array(q * q);
    for (const [mask, subjects] of byMask) {
      const visits = Int32Array.from({ length: V }, (_, v) => v).filter((v) => (mask & (1 << v)) !== 0);
      const k = visits.length;
      const start = new Int32Array(k * k + 1);
      const idx: number[] = [];
      const val: number[] = [];
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) {
          start[a * k + b] = idx.length;
          if (b < a) continue;
          let nt = 0;
          for (const s of subjects) {
            const ra = at[s * V + visits[a]!]!;
            const rb = at[s * V + visits[b]!]!;
            for (let e = rowPtr[ra]!; e < rowPtr[ra + 1]!; e++) {
              const base = rowCol[e]! * q;
              const za = rowVal[e]!;
              for (let f = rowPtr[rb]!; f < rowPtr[rb + 1]!; f++) {
                const t = base + rowCol[f]!;
                if (mark[t] === 0) {
                  mark[t] = 1;
                  touched[nt++] = t;
                }
                dense[t] = dense[t]! + za * rowVal[f]!;
              }
            }
          }
          touched.subarray(0, nt).sort();
          for (let e = 0; e < nt; e++) {
            const t = touched[e]!;
            idx.push(t);
            val.push(dense[t]!);
            dense[t] = 0;
            mark[t] = 0;
          }
        }
      start[k * k] = idx.length;
      const idxT = Int32Array.from(idx, (t) => (t % q) * q + Math.floor(t / q));
      this.patterns.push({ visits, k, n: subjects.length, start, idx: Int32Array.from(idx), idxT, val: Float64Array.from(val), w: new Float64Array(k * k) });
    }
    this.sigma = new Float64Array(V * V);
    this.jac = new Float64Array(cov.pullback ? 0 : cov.nTheta * V * V);
    this.beta = new Float64Array(p);
    this.aInv = new Float64Array(p * p);
    this.qm = new Float64Array(q * q);
    this.aChol = new Float64Array(p * p);
    this.pMat = new Float64Array(q * q);
    this.d = new Float64Array(V * V);
    this.sub = new Float64Array(V * V);
    this.g = new Float64Array(V * V);
    this.tmp = new Float64Array(Math.max(V * V, p * p));
    this.u = new Float64Array(q);
  }

  /** Q += Σ_ab W_ab M_ab over a pattern (W symmetric: the blocks b < a are the transposes of a < b). */
  private accumulate(pat: Pattern, w: Float64Array | undefined, qm: Float64Array): void {
    const { k, start, idx, idxT, val } = pat;
    for (let a = 0; a < k; a++)
      for (let b = a; b < k; b++) {
        const wab = w ? w[a * k + b]! : a === b ? 1 : 0;
        if (wab === 0) continue;
        const e1 = start[a * k + b + 1]!;
        if (a === b) for (let e = start[a * k + b]!; e < e1; e++) qm[idx[e]!] = qm[idx[e]!]! + wab * val[e]!;
        else
          for (let e = start[a * k + b]!; e < e1; e++) {
            const v = wab * val[e]!;
            qm[idx[e]!] = qm[idx[e]!]! + v;
            qm[idxT[e]!] = qm[idxT[e]!]! + v;
          }
      }
  }

  /**
   * The covariance of the ordinary-least-squares residuals over the visits, each pair over the
   * subjects observed at both (a starting value); undefined when the design is singular.
   */
  olsCovariance(): Float64Array | undefined {
    const { p, q, nVisits: V, qm, aChol, beta, u, pMat, g } = this;
    qm.fill(0);
    for (const pat of this.patterns) this.accumulate(pat, undefined, qm);
    for (let j = 0; j < p; j++) for (let l = 0; l < p; l++) aChol[j * p + l] = qm[j * q + l]!;
    if (Number.isNaN(cholesky(aChol, p, 1e-11))) return undefined;
    for (let j = 0; j < p; j++) beta[j] = qm[j * q + p]!;
    choleskySolve(aChol, p, beta);
    for (let j = 0; j < p; j++) u[j] = -beta[j]!;
    u[p] = 1;
    for (let j = 0; j < q; j++) for (let l = 0; l < q; l++) pMat[j * q + l] = u[j]! * u[l]!;
    const sum = new Float64Array(V * V);
    const count = new Float64Array(V * V);
    for (const pat of this.patterns) {
      const { k, visits } = pat;
      this.contract(pat, pMat, g);
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) {
          const at = visits[a]! * V + visits[b]!;
          sum[at] = sum[at]! + g[a * k + b]!;
          count[at] = count[at]! + pat.n;
        }
    }
    for (let t = 0; t < V * V; t++) sum[t] = count[t]! > 0 ? sum[t]! / count[t]! : 0;
    return sum;
  }

  /**
   * -ℓ_R at θ, and its gradient into `grad` when given. Infinity where Σ_S is not positive
   * definite; NaN (and `singular`) where X'V⁻¹X is singular.
   */
  evaluate(theta: Float64Array, grad?: Float64Array): number {
    const { p, q, nVisits: V, sigma, sub, qm } = this;
    this.cov.sigma(theta, sigma, grad && !this.cov.pullback ? this.jac : undefined);
    let f = 0;
    qm.fill(0);
    for (const pat of this.patterns) {
      const { k, visits, w } = pat;
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) sub[a * k + b] = sigma[visits[a]! * V + visits[b]!]!;
      const logdet = cholesky(sub, k);
      if (Number.isNaN(logdet)) return Infinity;
      choleskyInverse(sub, k, w, this.tmp);
      f += pat.n * logdet;
      this.accumulate(pat, w, qm);
    }
    const aChol = this.aChol;
    for (let j = 0; j < p; j++) for (let l = 0; l < p; l++) aChol[j * p + l] = qm[j * q + l]!;
    const logdetA = cholesky(aChol, p, 1e-11);
    this.singular = Number.isNaN(logdetA);
    if (this.singular) return NaN;
    const beta = this.beta;
    for (let j = 0; j < p; j++) beta[j] = qm[j * q + p]!;
    choleskySolve(aChol, p, beta);
    let rss = qm[p * q + p]!;
    for (let j = 0; j < p; j++) rss -= beta[j]! * qm[j * q + p]!;
    f = 0.5 * ((this.nObs - p) * LOG_2PI + f + logdetA + rss);
    if (!grad) return f;

    // ∂(-2ℓ)/∂Σ_S = n_S W - W G W, G_ab = Σ_i (x_ia' A⁻¹ x_ib + r_ia r_ib) = <[[A⁻¹,0],[0,0]] + uu', M_ab>, u = (-β, 1).
    choleskyInverse(aChol, p, this.aInv, this.tmp);
    const { pMat, u, d, g } = this;
    for (let j = 0; j < p; j++) u[j] = -beta[j]!;
    u[p] = 1;
    for (let j = 0; j < q; j++) for (let l = 0; l < q; l++) pMat[j * q + l] = u[j]! * u[l]! + (j < p && l < p ? this.aInv[j * p + l]! : 0);
    d.fill(0);
    for (const pat of this.patterns) {
      this.contract(pat, pMat, g);
      this.scatterWGW(pat, g, pat.n, -1, d);
    }
    this.project(d, 0.5, grad);
    return f;
  }

  /** g_ab = <P, M_ab> over a pattern's visit pairs, P symmetric (so g_ba = g_ab). */
  private contract(pat: Pattern, pm: Float64Array, g: Float64Array): void {
    const { k, start, idx, val } = pat;
    for (let a = 0; a < k; a++)
      for (let b = a; b < k; b++) {
        let s = 0;
        const e1 = start[a * k + b + 1]!;
        for (let e = start[a * k + b]!; e < e1; e++) s += pm[idx[e]!]! * val[e]!;
        g[a * k + b] = s;
        g[b * k + a] = s;
      }
  }

  /** d[visits] += diag·W + sign·W g W (k×k, embedded in V×V). */
  private scatterWGW(pat: Pattern, g: Float64Array, diag: number, sign: number, d: Float64Array): void {
    const { k, w, visits } = pat;
    const V = this.nVisits;
    const tmp = this.sub; // k×k: g W
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += g[a * k + t]! * w[t * k + b]!;
        tmp[a * k + b] = s;
      }
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        let s = 0;
        for (let t = 0; t < k; t++) s += w[a * k + t]! * tmp[t * k + b]!;
        const at = visits[a]! * V + visits[b]!;
        d[at] = d[at]! + diag * w[a * k + b]! + sign * s;
      }
  }

  /** out_m = scale · Σ_jk d_jk ∂Σ_jk/∂θ_m (the Jacobian of the last evaluation). */
  private project(d: Float64Array, scale: number, out: Float64Array): void {
    if (this.cov.pullback) {
      this.cov.pullback(d, out);
      for (let mth = 0; mth < this.nTheta; mth++) out[mth] = scale * out[mth]!;
      return;
    }
    const VV = this.nVisits * this.nVisits;
    for (let mth = 0; mth < this.nTheta; mth++) {
      let s = 0;
      const off = mth * VV;
      for (let t = 0; t < VV; t++) s += d[t]! * this.jac[off + t]!;
      out[mth] = scale * s;
    }
  }

  /**
   * ∂(l'Cl)/∂θ with C = (X'V⁻¹X)⁻¹, at the last evaluation (which must have had a gradient):
   * Σ_S W H_S W with H_ab = w'M_ab w over the design block, w = C l.
   */
  contrastGradient(l: Float64Array, out: Float64Array): number {
    const { p, q, aInv, pMat, d, g } = this;
    const w = this.u;
    let v = 0;
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let t = 0; t < p; t++) s += aInv[j * p + t]! * l[t]!;
      w[j] = s;
      v += l[j]! * s;
    }
    for (let j = 0; j < q; j++) for (let t = 0; t < q; t++) pMat[j * q + t] = j < p && t < p ? w[j]! * w[t]! : 0;
    d.fill(0);
    for (const pat of this.patterns) {
      this.contract(pat, pMat, g);
      this.scatterWGW(pat, g, 0, 1, d);
    }
    this.project(d, 1, out);
    return v;
  }
}

/** Central-difference Hessian of -ℓ_R from the analytic gradient (symmetrised); false where a neighbour is not evaluable. */
export function remlHessian(problem: RemlProblem, theta: Float64Array, out: Float64Array): boolean {
  const m = problem.nTheta;
  const th = Float64Array.from(theta);
  const gp = new Float64Array(m);
  const gm = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const h = 1e-4 * Math.max(1, Math.abs(theta[j]!));
    th[j] = theta[j]! + h;
    const fp = problem.evaluate(th, gp);
    th[j] = theta[j]! - h;
    const fm = problem.evaluate(th, gm);
    th[j] = theta[j]!;
    if (!Number.isFinite(fp) || !Number.isFinite(fm)) return false;
    for (let i = 0; i < m; i++) out[i * m + j] = (gp[i]! - gm[i]!) / (2 * h);
  }
  for (let i = 0; i < m; i++)
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (out[i * m + j]! + out[j * m + i]!);
      out[i * m + j] = s;
      out[j * m + i] = s;
    }
  return true;
}

/** The Cholesky factor of a positive-definite m×m matrix (a copy), or undefined. */
export function positiveDefiniteFactor(h: Float64Array, m: number): Float64Array | undefined {
  const l = Float64Array.from(h.subarray(0, m * m));
  return Number.isNaN(cholesky(l, m, 1e-13)) ? undefined : l;
}

export { choleskySolve };

/**
 * Minimises -ℓ_R from θ₀ by BFGS (inverse-Hessian update, backtracking Armijo line search, steps
 * of at most 2 in any parameter), then polishes with Newton steps on the finite-difference
 * Hessian. Not converged: too many iterations, a line search that finds no decrease before the
 * gradient is small, or an information matrix that is not positive definite at the end.
 */
export function fitReml(problem: RemlProblem, theta0: Float64Array, control: RemlControl = {}): RemlOutcome {
  const maxIterations = control.maxIterations ?? 100 + 5 * problem.nTheta;
  const m = problem.nTheta;
  const x = Float64Array.from(theta0);
  const g = new Float64Array(m);
  const xn = new Float64Array(m);
  const gn = new Float64Array(m);
  const dir = new Float64Array(m);
  const s = new Float64Array(m);
  const yv = new Float64Array(m);
  const hy = new Float64Array(m);
  const hInv = new Float64Array(m * m);
  const resetH = (scale: number) => {
    hInv.fill(0);
    for (let i = 0; i < m; i++) hInv[i * m + i] = scale;
  };
  let f = problem.evaluate(x, g);
  if (problem.singular) return { ok: false, reason: 'the design is singular (a column of the model is empty, constant or collinear)' };
  if (!Number.isFinite(f)) return { ok: false, reason: 'the starting covariance is not positive definite' };
  resetH(1 / Math.max(1, maxAbs(g)));
  let scaled = false;
  const gtol = 1e-7 * Math.max(1, Math.abs(f));
  let it = 0;
  for (; it < maxIterations && maxAbs(g) > gtol; it++) {
    let slope = 0;
    for (let i = 0; i < m; i++) {
      let v = 0;
      for (let j = 0; j < m; j++) v -= hInv[i * m + j]! * g[j]!;
      dir[i] = v;
      slope += v * g[i]!;
    }
    if (!(slope < 0)) {
      resetH(1 / Math.max(1, maxAbs(g)));
      for (let i = 0; i < m; i++) dir[i] = -hInv[i * m + i]! * g[i]!;
      slope = 0;
      for (let i = 0; i < m; i++) slope += dir[i]! * g[i]!;
    }
    let alpha = Math.min(1, 2 / Math.max(maxAbs(dir), 1e-300));
    let fn = NaN;
    for (;;) {
      for (let i = 0; i < m; i++) xn[i] = x[i]! + alpha * dir[i]!;
      fn = problem.evaluate(xn, gn);
      if (problem.singular) return { ok: false, reason: 'the design is singular (a column of the model is empty, constant or collinear)' };
      if (Number.isFinite(fn) && fn <= f + 1e-4 * alpha * slope) break;
      alpha *= 0.5;
      if (alpha < 1e-14) break;
    }
    if (!(alpha >= 1e-14)) break;
    let sy = 0;
    let yy = 0;
    let ss = 0;
    for (let i = 0; i < m; i++) {
      s[i] = xn[i]! - x[i]!;
      yv[i] = gn[i]! - g[i]!;
      sy += s[i]! * yv[i]!;
      yy += yv[i]! * yv[i]!;
      ss += s[i]! * s[i]!;
    }
    if (sy > 1e-12 * Math.sqrt(yy * ss)) {
      if (!scaled) {
        resetH(sy / yy);
        scaled = true;
      }
      // H ← (I - ρsy')H(I - ρys') + ρss', ρ = 1/s'y.
      let yhy = 0;
      for (let i = 0; i < m; i++) {
        let v = 0;
        for (let j = 0; j < m; j++) v += hInv[i * m + j]! * yv[j]!;
        hy[i] = v;
        yhy += yv[i]! * v;
      }
      const rho = 1 / sy;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) hInv[i * m + j] = hInv[i * m + j]! + rho * ((1 + rho * yhy) * s[i]! * s[j]! - hy[i]! * s[j]! - s[i]! * hy[j]!);
    }
    x.set(xn);
    g.set(gn);
    f = fn;
  }
  if (it >= maxIterations) return { ok: false, reason: `REML did not converge in ${maxIterations} iterations` };
  // The observed information (central differences of the analytic gradient) at the BFGS point:
  // Newton steps with it (at most 3) take the gradient to rounding level, it must be positive
  // definite for a maximum, and it gives the Satterthwaite df. It is computed again where the
  // steps moved θ by more than 1e-7 (its change is then no longer negligible for the df).
  f = problem.evaluate(x, g);
  const hessian = new Float64Array(m * m);
  let factor: Float64Array | undefined;
  let moved = Infinity;
  for (let round = 0; round < 2 && moved > 1e-7; round++) {
    if (!remlHessian(problem, x, hessian)) return { ok: false, reason: 'REML did not converge (the covariance is at the boundary)' };
    factor = positiveDefiniteFactor(hessian, m);
    if (!factor) return { ok: false, reason: 'REML did not converge (the information matrix is not positive definite at the end)' };
    moved = 0;
    for (let k = 0; k < 3; k++) {
      dir.set(g);
      choleskySolve(factor, m, dir);
      let decrement = 0;
      for (let i = 0; i < m; i++) decrement += dir[i]! * g[i]!;
      if (decrement < 1e-14 * Math.max(1, Math.abs(f))) break;
      for (let i = 0; i < m; i++) xn[i] = x[i]! - dir[i]!;
      const fn = problem.evaluate(xn, gn);
      if (!(fn <= f + 1e-9 * Math.max(1, Math.abs(f)))) {
        if (decrement > 1e-6 * Math.max(1, Math.abs(f))) return { ok: false, reason: 'REML did not converge (no Newton step improves the likelihood)' };
        break;
      }
      moved = Math.max(moved, maxAbs(dir));
      x.set(xn);
      g.set(gn);
      f = fn;
    }
  }
  const gmax = maxAbs(g);
  if (!(gmax <= 1e-5 * Math.max(1, Math.abs(f)))) return { ok: false, reason: `REML did not converge (gradient ${gmax.toPrecision(3)} at the end)` };
  return { ok: true, theta: x, iterations: it, gradientMax: gmax, hessian, factor: factor! };
}

function maxAbs(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s = Math.max(s, Math.abs(v[i]!));
  return s;
}
