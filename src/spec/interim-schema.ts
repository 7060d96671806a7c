/**
 * Interim analyses of the primary analysis (README "Interim analyses"): the looks before the
 * final one (the study end), the efficacy boundary's spending function and optional futility
 * bounds. Cross-field checks (order, reachability, the number of futility bounds) are in
 * trial/compile-interim.ts.
 */
import { z } from 'zod';
import { finite, positive, positiveInt, strictObject } from './zod-helpers.js';

export const lookSchema = z.union(
  [
    /** A fraction (0, 1] of the planned final information: events (time to event), patients with the endpoint observed (otherwise). */
    strictObject({ information: positive }),
    /** The calendar day of the E-th observed event of the primary endpoint. */
    strictObject({ events: positiveInt }),
    /** A calendar day. */
    strictObject({ calendar_day: positive }),
  ],
  { error: 'expected { information: F }, { events: E } or { calendar_day: D }' },
);
export type LookSpec = z.infer<typeof lookSchema>;

export const SPENDING_NAMES = ['of', 'pocock', 'hsd', 'kd', 'classical_of', 'classical_pocock'] as const;

export const interimSchema = strictObject({
  /** The interim looks, in calendar order; the final analysis is the study end (not listed). */
  looks: z.array(lookSchema).min(1, { message: 'expected at least 1 interim look' }),
  /** Efficacy boundary: Lan-DeMets O'Brien-Fleming- or Pocock-type, Hwang-Shih-DeCani, Kim-DeMets spending, or the classical designs. */
  spending: z.enum(SPENDING_NAMES).default('of'),
  /** Hwang-Shih-DeCani's gamma (hsd) or Kim-DeMets' rho (kd). */
  gamma: finite.optional(),
  /**
   * Futility (one-sided plans): z-scale bounds, one per interim look, or a conditional-power
   * threshold (under the current trend or the design effect: hazard_ratio, or effect and sd)
   * that compile-interim.ts turns into z bounds. Exactly one of bounds and conditional_power.
   */
  futility: strictObject({
    bounds: z.array(finite).optional(),
    conditional_power: finite.optional(),
    under: z.enum(['trend', 'design']).optional(),
    hazard_ratio: positive.optional(),
    effect: finite.optional(),
    sd: positive.optional(),
    binding: z.boolean().default(false),
  }).optional(),
});
export type InterimSpec = z.infer<typeof interimSchema>;
