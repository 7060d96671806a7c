/**
 * Cox proportional-hazards regression by Newton-Raphson on the partial likelihood, with
 * Efron's or Breslow's handling of tied event times, as R's coxph: coefficients, hazard ratios,
 * standard errors (inverse information at the estimate), Wald p-values and CIs, and the log
 * partial likelihood at 0 and at the estimate. Covariates are centred (which leaves every one
 * of those quantities unchanged) and a step that lowers the likelihood is halved, as coxph does.
 *
 * Not estimable (a NotEstimable result, never finite nonsense): no events; a fit that does not
 * converge; a coefficient that runs off to infinity (perfect separation: the likelihood
 * converges while the Newton step does not shrink, the test behind coxph's warning "Loglik
 * converged before variable 1; coefficient may be infinite"); a singular information matrix.
 *
 * Cost: one sort (none when the caller passes the `order` it already has), then O(n p^2) per
 * Newton step over the sorted risk sets, Efron's ties in the same pass; nothing is allocated
 * inside the iterations (a module-private workspace of typed arrays, reused across calls).
 *
 * @example coxPh(time, status, { TRT: trt }, 'efron').coefficients.TRT.hr
 */
import { pTwoSidedZ, qnorm } from './distributions.js';
import { NotEstimable, requireBinary, requireFinite, requireSameLength } from './not-estimable.js';
import { capacity, requireOrder, sortAscending, stratifyOrder } from './survival-order.js';

export type Ties = 'efron' | 'breslow';

export interface CoxCoefficient {
  coef: number;
  hr: number;
  se: number;
  z: number;
  p: number;
  ci: [number, number];
}

export interface CoxResult {
  coefficients: Record<string, CoxCoefficient>;
  loglik: [number, number];
  iterations: number;
  events: number;
}

export interface CoxOptions {
  /** The ascending time order (survivalOrder(time)) when the caller already has it: the fit then does not sort. */
  order?: Int32Array;
  /** Starting coefficients in covariate order (a related fit's estimate, say) instead of 0. */
  start?: ArrayLike<number>;
  /**
   * Each subject's stratum (integers 0..k-1): the stratified model (R: coxph(... + strata(S))),
   * whose partial likelihood is the product of the strata's, each with its own risk sets.
   */
  strata?: ArrayLike<number>;
}

/**
 * Module-private workspace, grown as needed and reused across calls: the data in descending
 * time order (rows of p centred covariates), the risk-set sums and the Newton quantities.
 */
const W = {
  order: new Int32Array(0),
  x: new Float64Array(0),
  status: new Uint8Array(0),
  /** 1 where the next subject (in descending time) has a different time or stratum: a risk set closes. */
  last: new Uint8Array(0),
  /** 1 where the next subject (in descending time) is in another stratum: the risk-set sums start again. */
  reset: new Uint8Array(0),
  stratified: new Int32Array(0),
  beta: new Float64Array(0),
  candidate: new Float64Array(0),
  step: new Float64Array(0),
  score: new Float64Array(0),
  info: new Float64Array(0),
  nextScore: new Float64Array(0),
  nextInfo: new Float64Array(0),
  chol: new Float64Array(0),
  S1: new Float64Array(0),
  S2: new Float64Array(0),
  D1: new Float64Array(0),
  D2: new Float64Array(0),
};

function reserve(n: number, p: number): void {
  if (W.order.length < n) {
    const c = capacity(W.order.length, n);
    W.order = new Int32Array(c);
    W.status = new Uint8Array(c);
    W.last = new Uint8Array(c);
    W.reset = new Uint8Array(c);
    W.stratified = new Int32Array(c);
  }
  if (W.x.length < n * p) W.x = new Float64Array(capacity(W.x.length, n * p));
  if (W.beta.length < p) {
    const c = capacity(W.beta.length, p);
    for (const k of ['beta', 'candidate', 'step', 'score', 'nextScore', 'S1', 'D1'] as const) W[k] = new Float64Array(c);
    for (const k of ['info', 'nextInfo', 'chol', 'S2', 'D2'] as const) W[k] = new Float64Array(c * c);
  }
}

