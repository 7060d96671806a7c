/**
 * Intercurrent events (the protocol's `intercurrent_events:`) and estimands (an analysis item's
 * `estimand:` and `post_ice:`), README "Intercurrent events and estimands". An estimand names a
 * strategy for each intercurrent-event (ICE) type; the strategy defines the truth (what the twins
 * report as true_effect) and, by default, what the analysis sees after the event.
 */
import { z } from 'zod';
import { finite, identifier, nonNegative, positive, probability, safeName, strictObject } from './zod-helpers.js';

export const ICE_TYPES = ['discontinuation', 'rescue', 'death'] as const;
export type IceType = (typeof ICE_TYPES)[number];

export const STRATEGIES = ['treatment_policy', 'hypothetical', 'while_on_treatment', 'composite'] as const;
export type Strategy = (typeof STRATEGIES)[number];

const strategy = z.enum(STRATEGIES);

/** `estimand: hypothetical` (every modelled ICE type) or one strategy per ICE type. */
export const estimandSchema = z.union([strategy, strictObject({ discontinuation: strategy.optional(), rescue: strategy.optional(), death: strategy.optional() })]);
export type EstimandSpec = z.infer<typeof estimandSchema>;

/**
 * What the analysis does with values after an ICE handled by treatment policy: use them, or
 * discard them (e.g. for reference-based imputation); one for every type, or per type.
 */
const postIceChoice = z.enum(['use', 'discard']);
export const postIceSchema = z.union([postIceChoice, strictObject({ discontinuation: postIceChoice.optional(), rescue: postIceChoice.optional(), death: postIceChoice.optional() })]);
export type PostIce = z.infer<typeof postIceSchema>;

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

/** An item's estimand with a strategy for every ICE type, and how each type's post-event values are handled. */
export interface ResolvedEstimand {
  strategies: Record<IceType, Strategy>;
  /** Per ICE type: what the analysis sees after the event. */
  handling: Record<IceType, 'use' | 'discard' | 'last_on_treatment' | 'failure'>;
  /** Column suffix in counterfactual.csv and key of the truth: the strategy when all agree, else "discontinuation=S;rescue=S;death=S". */
  label: string;
}

/** Which ICE types a protocol models (a strategy for another type changes nothing). */
export type ModelledIces = Record<IceType, boolean>;

/** The strategy of an ICE type the map form does not name: treatment policy; for death, hypothetical (no outcome exists after death). */
export const DEFAULT_STRATEGY: Record<IceType, Strategy> = { discontinuation: 'treatment_policy', rescue: 'treatment_policy', death: 'hypothetical' };

/**
 * An item's estimand with every ICE type filled: a single strategy applies to every type; the
 * map form's unnamed types take DEFAULT_STRATEGY. The label names the modelled types' strategies
 * (one word when they agree): a strategy for a type the protocol does not model changes nothing.
 */
export function resolveEstimand(spec: EstimandSpec, postIce: PostIce | undefined, modelled: ModelledIces): ResolvedEstimand {
  const strategies = {} as Record<IceType, Strategy>;
  for (const t of ICE_TYPES) strategies[t] = (typeof spec === 'string' ? spec : spec[t]) ?? DEFAULT_STRATEGY[t];
  const handling = {} as ResolvedEstimand['handling'];
  for (const t of ICE_TYPES) {
    const s = strategies[t];
    const chosen = typeof postIce === 'string' ? postIce : postIce?.[t];
    handling[t] = s === 'hypothetical' ? 'discard' : s === 'while_on_treatment' ? 'last_on_treatment' : s === 'composite' ? 'failure' : (chosen ?? 'use');
  }
  const named = ICE_TYPES.some((t) => modelled[t]) ? ICE_TYPES.filter((t) => modelled[t]) : ICE_TYPES;
  const distinct = new Set(named.map((t) => strategies[t]));
  const label = distinct.size === 1 ? strategies[named[0]!] : named.map((t) => `${t}=${strategies[t]}`).join(';');
  return { strategies, handling, label };
}
