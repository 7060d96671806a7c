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
 * @example coxPh(time, status, { TRT: trt }, 'efron').coefficients.TRT.hr
 */
import { Matrix, solve } from 'ml-matrix';
import { pTwoSidedZ, qnorm } from './distributions.js';
import { NotEstimable, requireBinary, requireFinite, requireSameLength } from './not-estimable.js';

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

interface Fit {
  loglik: number;
  score: number[];
  info: number[][];
}

export function coxPh(time: readonly number[], status: readonly number[], covariates: Record<string, readonly number[]>, ties: Ties = 'efron', conf = 0.95): CoxResult | NotEstimable {
  const names = Object.keys(covariates);
  const p = names.length;
  const n = time.length;
  requireSameLength('coxPh', time, status, 'time and status');
  requireFinite('coxPh', 'time', time);
  requireBinary('coxPh', 'status', status);
  for (const k of names) {
    requireSameLength('coxPh', time, covariates[k]!, `time and covariate ${k}`);
    requireFinite('coxPh', k, covariates[k]!);
  }
  const events = status.reduce((s, v) => s + (v ? 1 : 0), 0);
  if (events === 0) return new NotEstimable('no events (all censored)');
  const means = names.map((k) => covariates[k]!.reduce((s, v) => s + v, 0) / n);
  const X = Array.from({ length: n }, (_, i) => names.map((k, j) => covariates[k]![i]! - means[j]!));
  // Descending time: risk sets accumulate as we walk.
  const order = time.map((_, i) => i).sort((a, b) => time[b]! - time[a]!);

  const evaluate = (beta: readonly number[]): Fit => {
    let loglik = 0;
    const score = new Array<number>(p).fill(0);
    const info = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    let S0 = 0;
    const S1 = new Array<number>(p).fill(0);
    const S2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    for (let q = 0; q < n; ) {
      const t = time[order[q]!]!;
      let D0 = 0;
      const D1 = new Array<number>(p).fill(0);
      const D2 = Array.from({ length: p }, () => new Array<number>(p).fill(0));
      let d = 0;
      while (q < n && time[order[q]!] === t) {
        const i = order[q]!;
        const xi = X[i]!;
        const eta = xi.reduce((s, v, j) => s + v * beta[j]!, 0);
        const r = Math.exp(eta);
        S0 += r;
        for (let a = 0; a < p; a++) {
          S1[a]! += r * xi[a]!;
          for (let b = 0; b < p; b++) S2[a]![b]! += r * xi[a]! * xi[b]!;
        }
        if (status[i]) {
          d++;
          loglik += eta;
          D0 += r;
          for (let a = 0; a < p; a++) {
            score[a]! += xi[a]!;
            D1[a]! += r * xi[a]!;
            for (let b = 0; b < p; b++) D2[a]![b]! += r * xi[a]! * xi[b]!;
          }
        }
        q++;
      }
      for (let l = 0; l < d; l++) {
        const f = ties === 'efron' ? l / d : 0;
        const s0 = S0 - f * D0;
        loglik -= Math.log(s0);
        for (let a = 0; a < p; a++) {
          const s1a = S1[a]! - f * D1[a]!;
          score[a]! -= s1a / s0;
          for (let b = 0; b < p; b++) {
            const s1b = S1[b]! - f * D1[b]!;
            info[a]![b]! += (S2[a]![b]! - f * D2[a]![b]!) / s0 - (s1a * s1b) / (s0 * s0);
          }
        }
      }
    }
    return { loglik, score, info };
  };

  let beta = new Array<number>(p).fill(0);
  let fit = evaluate(beta);
  const loglik0 = fit.loglik;
  let iterations = 0;
  let converged = false;
  for (; iterations < 50; iterations++) {
    const step = solve(new Matrix(fit.info), Matrix.columnVector(fit.score)).getColumn(0);
    let candidate = beta.map((b, j) => b + step[j]!);
    let next = evaluate(candidate);
    for (let halving = 0; next.loglik < fit.loglik && halving < 30; halving++) {
      candidate = beta.map((b, j) => (b + candidate[j]!) / 2);
      next = evaluate(candidate);
    }
    const done = Math.abs(next.loglik - fit.loglik) <= 1e-12 * Math.abs(fit.loglik);
    beta = candidate;
    fit = next;
    if (done) {
      converged = true;
      break;
    }
  }
  if (!converged) return new NotEstimable('the Cox model did not converge in 50 iterations');
  if (!beta.every(Number.isFinite) || !Number.isFinite(fit.loglik)) return new NotEstimable('the Cox fit overflowed');
  const variance = solve(new Matrix(fit.info), Matrix.identity(p));
  // coxph's test for an infinite coefficient: the next Newton step is neither negligible nor small against the coefficient.
  const nextStep = variance.mmul(Matrix.columnVector(fit.score)).getColumn(0);
  const infinite = names.filter((_, j) => {
    const s = Math.abs(nextStep[j]!);
    return !Number.isFinite(s) || (s > 1e-9 && s > Math.sqrt(1e-9) * Math.abs(beta[j]!));
  });
  if (infinite.length) return new NotEstimable(`the coefficient of ${infinite.join(', ')} may be infinite (perfect separation: the likelihood converged before ${infinite.length > 1 ? 'those variables' : 'that variable'} did)`);
  for (let j = 0; j < p; j++) {
    const v = variance.get(j, j);
    if (!(Number.isFinite(v) && v > 0)) return new NotEstimable(`the information about ${names[j]} is singular (constant or collinear covariate)`);
  }
  const zq = qnorm(1 - (1 - conf) / 2);
  const coefficients: Record<string, CoxCoefficient> = {};
  names.forEach((k, j) => {
    const coef = beta[j]!;
    const se = Math.sqrt(variance.get(j, j));
    const z = coef / se;
    coefficients[k] = { coef, hr: Math.exp(coef), se, z, p: pTwoSidedZ(z), ci: [Math.exp(coef - zq * se), Math.exp(coef + zq * se)] };
  });
  return { coefficients, loglik: [loglik0, fit.loglik], iterations: iterations + 1, events };
}
