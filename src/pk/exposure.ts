/**
 * Steady-state exposure metrics of one patient under a regimen: Cmax, Cmin (trough), Cavg and
 * AUC over a dosing interval. For linear PK, AUC_tau,ss = F * dose / CL exactly. Cmax,ss is at
 * the start of the interval for a bolus; with first-order absorption the steady-state profile
 * is an exponential sum f(u) = sum C_i e^(-r_i u), C_i = dose c_i / (1 - e^(-r_i tau)), whose
 * maximum is the root of f'(u) (safeguarded Newton); for infusions, a grid and golden-section
 * search.
 */
import { steadyState, type Regimen } from './dosing.js';
import type { ExpSum } from './exp-sum.js';

export interface Exposure {
  cmax_ss: number;
  cmin_ss: number;
  cavg_ss: number;
  auc_ss: number;
}

export const NO_EXPOSURE: Exposure = { cmax_ss: 0, cmin_ss: 0, cavg_ss: 0, auc_ss: 0 };

export function steadyStateExposure(unit: ExpSum, reg: Regimen, bioavailableDose: number, cl: number, isBolus: boolean): Exposure {
  const tau = reg.interval;
  const auc = bioavailableDose / cl;
  const cmin = steadyState(unit, reg, tau);
  let cmax: number;
  if (isBolus) {
    cmax = steadyState(unit, reg, 1e-12 * tau);
  } else if (reg.input.kind === 'instant') {
    cmax = expSumMax(unit, reg.dose, tau);
  } else {
    const grid = 48;
    let best = 1;
    for (let j = 1; j <= grid; j++) if (steadyState(unit, reg, (j * tau) / grid) > steadyState(unit, reg, (best * tau) / grid)) best = j;
    let lo = (Math.max(best - 1, 0) * tau) / grid;
    let hi = (Math.min(best + 1, grid) * tau) / grid;
    const g = (Math.sqrt(5) - 1) / 2;
    for (let it = 0; it < 80 && hi - lo > 1e-12 * tau; it++) {
      const a = hi - g * (hi - lo);
      const b = lo + g * (hi - lo);
      if (steadyState(unit, reg, a) < steadyState(unit, reg, b)) lo = a;
      else hi = b;
    }
    cmax = Math.max(steadyState(unit, reg, (lo + hi) / 2), steadyState(unit, reg, (best * tau) / grid));
  }
  return { cmax_ss: cmax, cmin_ss: cmin, cavg_ss: auc / tau, auc_ss: auc };
}

/** Scratch for expSumMax (terms of the steady-state sum and their decays), grown as needed. */
let C = new Float64Array(4);
let E = new Float64Array(4);

/** exp(-r_i u) for every term, in E (shared by f, f' and f'' at the same u). */
function decays(r: readonly number[], u: number): void {
  for (let i = 0; i < r.length; i++) E[i] = Math.exp(-r[i]! * u);
}

/** f(u) = sum C_i e^(-r_i u), from E; summed from 0 term by term (the order of the former reduce()). */
function f(n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s = s + C[i]! * E[i]!;
  return s;
}

/** f'(u) from E. */
function d1(r: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s = s - r[i]! * C[i]! * E[i]!;
  return s;
}

/** f''(u) from E. */
function d2(r: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s = s + r[i]! * r[i]! * C[i]! * E[i]!;
  return s;
}

/** Maximum over (0, tau] of f(u) = sum dose c_i e^(-r_i u) / (1 - e^(-r_i tau)). */
function expSumMax(unit: ExpSum, dose: number, tau: number): number {
  const r = unit.rate;
  const n = r.length;
  if (C.length < n) {
    C = new Float64Array(n);
    E = new Float64Array(n);
  }
  for (let i = 0; i < n; i++) C[i] = (dose * unit.coef[i]!) / -Math.expm1(-r[i]! * tau);
  let lo = 0;
  let hi = tau;
  decays(r, lo);
  if (d1(r) <= 0) return f(n); // already falling: the trough is the peak
  decays(r, hi);
  if (d1(r) >= 0) return f(n);
  let u = tau / 2;
  for (let it = 0; it < 100; it++) {
    decays(r, u);
    const g = d1(r);
    if (g > 0) lo = u;
    else hi = u;
    let next = u - g / d2(r);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2; // Newton left the bracket: bisect
    if (Math.abs(next - u) <= 1e-14 * tau) {
      u = next;
      break;
    }
    u = next;
  }
  decays(r, u);
  return f(n);
}
