/**
 * The protocol spec. This part covers what screening needs (the cohort and the enrolment
 * criteria); arms, visits, models, endpoints and the analysis plan extend it.
 */
import { z } from 'zod';
import { analysisSchema } from './analysis-schema.js';
import { adverseEventSchema, biomarkerSchema, dropoutSchema, endpointSchema, pkSchema } from './model-schemas.js';
import { limitsSchema } from './limits-schema.js';
import { intercurrentEventsSchema } from './estimand-schema.js';
import { accrualSchema, studyEndSchema } from './calendar-schema.js';
import { identifier, nonNegative, positive, positiveInt, strictObject, text } from './zod-helpers.js';

export const criterionSchema = strictObject({
  id: identifier,
  text: text.optional(),
  expr: text,
});
export type CriterionSpec = z.infer<typeof criterionSchema>;

export const enrolmentSchema = strictObject({
  /** Number of twins to enrol. */
  target: positiveInt,
  /** Screening stops (and the run fails) after this many twins; default 20 x target. */
  max_screened: positiveInt.optional(),
  inclusion: z.array(criterionSchema).default([]),
  exclusion: z.array(criterionSchema).default([]),
});
export type EnrolmentSpec = z.infer<typeof enrolmentSchema>;

export const treatmentSchema = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('placebo') }),
    strictObject({ type: z.literal('standard_of_care') }),
    strictObject({
      type: z.literal('drug'),
      dose: positive,
      unit: text.default('mg'),
      route: z.enum(['iv_bolus', 'iv_infusion', 'oral', 'subcutaneous']),
      interval_days: positive,
      /** Number of doses; omitted: dosed until the end of the study. */
      doses: positiveInt.optional(),
      infusion_hours: positive.optional(),
      start_day: nonNegative.default(0),
    }),
  ],
  { error: 'expected a treatment with type placebo, standard_of_care or drug' },
);
export type TreatmentSpec = z.infer<typeof treatmentSchema>;

export const armSchema = strictObject({
  id: identifier,
  label: text.optional(),
  role: z.enum(['control', 'active']),
  /** Allocation ratio weight (e.g. 2 for a 2:1 design). */
  allocation: positiveInt.default(1),
  treatment: treatmentSchema,
});
export type ArmSpec = z.infer<typeof armSchema>;

const sweepValue = z.union([z.number(), z.string(), z.boolean()]);

export const protocolSchema = strictObject({
  kind: z.literal('protocol').optional(),
  name: text,
  description: text.optional(),
  sources: z.array(text).optional(),
  /** Path to the cohort spec, relative to this file (`--cohort` overrides it). */
  cohort: text.optional(),
  enrolment: enrolmentSchema,
  arms: z.array(armSchema).min(1, { message: 'expected at least 1 arm' }).optional(),
  randomisation: strictObject({
    /** Permuted-block size: a multiple of the sum of allocation weights. */
    block_size: positiveInt.optional(),
    /** Categorical covariates to stratify by: one block sequence per combination of levels. */
    stratify_by: z.array(identifier).default([]),
  }).optional(),
  study: strictObject({ duration_days: positive }).optional(),
  /** Calendar entry of the randomised patients (README "Accrual and calendar time"); without it every patient starts on day 0. */
  accrual: accrualSchema.optional(),
  /** When the study ends in calendar time (needs accrual); default: the last patient's last visit. */
  study_end: studyEndSchema.optional(),
  visits: z
    .union([
      strictObject({ every_days: positive, until_day: positive.optional() }),
      strictObject({ days: z.array(nonNegative).min(1) }),
    ])
    .optional(),
  pk: pkSchema.optional(),
  biomarkers: z.record(identifier, biomarkerSchema).default({}),
  endpoints: z.array(endpointSchema).default([]),
  adverse_events: z.array(adverseEventSchema).default([]),
  dropout: dropoutSchema.optional(),
  /** Treatment discontinuation (other reasons), off-treatment course, retrieved dropouts, rescue, death (README "Intercurrent events and estimands"). */
  intercurrent_events: intercurrentEventsSchema.optional(),
  analysis: analysisSchema.optional(),
  /**
   * Control arm: concurrent (randomised, the default), synthetic (replaced by external twins) or
   * hybrid (the randomised control arm topped up with external twins).
   */
  control_arm: strictObject({
    mode: z.enum(['concurrent', 'synthetic', 'hybrid']).default('concurrent'),
    /** Cohort the external twins come from (relative to the protocol); default: the trial's cohort. */
    external_cohort: text.optional(),
    /** Number of external control twins; default: synthetic, the size of the first active arm; hybrid, the top-up to that size. */
    external_n: positiveInt.optional(),
  }).optional(),
  /** Twin-predicted control outcome per patient, used as the PROG covariate (PROCOVA). */
  prognostic_score: strictObject({
    endpoint: identifier,
    /** twin: expected control outcome of the patient's digital twin; historical: a linear model fitted to historical controls. */
    method: z.enum(['twin', 'historical']).default('twin'),
    /** Monte Carlo draws per patient when there is no closed form (a control arm with drug). */
    draws: positiveInt.default(200),
    /** historical: CSV file (relative to the protocol), outcome column and covariate columns. */
    file: text.optional(),
    outcome: text.optional(),
    covariates: z.array(identifier).default([]),
  }).optional(),
  /** Size limits above their defaults (src/spec/limits.ts), for a legitimately large trial. */
  limits: limitsSchema.optional(),
  /**
   * Named variants of the protocol for replicate runs: `no_effect: true` removes every efficacy
   * effect of the active arms (type I error); `set` overrides values by dotted path.
   */
  scenarios: z
    .array(
      strictObject({
        name: identifier,
        description: text.optional(),
        no_effect: z.boolean().default(false),
        set: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
      }),
    )
    .default([]),
  /**
   * The design grid of `vtrial sweep` (README: Sweeps): per dotted path, its values (a list, or a
   * text such as "100:400:50" or "0.6,0.7"); the command line's --vary and --replicates override
   * it. Other commands ignore it.
   */
  sweeps: strictObject({
    vary: z.record(z.string(), z.union([sweepValue, z.array(sweepValue).min(1, { message: 'expected at least 1 value' })])),
    replicates: positiveInt.optional(),
  }).optional(),
});
export type ProtocolSpec = z.infer<typeof protocolSchema>;

export const DEFAULT_SCREENING_FACTOR = 20;
