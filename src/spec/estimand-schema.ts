/**
 * Intercurrent events (the protocol's `intercurrent_events:`) and estimands (an analysis item's
 * `estimand:` and `post_ice:`), README "Intercurrent events and estimands". An estimand names a
 * strategy for each intercurrent-event (ICE) type; the strategy defines the truth (what the twins
 * report as true_effect) and, by default, what the analysis sees after the event.
 */
import { z } from 'zod';
import { finite, identifier, nonNegative, positive, probability, safeName, strictObject } from './zod-helpers.js';

import { STRATEGIES } from './estimand.js';

const strategy = z.enum(STRATEGIES);

/** `estimand: hypothetical` (every modelled ICE type) or one strategy per ICE type. */
export const estimandSchema = z.union([strategy, strictObject({ discontinuation: strategy.optional(), rescue: strategy.optional(), death: strategy.optional() })]);

/**
 * What the analysis does with values after an ICE handled by treatment policy: use them, or
 * discard them (e.g. for reference-based imputation); one for every type, or per type.
 */
const postIceChoice = z.enum(['use', 'discard']);
export const postIceSchema = z.union([postIceChoice, strictObject({ discontinuation: postIceChoice.optional(), rescue: postIceChoice.optional(), death: postIceChoice.optional() })]);

export const intercurrentEventsSchema = strictObject({
  /** Treatment discontinuation for reasons other than adverse events: competing exponential hazards (every arm). */
  discontinuation: z.array(strictObject({ reason: safeName, per_year: nonNegative })).default([]),
  /** After discontinuation an exposure-driven drug effect decays with this half-life (absent: it stops at once). */
  off_treatment: strictObject({ waning_half_life_days: positive }).optional(),
  /** Probability that a patient who stops treatment keeps attending visits (drawn once per twin); else it leaves the study then. */
  retrieved: probability.default(1),
  /** Rescue medication: from the first visit at or after from_visit at which the biomarker is above (or below) the threshold. */
  rescue: strictObject({
    biomarker: identifier,
    above: finite.optional(),
    below: finite.optional(),
    from_visit: z.union([z.string().min(1), z.number().int()], { error: 'expected a visit name (e.g. "Week 12") or day' }).optional(),
    /** Added to the biomarker after rescue, reached with a first-order onset (absent: at once). */
    effect: finite,
    onset_half_life_days: positive.optional(),
  }).optional(),
  /** Background death hazard per patient-year (every arm), competing with deaths from grade 5 adverse events. */
  death: strictObject({ per_year: nonNegative }).optional(),
});
export type IntercurrentEventsSpec = z.infer<typeof intercurrentEventsSchema>;

