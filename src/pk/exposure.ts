/**
 * Steady-state exposure metrics of one patient under a regimen: Cmax, Cmin (trough), Cavg and
 * AUC over a dosing interval. For linear PK, AUC_tau,ss = F * dose / CL exactly; Cmax,ss is
 * found by a grid and golden-section search over one interval (it is at the start of the
 * interval for a bolus).
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
