/**
 * Size limits of a protocol: values that would exhaust memory or time (a target of 10^9 twins,
 * a visit every 10^-300 days) are refused up front as spec errors, in `validate` as in `run`.
 * Each limit can be raised where a large value is legitimate, with the protocol section
 * `limits: { max_enrolled: 2000000 }` (validated like the rest of the protocol).
 */

/** Defaults, and what each limit bounds. */
export const LIMITS = {
  /** Twins enrolled per trial (enrolment.target) and external control twins (control_arm.external_n). */
  max_enrolled: { default: 1_000_000, what: 'twins enrolled per trial' },
  /** Twins screened per trial (enrolment.max_screened; its default 20 x target is capped at this). */
  max_screened: { default: 10_000_000, what: 'twins screened per trial' },
  /** Visits per patient, baseline included. */
  max_visits: { default: 1_000, what: 'visits per patient' },
  /** Study duration in days (100 years). */
  max_duration_days: { default: 36_525, what: 'days of study duration' },
  /** Permuted-block size (and the sum of the allocation weights, which it is a multiple of). */
  max_block_size: { default: 1_000, what: 'twins per randomisation block' },
  /** Simulated patient-visits per trial: (enrolled + external twins) x visits x arms. */
  max_patient_visits: { default: 20_000_000, what: 'patient-visits per trial (twins x visits x arms)' },
  /** Monte Carlo draws per patient of the prognostic score. */
  max_prognostic_draws: { default: 10_000, what: 'Monte Carlo draws per patient' },
} as const;

export type LimitName = keyof typeof LIMITS;
export type Limits = Record<LimitName, number>;

/** A protocol's `limits` section (its schema, with zod, is in limits-schema.ts: this module stays zod-free for the simulation). */
export type LimitsSpec = Partial<Record<LimitName, number>>;

/** The protocol's limits: its `limits` section over the defaults. */
export function resolveLimits(spec: LimitsSpec | undefined): Limits {
  const out = {} as Limits;
  for (const k of Object.keys(LIMITS) as LimitName[]) out[k] = spec?.[k] ?? LIMITS[k].default;
  return out;
}

/**
 * The message for a value above a limit: states the limit and how to lift it.
 * @param value the size found; @param shown how to show it (default: the value)
 */
export function overLimit(name: LimitName, limits: Limits, value: number, shown: string = String(value)): string {
  const lift = value < 1e12 ? String(Math.ceil(value)) : '<n>';
  return `${shown} is above the limit of ${limits[name]} ${LIMITS[name].what}; if this size is intended, raise the limit in the protocol: limits: { ${name}: ${lift} }`;
}
