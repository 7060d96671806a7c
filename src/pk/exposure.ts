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
  const c = (u: number) => steadyState(unit, reg, u);
  const auc = bioavailableDose / cl;
  const cmin = c(tau);
  let cmax: number;
  if (isBolus) {
    cmax = c(1e-12 * tau);
  } else if (reg.input.kind === 'instant') {
    cmax = expSumMax(unit, reg.dose, tau);
  } else {
    const grid = 48;
    let best = 1;
    for (let j = 1; j <= grid; j++) if (c((j * tau) / grid) > c((best * tau) / grid)) best = j;
    let lo = (Math.max(best - 1, 0) * tau) / grid;
    let hi = (Math.min(best + 1, grid) * tau) / grid;
    const g = (Math.sqrt(5) - 1) / 2;
    for (let it = 0; it < 80 && hi - lo > 1e-12 * tau; it++) {
      const a = hi - g * (hi - lo);
      const b = lo + g * (hi - lo);
      if (c(a) < c(b)) lo = a;
      else hi = b;
    }
    cmax = Math.max(c((lo + hi) / 2), c((best * tau) / grid));
  }
  return { cmax_ss: cmax, cmin_ss: cmin, cavg_ss: auc / tau, auc_ss: auc };
}

/** Maximum over (0, tau] of f(u) = sum dose c_i e^(-r_i u) / (1 - e^(-r_i tau)). */
function expSumMax(unit: ExpSum, dose: number, tau: number): number {
  const C = unit.coef.map((ci, i) => (dose * ci) / -Math.expm1(-unit.rate[i]! * tau));
  const r = unit.rate;
  const f = (u: number) => C.reduce((s, ci, i) => s + ci * Math.exp(-r[i]! * u), 0);
  const d1 = (u: number) => C.reduce((s, ci, i) => s - r[i]! * ci * Math.exp(-r[i]! * u), 0);
  const d2 = (u: number) => C.reduce((s, ci, i) => s + r[i]! * r[i]! * ci * Math.exp(-r[i]! * u), 0);
  let lo = 0;
  let hi = tau;
  if (d1(lo) <= 0) return f(0); // already falling: the trough is the peak
  if (d1(hi) >= 0) return f(tau);
  let u = tau / 2;
  for (let it = 0; it < 100; it++) {
    const g = d1(u);
    if (g > 0) lo = u;
    else hi = u;
    let next = u - g / d2(u);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2; // Newton left the bracket: bisect
    if (Math.abs(next - u) <= 1e-14 * tau) {
      u = next;
      break;
    }
    u = next;
  }
  return f(u);
}
