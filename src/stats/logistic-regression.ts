/**
 * Logistic regression of a 0/1 response, as R's glm(y ~ x1 + ..., family = binomial): Fisher
 * scoring (IRLS) from R's start (mustart = (y + 0.5) / 2), stopping by R's rule |dev - dev_old| /
 * (|dev| + 0.1) < 1e-8 within 25 iterations; coefficients with the standard errors of the last
 * weighted least-squares step (as summary.glm reports them), Wald z tests, and for one
 * coefficient the profile-likelihood confidence interval: the values b where the signed root of
 * the deviance difference, sign(b - b^) sqrt(dev(b) - dev(b^)), equals -/+ qnorm(1 - alpha / 2),
 * each refit with b held fixed as an offset (what MASS's confint.glm approximates on a grid).
 *
 * Each weighted least-squares step is a Householder QR of sqrt(w) X (p is small), on the
 * covariates centred at their means, so an intercept next to a large covariate (age in years) is
 * well conditioned; the intercept's estimate and SE are transformed back.
 *
 * Not estimable: a covariate that is constant or collinear with the others; no convergence in 25
 * iterations; fitted probabilities at 0 or 1 (complete or quasi-complete separation, where R's
 * estimate runs off towards infinity with a warning).
 *
 * @example logisticRegression([0, 0, 1, 1, 0, 1], { X: [0, 0, 0, 1, 1, 1] }).coefficients.X.estimate // log(4) = 1.3863 (OR of 2/1 against 1/2)
 */
import { pnorm, qnorm } from './distributions.js';
import { NotEstimable, requireBinary, requireFinite, requireSameLength } from './not-estimable.js';
import { uniroot } from './zeroin.js';

export interface LogisticCoefficient {
  estimate: number;
  se: number;
  z: number;
  p: number;
  /** exp(estimate) and its Wald CI, exp(estimate -/+ z se). */
  oddsRatio: number;
  waldCi: [number, number];
}

export interface LogisticResult {
  /** '(Intercept)' first, then the covariates in the order given. */
  coefficients: Record<string, LogisticCoefficient>;
  deviance: number;
  nullDeviance: number;
  dfResidual: number;
  aic: number;
  iterations: number;
  n: number;
}

const MAXIT = 25;
const EPS = 1e-8;
/** Fitted probabilities this close to 0 or 1 mean separation (R warns "fitted probabilities numerically 0 or 1"). */
const EDGE = 10 * 2.220446049250313e-16;

const binomialDeviance = (y: ArrayLike<number>, mu: Float64Array, n: number): number => {
  let dev = 0;
  for (let i = 0; i < n; i++) dev -= 2 * (y[i] ? Math.log(mu[i]!) : Math.log(1 - mu[i]!));
  return dev;
};

interface Fit {
  beta: Float64Array;
  /** (X'WX)^-1 of the last weighted least-squares step, p x p row-major. */
  cov: Float64Array;
  mu: Float64Array;
  deviance: number;
  iterations: number;
}

/**
 * IRLS on the design `x` (n x p row-major, first column the intercept's ones) with an offset.
 * Returns the coefficient index of the first aliased column, or a reason, when it cannot fit.
 */
