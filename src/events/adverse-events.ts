/**
 * Adverse events: for each term, the time of its first occurrence, its CTCAE grade, whether it
 * is serious and whether it leads to treatment discontinuation.
 *
 * Cumulative hazard of term k (days, rates per patient-year, Weibull onset shape s):
 *   H_k(t) = bg_k (t/365)^s + drug_k (min(t, t_stop)/365)^s
 * where drug_k is the exposure-dependent rate in drug arms and t_stop the day treatment stops.
 * Each term has one Exp(1) draw E_k (stream "ae/<term>", shared by all arms); it occurs at
 * H_k^-1(E_k). Events are processed in time order: an event leading to discontinuation sets
 * t_stop for the terms that have not occurred yet; a grade 5 event ends observation.
 */
import type { Source } from '../random/stream.js';
import { openUniform } from '../random/stream.js';

export interface AeTermDraws {
  /** Exp(1) draw for the onset time. */
  e: number;
  uGrade: number;
  uSerious: number;
  uDiscontinue: number;
}

export function drawAeTerm(source: Source): AeTermDraws {
  return { e: -Math.log(openUniform(source)), uGrade: source(), uSerious: source(), uDiscontinue: source() };
}

export interface AeTermModel {
  term: string;
  bodySystem: string;
  backgroundPerYear: number;
  shape: number;
  /** Cumulative grade probabilities 1..5. */
  gradeCumulative: readonly number[];
  seriousProbability: number;
  discontinuationProbability: number;
}

export interface AeEvent {
  term: string;
  bodySystem: string;
  day: number;
  grade: number;
  serious: boolean;
  discontinued: boolean;
}

export interface AeOutcome {
  events: AeEvent[];
  /** Day treatment stopped because of an AE (Infinity if never). */
  discontinuationDay: number;
  /** Day of a fatal (grade 5) AE (Infinity if none). */
  deathDay: number;
}

/** Inverts H(t) = bg (t/365)^s + drug (min(t, stop)/365)^s at E. */
export function aeOnset(e: number, bg: number, drug: number, shape: number, stop: number): number {
  const total = bg + drug;
  if (total <= 0) return Infinity;
  const t = 365 * (e / total) ** (1 / shape);
  if (t <= stop) return t;
  if (bg <= 0) return Infinity;
  const rest = e - drug * (stop / 365) ** shape;
  return 365 * (rest / bg) ** (1 / shape);
}

/**
 * @param otherStop the day treatment stops for another reason (intercurrent_events.discontinuation;
 *   Infinity: never): the drug's hazard ends there, and a later AE no longer leads to discontinuation.
 */
export function simulateAdverseEvents(terms: readonly AeTermModel[], drugPerYear: readonly number[], draws: readonly AeTermDraws[], endDay: number, otherStop = Infinity): AeOutcome {
  const events: AeEvent[] = [];
  const done = terms.map(() => false);
  let stop = Infinity;
  let end = endDay;
  for (;;) {
    let next = -1;
    let nextDay = Infinity;
    terms.forEach((term, k) => {
      if (done[k]) return;
      const day = aeOnset(draws[k]!.e, term.backgroundPerYear, drugPerYear[k]!, term.shape, stop < otherStop ? stop : otherStop);
      if (day < nextDay) {
        nextDay = day;
        next = k;
      }
    });
    if (next < 0 || nextDay > end) break;
    const term = terms[next]!;
    const d = draws[next]!;
    done[next] = true;
    let grade = 1;
    while (grade < 5 && d.uGrade >= term.gradeCumulative[grade - 1]!) grade++;
    const discontinued = stop === Infinity && nextDay < otherStop && d.uDiscontinue < term.discontinuationProbability;
    events.push({ term: term.term, bodySystem: term.bodySystem, day: nextDay, grade, serious: grade === 5 || d.uSerious < term.seriousProbability, discontinued });
    if (discontinued || grade === 5) stop = Math.min(stop, nextDay);
    if (grade === 5) end = nextDay;
  }
  return { events, discontinuationDay: stop, deathDay: end < endDay ? end : Infinity };
}
