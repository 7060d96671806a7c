/**
 * Dropout (withdrawal from the study): a background exponential time with rate bg per year,
 * competing with an AE-driven time t_stop + Exp(extra per year) after an adverse event led to
 * treatment discontinuation. The earlier one is the dropout day and names its reason.
 * Draws: two uniforms from stream "dropout", shared by all arms.
 */
import { openUniform, type Source } from '../random/stream.js';

export interface DropoutDraws {
  e1: number;
  e2: number;
}

export function drawDropout(source: Source): DropoutDraws {
  return { e1: -Math.log(openUniform(source)), e2: -Math.log(openUniform(source)) };
}

/**
 * Whether dropoutDay can read the draws: e1 only when bgPerYear > 0, e2 only when extraPerYear > 0.
 * When it cannot, the caller skips the stream (NO_DROPOUT_DRAWS): no other stream depends on it,
 * so every output stays the same. Keep in step with dropoutDay.
 */
export function dropoutDrawsUsed(bgPerYear: number, extraPerYear: number): boolean {
  return bgPerYear > 0 || extraPerYear > 0;
}

/** The draws of a skipped dropout stream (NaN: never read, see dropoutDrawsUsed). */
export const NO_DROPOUT_DRAWS: DropoutDraws = Object.freeze({ e1: NaN, e2: NaN });

/** Why observation ended; a patient not retrieved leaves with its discontinuation reason (intercurrent_events). */
export type EndReason = 'COMPLETED' | 'WITHDRAWAL BY SUBJECT' | 'ADVERSE EVENT' | 'DEATH' | (string & {});

export function dropoutDay(d: DropoutDraws, bgPerYear: number, extraPerYear: number, discontinuationDay: number): { day: number; reason: EndReason } {
  const bg = bgPerYear > 0 ? (365 * d.e1) / bgPerYear : Infinity;
  const ae = extraPerYear > 0 && discontinuationDay < Infinity ? discontinuationDay + (365 * d.e2) / extraPerYear : Infinity;
  return ae < bg ? { day: ae, reason: 'ADVERSE EVENT' } : { day: bg, reason: 'WITHDRAWAL BY SUBJECT' };
}
