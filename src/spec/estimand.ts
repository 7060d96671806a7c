/**
 * Estimands without zod (worker threads resolve them; src/spec/estimand-schema.ts is the spec's
 * schema): the ICE types, the strategies, and an item's estimand resolved per type (README
 * "Intercurrent events and estimands").
 */
export const ICE_TYPES = ['discontinuation', 'rescue', 'death'] as const;
export type IceType = (typeof ICE_TYPES)[number];

export const STRATEGIES = ['treatment_policy', 'hypothetical', 'while_on_treatment', 'composite'] as const;
export type Strategy = (typeof STRATEGIES)[number];

type Choice = 'use' | 'discard';
/** `estimand:` as written: one strategy, or one per type. */
export type EstimandSpec = Strategy | Partial<Record<IceType, Strategy>>;
/** `post_ice:` as written. */
export type PostIce = Choice | Partial<Record<IceType, Choice>>;

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

/** Whether any item of an analysis plan declares an estimand (replicate outputs then carry an `estimand` column). */
export function declaresEstimand(plan: { readonly primary: readonly { readonly estimand?: unknown }[]; readonly secondary: readonly { readonly estimand?: unknown }[] }): boolean {
  return plan.primary.some((i) => i.estimand !== undefined) || plan.secondary.some((i) => i.estimand !== undefined);
}