/**
 * Log partial likelihood at beta, its score and information (p x p, row-major), in one pass
 * over the subjects in descending time: the risk-set sums S0, S1, S2 accumulate as the walk
 * goes, and the tied deaths' sums D0, D1, D2 give Efron's correction when a risk set closes.
 */
function evaluate(n: number, p: number, efron: boolean, beta: Float64Array, score: Float64Array, info: Float64Array): number {
  const { x, status, last, reset, S1, S2, D1, D2 } = W;
  const pp = p * p;
  // Plain loops: typed-array fill() costs more than these few stores.
  for (let a = 0; a < p; a++) score[a] = S1[a] = D1[a] = 0;
  for (let a = 0; a < pp; a++) info[a] = S2[a] = D2[a] = 0;
  // exp() of the last two distinct linear predictors: a treatment-only model has just two.
  let eta1 = 0;
  let r1 = 1;
  let eta2 = NaN;
  let r2 = NaN;
  let loglik = 0;
  // The risk-set sums' logs are taken as the log of their running product (kept within
  // 1e+-150, so it never overflows): a few logs per pass instead of one per death.
  let product = 1;
  let S0 = 0;
  let D0 = 0;
  let d = 0;
  for (let q = 0; q < n; q++) {
    const off = q * p;
    let eta = 0;
    for (let j = 0; j < p; j++) eta += x[off + j]! * beta[j]!;
    let r: number;
    if (eta === eta1) r = r1;
    else if (eta === eta2) r = r2;
    else {
      r = Math.exp(eta);
      eta2 = eta1;
      r2 = r1;
      eta1 = eta;
      r1 = r;
    }
    S0 += r;
    for (let a = 0; a < p; a++) {
      const rxa = r * x[off + a]!;
      S1[a]! += rxa;
      for (let b = 0; b < p; b++) S2[a * p + b]! += rxa * x[off + b]!;
    }
    if (status[q]) {
      d++;
      loglik += eta;
      D0 += r;
      for (let a = 0; a < p; a++) {
        const rxa = r * x[off + a]!;
        score[a]! += x[off + a]!;
        D1[a]! += rxa;
        for (let b = 0; b < p; b++) D2[a * p + b]! += rxa * x[off + b]!;
      }
    }
    if (last[q] && d > 0) {
      if (efron && d > 1) {
        for (let l = 0; l < d; l++) {
          const f = l / d;
          const s0 = S0 - f * D0;
          const next = product * s0;
          if (next > 1e-150 && next < 1e150) product = next;
          else {
            loglik -= Math.log(product) + Math.log(s0);
            product = 1;
          }
          for (let a = 0; a < p; a++) {
            const s1a = S1[a]! - f * D1[a]!;
            score[a]! -= s1a / s0;
            for (let b = 0; b < p; b++) info[a * p + b]! += (S2[a * p + b]! - f * D2[a * p + b]!) / s0 - (s1a * (S1[b]! - f * D1[b]!)) / (s0 * s0);
          }
        }
      } else {
        // Breslow (or a single death): d identical terms.
        for (let l = 0; l < d; l++) {
          const next = product * S0;
          if (next > 1e-150 && next < 1e150) product = next;
          else {
            loglik -= Math.log(product) + Math.log(S0);
            product = 1;
          }
        }
        for (let a = 0; a < p; a++) {
          const s1a = S1[a]! / S0;
          score[a]! -= d * s1a;
          for (let b = 0; b < p; b++) info[a * p + b]! += d * (S2[a * p + b]! / S0 - s1a * (S1[b]! / S0));
        }
      }
      d = 0;
      D0 = 0;
      for (let a = 0; a < p; a++) D1[a] = 0;
      for (let a = 0; a < pp; a++) D2[a] = 0;
    }
    if (reset[q]) {
      S0 = 0;
      for (let a = 0; a < p; a++) S1[a] = 0;
      for (let a = 0; a < pp; a++) S2[a] = 0;
    }
  }
  return loglik - Math.log(product);
}