function irls(y: ArrayLike<number>, x: Float64Array, n: number, p: number, offset: Float64Array | undefined, names: readonly string[]): Fit | NotEstimable {
  const mu = new Float64Array(n);
  const eta = new Float64Array(n);
  const a = new Float64Array(n * p);
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  const beta = new Float64Array(p);
  const r = new Float64Array(p * p);
  const qtz = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    mu[i] = (y[i]! + 0.5) / 2;
    eta[i] = Math.log(mu[i]! / (1 - mu[i]!));
  }
  let devOld = binomialDeviance(y, mu, n);
  let iterations = 0;
  let deviance = devOld;
  let converged = false;
  for (iterations = 1; iterations <= MAXIT; iterations++) {
    const off = (i: number) => (offset ? offset[i]! : 0);
    for (let i = 0; i < n; i++) {
      const v = mu[i]! * (1 - mu[i]!);
      z[i] = eta[i]! - off(i) + (y[i]! - mu[i]!) / v;
      w[i] = Math.sqrt(v);
      for (let j = 0; j < p; j++) a[i * p + j] = x[i * p + j]! * w[i]!;
      z[i] = z[i]! * w[i]!;
    }
    const bad = householderSolve(a, z, n, p, r, qtz, beta);
    if (bad >= 0) return new NotEstimable(`${names[bad]} is constant or collinear with the other covariates`);
    for (let i = 0; i < n; i++) {
      let e = off(i);
      for (let j = 0; j < p; j++) e += x[i * p + j]! * beta[j]!;
      eta[i] = e;
      mu[i] = 1 / (1 + Math.exp(-e));
    }
    deviance = binomialDeviance(y, mu, n);
    if (!Number.isFinite(deviance)) return new NotEstimable('the fit overflowed (fitted probabilities at 0 or 1: complete separation)');
    if (Math.abs(deviance - devOld) / (Math.abs(deviance) + 0.1) < EPS) {
      converged = true;
      break;
    }
    devOld = deviance;
  }
  if (!converged) return new NotEstimable(`the fit did not converge in ${MAXIT} iterations`);
  const separated = 'fitted probabilities at 0 or 1 (complete or quasi-complete separation, e.g. a zero cell): a coefficient is infinite';
  for (let i = 0; i < n; i++) if (mu[i]! < EDGE || mu[i]! > 1 - EDGE) return new NotEstimable(separated);
  // Under separation the deviance converges while a coefficient keeps growing (by about 1 per
  // step): one more scoring step is then not negligible, where at a true optimum it is (Newton
  // converges quadratically). The same test as coxph's for an infinite coefficient.
  const cov = inverseRtR(r, p);
  const next = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const v = mu[i]! * (1 - mu[i]!);
    const zi = (eta[i]! - (offset ? offset[i]! : 0) + (y[i]! - mu[i]!) / v) * Math.sqrt(v);
    for (let j = 0; j < p; j++) a[i * p + j] = x[i * p + j]! * Math.sqrt(v);
    z[i] = zi;
  }
  if (householderSolve(a, z, n, p, r, qtz, next) < 0) {
    for (let j = 0; j < p; j++) {
      const step = Math.abs(next[j]! - beta[j]!);
      if (step > 1e-4 * Math.max(1, Math.abs(beta[j]!))) return new NotEstimable(separated);
    }
  }
  return { beta, cov, mu, deviance, iterations: Math.min(iterations, MAXIT) };
}

/**
 * Least squares of a (n x p, overwritten) against z (overwritten) by Householder QR: R into
 * r (upper triangle), the solution into beta. Returns the first column that is (numerically)
 * a combination of the previous ones, or -1.
 */
function householderSolve(a: Float64Array, z: Float64Array, n: number, p: number, r: Float64Array, qtz: Float64Array, beta: Float64Array): number {
  for (let k = 0; k < p; k++) {
    let norm = 0;
    for (let i = k; i < n; i++) norm += a[i * p + k]! ** 2;
    norm = Math.sqrt(norm);
    // A column whose part orthogonal to the previous ones is rounding noise: aliased (R's qr tolerance 1e-7, relative).
    let colNorm = 0;
    for (let i = 0; i < n; i++) colNorm += a[i * p + k]! ** 2;
    if (norm <= 1e-7 * Math.sqrt(colNorm) || norm === 0) return k;
    const alpha = a[k * p + k]! > 0 ? -norm : norm;
    a[k * p + k] = a[k * p + k]! - alpha;
    let vnorm = 0;
    for (let i = k; i < n; i++) vnorm += a[i * p + k]! ** 2;
    for (let j = k + 1; j < p; j++) {
      let s = 0;
      for (let i = k; i < n; i++) s += a[i * p + k]! * a[i * p + j]!;
      const f = (2 * s) / vnorm;
      for (let i = k; i < n; i++) a[i * p + j] = a[i * p + j]! - f * a[i * p + k]!;
    }
    let s = 0;
    for (let i = k; i < n; i++) s += a[i * p + k]! * z[i]!;
    const f = (2 * s) / vnorm;
    for (let i = k; i < n; i++) z[i] = z[i]! - f * a[i * p + k]!;
    r[k * p + k] = alpha;
    for (let j = k + 1; j < p; j++) r[k * p + j] = a[k * p + j]!;
    qtz[k] = z[k]!;
  }
  for (let k = p - 1; k >= 0; k--) {
    let s = qtz[k]!;
    for (let j = k + 1; j < p; j++) s -= r[k * p + j]! * beta[j]!;
    beta[k] = s / r[k * p + k]!;
  }
  return -1;
}

/** (R'R)^-1 for upper-triangular R (p x p row-major): R^-1 R^-T. */
function inverseRtR(r: Float64Array, p: number): Float64Array {
  const ri = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    ri[j * p + j] = 1 / r[j * p + j]!;
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += r[i * p + k]! * ri[k * p + j]!;
      ri[i * p + j] = -s / r[i * p + i]!;
    }
  }
  const cov = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = Math.max(i, j); k < p; k++) s += ri[i * p + k]! * ri[j * p + k]!;
      cov[i * p + j] = s;
    }
  }
  return cov;
}

/** The design matrix: the intercept, then the covariates centred at their means (means returned). */
function design(covariates: Record<string, ArrayLike<number>>, names: readonly string[], n: number): { x: Float64Array; means: Float64Array } {
  const p = names.length + 1;
  const x = new Float64Array(n * p);
  const means = new Float64Array(p);
  names.forEach((k, j) => {
    const c = covariates[k]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i]!;
    means[j + 1] = s / n;
  });
  for (let i = 0; i < n; i++) {
    x[i * p] = 1;
    names.forEach((k, j) => (x[i * p + j + 1] = covariates[k]![i]! - means[j + 1]!));
  }
  return { x, means };
}

