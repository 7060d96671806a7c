/**
 * Intercurrent events besides adverse events (README "Intercurrent events and estimands"):
 *  - discontinuation for other reasons: competing exponential hazards λ_k per year, each with its
 *    own Exp(1) draw E_k: T_k = 365 E_k / λ_k; the earliest (with an AE discontinuation) stops treatment;
 *  - retrieved: a uniform U; the patient keeps attending visits after discontinuation when U < p;
 *  - background death: T = 365 E / λ_death, competing with grade 5 adverse events;
 *  - the off-treatment course: E(t) = E_on(t_d) 2^(−(t − t_d)/h) after discontinuation at t_d;
 *  - rescue: r(t) = effect (1 − 2^(−(t − t_r)/h_r)) after the rescue visit t_r.
 * Draws: stream "intercurrent" (one per patient, shared by all arms), only when the protocol has
 * an intercurrent_events section (no other stream depends on it: outputs without it are unchanged).
 */
import { openUniform, type Source } from '../random/stream.js';

export interface IntercurrentDraws {
  /** Exp(1) per other discontinuation reason. */
  reasons: number[];
  uRetrieved: number;
  /** Exp(1) for the background death time. */
  death: number;
}

export function drawIntercurrent(source: Source, reasons: number): IntercurrentDraws {
  const e = () => -Math.log(openUniform(source));
  const r = Array.from({ length: reasons }, e);
  return { reasons: r, uRetrieved: source(), death: e() };
}

/** The earliest discontinuation for another reason than an AE: its day (Infinity: none) and reason index (-1: none). */
export function otherDiscontinuation(draws: IntercurrentDraws, perYear: readonly number[]): { day: number; reason: number } {
  let day = Infinity;
  let reason = -1;
  for (let k = 0; k < perYear.length; k++) {
    const rate = perYear[k]!;
    if (!(rate > 0)) continue;
    const t = (365 * draws.reasons[k]!) / rate;
    if (t < day) {
      day = t;
      reason = k;
    }
  }
  return { day, reason };
}

/** The background death day (Infinity without a death hazard). */
export function backgroundDeathDay(draws: IntercurrentDraws, perYear: number): number {
  return perYear > 0 ? (365 * draws.death) / perYear : Infinity;
}

/** The off-treatment fraction of the effect reached at discontinuation, t − t_d days after it: 2^(−(t − t_d)/h); 0 without a half-life. */
export function waningFraction(sinceStop: number, halfLife: number | undefined): number {
  if (halfLife === undefined) return 0;
  return 2 ** (-sinceStop / halfLife);
}

/** The rescue effect t − t_r days after rescue: effect (1 − 2^(−(t − t_r)/h)); at once without a half-life; 0 up to the rescue day. */
export function rescueEffect(sinceRescue: number, effect: number, halfLife: number | undefined): number {
  if (!(sinceRescue > 0)) return 0;
  return halfLife === undefined ? effect : effect * -Math.expm1((-Math.LN2 * sinceRescue) / halfLife);
}

/**
 * The rescue visit: the first visit index ≥ from at which the series is above (or below) the
 * threshold and whose day is before `beforeDay` (death); -1 when none.
 */
export function rescueVisit(series: ArrayLike<number>, days: ArrayLike<number>, from: number, threshold: { above?: number; below?: number }, beforeDay: number): number {
  for (let v = from; v < series.length; v++) {
    if (days[v]! >= beforeDay) return -1;
    const y = series[v]!;
    if (threshold.above !== undefined ? y > threshold.above : y < threshold.below!) return v;
  }
  return -1;
}