/**
 * Cholesky factor of the information into W.chol (lower, row-major). Returns the index of the
 * first column whose pivot is not positive against its diagonal (R's cholesky2 tolerance,
 * eps^0.75): that covariate is constant or collinear. -1 when positive definite.
 */
function factor(p: number, info: Float64Array): number {
  const L = W.chol;
  const tol = 1.8189894035458617e-12; // .Machine$double.eps^0.75
  for (let j = 0; j < p; j++) {
    let s = info[j * p + j]!;
    for (let k = 0; k < j; k++) s -= L[j * p + k]! * L[j * p + k]!;
    if (!(s > tol * Math.abs(info[j * p + j]!)) || !Number.isFinite(s)) return j;
    const ljj = Math.sqrt(s);
    L[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let t = info[i * p + j]!;
      for (let k = 0; k < j; k++) t -= L[i * p + k]! * L[j * p + k]!;
      L[i * p + j] = t / ljj;
    }
  }
  return -1;
}

/** Solves (L L') out = rhs with the factor in W.chol; out may be rhs. */
function solveFactored(p: number, rhs: ArrayLike<number>, out: Float64Array): void {
  const L = W.chol;
  for (let i = 0; i < p; i++) {
    let s = rhs[i]!;
    for (let k = 0; k < i; k++) s -= L[i * p + k]! * out[k]!;
    out[i] = s / L[i * p + i]!;
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = out[i]!;
    for (let k = i + 1; k < p; k++) s -= L[k * p + i]! * out[k]!;
    out[i] = s / L[i * p + i]!;
  }
}

const singular = (name: string) => new NotEstimable(`the information about ${name} is singular (constant or collinear covariate)`);