export function logisticRegression(y: ArrayLike<number>, covariates: Record<string, ArrayLike<number>>, conf = 0.95): LogisticResult | NotEstimable {
  const names = Object.keys(covariates);
  const n = y.length;
  requireBinary('logisticRegression', 'y', y);
  for (const k of names) {
    requireSameLength('logisticRegression', y, covariates[k]!, `y and covariate ${k}`);
    requireFinite('logisticRegression', k, covariates[k]!);
  }
  const p = names.length + 1;
  if (n <= p) return new NotEstimable(`${n} observations cannot estimate ${p} coefficients`);
  let events = 0;
  for (let i = 0; i < n; i++) events += y[i]!;
  if (events === 0 || events === n) return new NotEstimable(`every subject is a ${events === 0 ? 'non-responder' : 'responder'}`);
  const { x, means } = design(covariates, names, n);
  const fit = irls(y, x, n, p, undefined, ['(Intercept)', ...names]);
  if (fit instanceof NotEstimable) return fit;
  const zq = qnorm(1 - (1 - conf) / 2);
  const coefficients: Record<string, LogisticCoefficient> = {};
  const coef = (estimate: number, variance: number): LogisticCoefficient => {
    const se = Math.sqrt(variance);
    const z = estimate / se;
    return { estimate, se, z, p: 2 * pnorm(-Math.abs(z)), oddsRatio: Math.exp(estimate), waldCi: [Math.exp(estimate - zq * se), Math.exp(estimate + zq * se)] };
  };
  // The intercept at the covariates' origin: b0 - sum(b_j m_j), variance a' C a with a = (1, -m).
  let b0 = fit.beta[0]!;
  for (let j = 1; j < p; j++) b0 -= fit.beta[j]! * means[j]!;
  let v0 = 0;
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) v0 += (i === 0 ? 1 : -means[i]!) * (j === 0 ? 1 : -means[j]!) * fit.cov[i * p + j]!;
  coefficients['(Intercept)'] = coef(b0, v0);
  names.forEach((k, j) => (coefficients[k] = coef(fit.beta[j + 1]!, fit.cov[(j + 1) * p + j + 1]!)));
  const ybar = events / n;
  const nullDeviance = -2 * (events * Math.log(ybar) + (n - events) * Math.log(1 - ybar));
  return { coefficients, deviance: fit.deviance, nullDeviance, dfResidual: n - p, aic: fit.deviance + 2 * p, iterations: fit.iterations, n };
}

/**
 * The profile-likelihood confidence interval of one coefficient (on its own scale, not the odds
 * ratio's): the two roots of sign(b - b^) sqrt(dev(b) - dev(b^)) = -/+ qnorm(1 - (1 - conf) / 2),
 * where dev(b) is the deviance refitted with that coefficient held at b. NaN for a limit whose
 * profile does not reach the critical value (the likelihood stays flat on that side).
 */
export function profileCi(y: ArrayLike<number>, covariates: Record<string, ArrayLike<number>>, name: string, conf = 0.95): [number, number] | NotEstimable {
  const full = logisticRegression(y, covariates, conf);
  if (full instanceof NotEstimable) return full;
  const names = Object.keys(covariates);
  const others = names.filter((k) => k !== name);
  const n = y.length;
  const { x } = design(covariates, others, n);
  const target = covariates[name]!;
  const bHat = full.coefficients[name]!.estimate;
  const se = full.coefficients[name]!.se;
  const devHat = full.deviance;
  const zq = qnorm(1 - (1 - conf) / 2);
  const offset = new Float64Array(n);
  const signedRoot = (b: number): number => {
    for (let i = 0; i < n; i++) offset[i] = b * target[i]!;
    const fit = irls(y, x, n, others.length + 1, offset, ['(Intercept)', ...others]);
    if (fit instanceof NotEstimable) return NaN;
    return Math.sign(b - bHat) * Math.sqrt(Math.max(0, fit.deviance - devHat));
  };
  const limit = (side: -1 | 1): number => {
    // Step out from the estimate until the signed root passes the critical value.
    let inner = bHat;
    let outer = bHat + side * se;
    for (let k = 0; k < 30; k++) {
      const s = signedRoot(outer);
      if (Number.isNaN(s)) return NaN;
      if (side * s >= zq) return uniroot((b) => signedRoot(b) - side * zq, Math.min(inner, outer), Math.max(inner, outer), 1e-12 * Math.max(1, Math.abs(bHat)));
      inner = outer;
      outer = bHat + side * se * 2 ** (k + 1);
    }
    return NaN;
  };
  return [limit(-1), limit(1)];
}
