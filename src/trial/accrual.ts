/**
 * Calendar entry of the randomised patients (README "Accrual and calendar time"). Calendar day 0
 * is the day the study opens; a month is 365.25 / 12 = 30.4375 days.
 *
 * - Uniform over D days: the n entry days are n independent U(0, D) draws, sorted; the k-th
 *   randomised twin enters on the k-th smallest.
 * - Piecewise-constant rate (a Poisson process with rate lambda(t) patients per day):
 *   Lambda(t) = integral_0^t lambda, and the k-th entry is Lambda^-1(E_1 + ... + E_k), E_j ~ Exp(1).
 *
 * Each draw comes from its twin's own stream "accrual" (keyed by seed, replicate and the twin's
 * patient index), so a replicate's entry days never depend on worker counts, batches or shards.
 * The k-th day depends on the twins randomised before it (a sum, or a sort): that is what an
 * arrival process is; the draws themselves stay per twin.
 */
import { PatientStreams } from '../random/patient-streams.js';
import { openUniform } from '../random/stream.js';

/** Days per month: 365.25 / 12. */
export const DAYS_PER_MONTH = 365.25 / 12;

/** The stream purpose of a twin's accrual draw. */
export const ACCRUAL_PURPOSE = 'accrual';

/** A piece of a piecewise-constant rate: its length (Infinity for the last) and patients per day (> 0). */
export interface AccrualPiece {
  lengthDays: number;
  ratePerDay: number;
}

export type AccrualModel = { kind: 'uniform'; durationDays: number } | { kind: 'rate'; pieces: readonly AccrualPiece[] };

/** Lambda^-1(x): the calendar day by which x arrivals are expected. */
export function inverseCumulativeRate(pieces: readonly AccrualPiece[], x: number): number {
  let start = 0;
  let left = x;
  for (const p of pieces) {
    const mass = p.ratePerDay * p.lengthDays;
    if (left <= mass || p.lengthDays === Infinity) return start + left / p.ratePerDay;
    left -= mass;
    start += p.lengthDays;
  }
  return NaN; // unreachable: the last piece is open-ended
}

/** The expected calendar day of the last (n-th) entry: the duration, or Lambda^-1(n). */
export function expectedAccrualEnd(accrual: AccrualModel, n: number): number {
  return accrual.kind === 'uniform' ? accrual.durationDays : inverseCumulativeRate(accrual.pieces, n);
}

/**
 * The calendar entry day of each randomised twin, in randomisation order.
 * @param patients the twins' patient indices (their stream keys), in randomisation order
 */
export function entryDays(accrual: AccrualModel, seed: number, replicate: number, patients: readonly number[]): Float64Array {
  const n = patients.length;
  const out = new Float64Array(n);
  if (accrual.kind === 'uniform') {
    for (let i = 0; i < n; i++) out[i] = accrual.durationDays * openUniform(new PatientStreams(seed, replicate, patients[i]!).use(ACCRUAL_PURPOSE));
    return out.sort();
  }
  let cumulative = 0;
  for (let i = 0; i < n; i++) {
    cumulative -= Math.log(openUniform(new PatientStreams(seed, replicate, patients[i]!).use(ACCRUAL_PURPOSE)));
    out[i] = inverseCumulativeRate(accrual.pieces, cumulative);
  }
  return out;
}

/**
 * Screening days of the screened twins, in screening (index) order, from the randomised twins'
 * entry days: a randomised twin is screened on its entry day; the k screen failures screened
 * between two randomisations (entry days a < b; a = 0 before the first) on the days
 * a + j (b - a) / (k + 1), j = 1..k, evenly spaced, so screening order is calendar order.
 * Failures after the last randomisation (a shortfall) are screened on its day.
 */
export function screeningDays(enrolledFlags: readonly boolean[], entry: Float64Array): Float64Array {
  const out = new Float64Array(enrolledFlags.length);
  let prev = 0;
  let k = 0;
  let pending: number[] = [];
  for (let i = 0; i < enrolledFlags.length; i++) {
    if (!enrolledFlags[i]) {
      pending.push(i);
      continue;
    }
    const day = entry[k++]!;
    pending.forEach((p, j) => (out[p] = prev + ((j + 1) * (day - prev)) / (pending.length + 1)));
    pending = [];
    out[i] = day;
    prev = day;
  }
  for (const p of pending) out[p] = prev;
  return out;
}
