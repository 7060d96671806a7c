/**
 * Concentration under a dose regimen by closed-form superposition of a unit response (ExpSum).
 *
 * Doses of size D are given at start + n * interval, n = 0 .. count - 1. A dose given at time t
 * counts for concentrations after t, so a concentration "at" a dosing time is the trough.
 * For each exponential term the sum over past doses is a geometric series:
 *   sum_{n<m} exp(-r (t - n tau)) = exp(-r t_last) (1 - exp(-r m tau)) / (1 - exp(-r tau)),
 * with m doses given before t and t_last the time since the latest. Steady state is m -> infinity.
 */
import type { ExpSum } from './exp-sum.js';

export type DoseInput =
  /** Bolus or first-order absorption: the unit response already includes absorption. */
  | { kind: 'instant' }
  /** Zero-order infusion over `duration` days. */
  | { kind: 'infusion'; duration: number };

export interface Regimen {
  dose: number;
  start: number;
  interval: number;
  /** Number of doses (Infinity: dosed until the end of the study and beyond). */
  count: number;
  input: DoseInput;
}

/** Number of doses of the regimen given before `stopDay` (treatment stopped; Infinity: never). */
export function dosesBefore(reg: Regimen, stopDay: number): number {
  if (stopDay === Infinity) return reg.count;
  return Math.min(reg.count, Math.max(0, Math.ceil((stopDay - reg.start) / reg.interval - 1e-12)));
}

/** sum_{n=0}^{m-1} exp(-r n tau), stable for small r tau; m may be Infinity. */
function geometric(r: number, tau: number, m: number): number {
  if (m === Infinity) return -1 / Math.expm1(-r * tau);
  if (r * tau === 0) return m;
  return Math.expm1(-r * m * tau) / Math.expm1(-r * tau);
}

/** Concentration at time t (days) under the regimen. */
export function concentration(unit: ExpSum, reg: Regimen, t: number): number {
  const since = t - reg.start;
  if (since <= 0) return 0;
  // Doses given strictly before t.
  const m = Math.min(reg.count, Math.ceil(since / reg.interval - 1e-12));
  if (m <= 0) return 0;
  const tLast = since - (m - 1) * reg.interval;
  return reg.dose * sumOverDoses(unit, reg, m, tLast);
}

/** Steady-state concentration at time u after a dose (0 < u <= interval), infinite dosing. */
export function steadyState(unit: ExpSum, reg: Regimen, u: number): number {
  return reg.dose * sumOverDoses(unit, reg, Infinity, u);
}

/**
 * Sum over m doses, the latest given tLast ago (0 < tLast), with doses `interval` apart,
 * per unit dose.
 */
function sumOverDoses(unit: ExpSum, reg: Regimen, m: number, tLast: number): number {
  const tau = reg.interval;
  let s = 0;
  for (let i = 0; i < unit.rate.length; i++) {
    const r = unit.rate[i]!;
    const c = unit.coef[i]!;
    if (reg.input.kind === 'instant') {
      s += c * Math.exp(-r * tLast) * geometric(r, tau, m);
      continue;
    }
    // Infusion at rate 1/T over T: a step response S(u) = c (1 - e^{-r u}) / r, switched off at T.
    const T = reg.input.duration;
    const stepArea = -Math.expm1(-r * T) / r; // (1 - e^{-rT}) / r
    if (tLast >= T) {
      // All m infusions complete: each decays from its end.
      s += (c / T) * stepArea * Math.exp(-r * (tLast - T)) * geometric(r, tau, m);
    } else {
      // The latest infusion is running; the m - 1 before it are complete.
      s += (c / T) * (-Math.expm1(-r * tLast) / r);
      if (m > 1) s += (c / T) * stepArea * Math.exp(-r * (tLast + tau - T)) * geometric(r, tau, m - 1);
    }
  }
  return s;
}