export function coxPh(time: ArrayLike<number>, status: ArrayLike<number>, covariates: Record<string, ArrayLike<number>>, ties: Ties = 'efron', conf = 0.95, options: CoxOptions = {}): CoxResult | NotEstimable {
  const names = Object.keys(covariates);
  const p = names.length;
  const n = time.length;
  requireSameLength('coxPh', time, status, 'time and status');
  requireFinite('coxPh', 'time', time);
  requireBinary('coxPh', 'status', status);
  const cols = names.map((k) => covariates[k]!);
  cols.forEach((c, j) => {
    requireSameLength('coxPh', time, c, `time and covariate ${names[j]}`);
    requireFinite('coxPh', names[j]!, c);
  });
  if (options.start && (options.start.length !== p || !Array.prototype.every.call(options.start, Number.isFinite))) throw new RangeError(`coxPh: start must hold ${p} finite coefficients`);
  let events = 0;
  for (let i = 0; i < n; i++) events += status[i]!;
  if (events === 0) return new NotEstimable('no events (all censored)');

  reserve(n, p);
  let order: Int32Array = W.order;
  if (options.order) {
    requireOrder('coxPh', time, options.order);
    order = options.order;
  } else sortAscending(time, order);
  const strata = options.strata;
  if (strata) {
    requireSameLength('coxPh', time, strata, 'time and strata');
    stratifyOrder(order.subarray(0, n), strata, W.stratified);
    order = W.stratified;
  }
  // Descending time (walking the ascending order from its end): risk sets accumulate as we go.
  const { x, last, reset } = W;
  for (let j = 0; j < p; j++) {
    const c = cols[j]!;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += c[i]!;
    const mean = sum / n;
    for (let q = 0; q < n; q++) x[q * p + j] = c[order[n - 1 - q]!]! - mean;
  }
  for (let q = 0; q < n; q++) {
    const i = order[n - 1 - q]!;
    W.status[q] = status[i]!;
    const newStratum = strata !== undefined && q < n - 1 && strata[order[n - 2 - q]!] !== strata[i];
    last[q] = q === n - 1 || time[order[n - 2 - q]!] !== time[i] || newStratum ? 1 : 0;
    reset[q] = newStratum ? 1 : 0;
  }

  const efron = ties === 'efron';
  let { beta, candidate, score, info, nextScore, nextInfo } = W;
  const { step } = W;
  beta.fill(0, 0, p);
  let loglik = evaluate(n, p, efron, beta, score, info);
  const loglik0 = loglik;
  if (options.start) {
    for (let j = 0; j < p; j++) beta[j] = options.start[j]!;
    loglik = evaluate(n, p, efron, beta, score, info);
  }
  let iterations = 0;
  let converged = false;
  for (; iterations < 50 && Number.isFinite(loglik); iterations++) {
    const bad = factor(p, info);
    if (bad >= 0) return singular(names[bad]!);
    solveFactored(p, score, step);
    for (let j = 0; j < p; j++) candidate[j] = beta[j]! + step[j]!;
    let next = evaluate(n, p, efron, candidate, nextScore, nextInfo);
    // Halve a step that lowers the likelihood, but not one whose loss is rounding noise: near the
    // optimum that would throw away the last, most accurate Newton step (leaving ~1e-8 in beta).
    const floor = loglik - 1e-13 * Math.abs(loglik);
    for (let halving = 0; !(next >= floor) && halving < 30; halving++) {
      for (let j = 0; j < p; j++) candidate[j] = (beta[j]! + candidate[j]!) / 2;
      next = evaluate(n, p, efron, candidate, nextScore, nextInfo);
    }
    const done = Math.abs(next - loglik) <= 1e-12 * Math.abs(loglik);
    // Swap the current and next buffers (no allocation).
    let t = beta;
    beta = candidate;
    candidate = t;
    t = score;
    score = nextScore;
    nextScore = t;
    t = info;
    info = nextInfo;
    nextInfo = t;
    loglik = next;
    if (done) {
      converged = true;
      break;
    }
  }
  let finite = Number.isFinite(loglik);
  for (let j = 0; j < p; j++) finite &&= Number.isFinite(beta[j]!);
  if (!finite) return new NotEstimable('the Cox fit overflowed');
  if (!converged) return new NotEstimable('the Cox model did not converge in 50 iterations');
  const bad = factor(p, info);
  if (bad >= 0) return singular(names[bad]!);
  // coxph's test for an infinite coefficient: the next Newton step is neither negligible nor small against the coefficient.
  solveFactored(p, score, step);
  const infinite = names.filter((_, j) => {
    const s = Math.abs(step[j]!);
    return !Number.isFinite(s) || (s > 1e-9 && s > Math.sqrt(1e-9) * Math.abs(beta[j]!));
  });
  if (infinite.length) return new NotEstimable(`the coefficient of ${infinite.join(', ')} may be infinite (perfect separation: the likelihood converged before ${infinite.length > 1 ? 'those variables' : 'that variable'} did)`);
  const zq = qnorm(1 - (1 - conf) / 2);
  const coefficients: Record<string, CoxCoefficient> = {};
  const unit = new Float64Array(p);
  const column = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    // The variance is the diagonal of the inverse information.
    unit.fill(0);
    unit[j] = 1;
    solveFactored(p, unit, column);
    const v = column[j]!;
    if (!(Number.isFinite(v) && v > 0)) return singular(names[j]!);
    const coef = beta[j]!;
    const se = Math.sqrt(v);
    const z = coef / se;
    coefficients[names[j]!] = { coef, hr: Math.exp(coef), se, z, p: pTwoSidedZ(z), ci: [Math.exp(coef - zq * se), Math.exp(coef + zq * se)] };
  }
  return { coefficients, loglik: [loglik0, loglik], iterations: iterations + 1, events };
}
