/**
 * Protocol model sections: PK, biomarkers (disease course + PD), endpoints, adverse events and
 * dropout. Time is in days, rates per patient-year; PK parameters in L/day, L and 1/day.
 */
import { z } from 'zod';
import { finite, identifier, nonNegative, positive, probability, safeName, strictObject, text } from './zod-helpers.js';

/** A typical value with log-normal inter-individual variability (CV; omega = sqrt(log(1+CV^2))). */
const pkParameter = strictObject({ value: positive, iiv_cv: nonNegative.optional() });

import { PK_PARAMETERS } from './pk-parameters.js';
export { PK_PARAMETERS };

export const pkSchema = strictObject({
  compartments: z.union([z.literal(1), z.literal(2)], { error: 'expected 1 or 2' }),
  cl: pkParameter,
  v: pkParameter,
  q: pkParameter.optional(),
  v2: pkParameter.optional(),
  ka: pkParameter.optional(),
  /** Fraction absorbed for oral and subcutaneous doses. */
  bioavailability: probability.optional(),
  /** Power covariate models: P_i = P_typical * (covariate / reference) ^ exponent. */
  covariate_effects: z
    .array(strictObject({ parameter: z.enum(PK_PARAMETERS), covariate: identifier, reference: positive, exponent: finite, source: text.optional() }))
    .default([]),
});
export type PkSpec = z.infer<typeof pkSchema>;

export const EXPOSURE_DRIVERS = ['cmax_ss', 'cmin_ss', 'cavg_ss', 'auc_ss'] as const;
export type ExposureDriver = (typeof EXPOSURE_DRIVERS)[number];

export const drugEffectSchema = strictObject({
  /** concentration: C(t) (through an effect compartment if onset is given); or a steady-state exposure metric. */
  driver: z.enum(['concentration', ...EXPOSURE_DRIVERS]),
  model: z.enum(['emax', 'sigmoid_emax']).default('emax'),
  emax: finite,
  ec50: positive,
  hill: positive.optional(),
  ec50_iiv_cv: nonNegative.optional(),
  /** Half-life of the first-order onset of the effect (effect-compartment equilibration). */
  onset_half_life_days: positive.optional(),
});
export type DrugEffectSpec = z.infer<typeof drugEffectSchema>;

/** An ADaM parameter code (PARAMCD): at most 8 capital letters, digits or _, starting with a letter. */
export const paramcd = z
  .string({ error: 'expected a parameter code' })
  .regex(/^[A-Z][A-Z0-9_]{0,7}$/, { message: 'expected a parameter code of 1 to 8 capital letters, digits or _ (starting with a letter)' });

export const biomarkerSchema = strictObject({
  label: text.optional(),
  /** PARAMCD of its ADEFF rows; default: the id in capitals, cut to 8 characters. */
  paramcd: paramcd.optional(),
  unit: text.optional(),
  /** The patient's expected baseline: a formula over covariates. */
  baseline: text,
  progression: z
    .union([
      strictObject({ type: z.literal('linear'), per_year: finite }),
      strictObject({ type: z.literal('exponential'), per_year: finite }),
    ])
    .optional(),
  placebo_response: strictObject({ magnitude: finite, onset_half_life_days: positive }).optional(),
  drug_effect: drugEffectSchema.optional(),
  random_effects: strictObject({ intercept_sd: nonNegative.default(0), slope_sd_per_year: nonNegative.default(0) }).optional(),
  residual_sd: nonNegative.default(0),
  source: text.optional(),
});
export type BiomarkerSpec = z.infer<typeof biomarkerSchema>;

const visitRef = z.union([text, z.number().int()], { error: 'expected a visit name (e.g. "Week 26") or day' });

export const endpointSchema = z.discriminatedUnion(
  'type',
  [
    strictObject({
      id: identifier,
      label: text.optional(),
      type: z.literal('continuous'),
      biomarker: identifier,
      visit: visitRef,
      measure: z.enum(['value', 'change']).default('change'),
    }),
    strictObject({
      id: identifier,
      label: text.optional(),
      type: z.literal('responder'),
      biomarker: identifier,
      visit: visitRef,
      measure: z.enum(['value', 'change']).default('value'),
      below: finite.optional(),
      above: finite.optional(),
    }),
    strictObject({
      id: identifier,
      label: text.optional(),
      type: z.literal('time_to_event'),
      /** PARAMCD of its ADTTE rows; default: the id in capitals, cut to 8 characters. */
      paramcd: paramcd.optional(),
      event: text.default('EVENT'),
      baseline_hazard: z.union([
        strictObject({ distribution: z.literal('exponential'), median_days: positive }),
        strictObject({ distribution: z.literal('weibull'), scale_days: positive, shape: positive }),
      ]),
      /** Log-hazard linear predictor over covariates, e.g. "0.4 * brain_mets". */
      covariates: text.optional(),
      /** Hazard ratio per arm id (arms not listed: 1). */
      hazard_ratio: z.record(identifier, positive).default({}),
      /** Log-linear exposure effect: log HR per unit of the exposure metric. */
      exposure: strictObject({ driver: z.enum(EXPOSURE_DRIVERS), log_hr_per_unit: finite }).optional(),
    }),
  ],
  { error: 'expected an endpoint with type continuous, responder or time_to_event' },
);
export type EndpointSpec = z.infer<typeof endpointSchema>;

export const adverseEventSchema = strictObject({
  term: safeName,
  body_system: text,
  /** Hazard of a first occurrence per patient-year, in every arm. */
  background_per_year: nonNegative.default(0),
  /** Extra hazard in drug arms, as a function of a steady-state exposure metric. */
  drug: z
    .union([
      strictObject({ model: z.literal('emax'), driver: z.enum(EXPOSURE_DRIVERS), emax_per_year: nonNegative, ec50: positive, hill: positive.default(1) }),
      strictObject({ model: z.literal('log_linear'), driver: z.enum(EXPOSURE_DRIVERS), base_per_year: nonNegative, slope: finite }),
      strictObject({ model: z.literal('constant'), per_year: nonNegative }),
    ])
    .optional(),
  /** Weibull shape of the time to onset: < 1 front-loads onsets (e.g. early nausea); 1 is a constant hazard. */
  onset_shape: positive.default(1),
  /** Probabilities of CTCAE grades 1..5 given the event (sum to 1). */
  grade_probabilities: z.array(probability).length(5, { message: 'expected 5 probabilities (grades 1 to 5)' }),
  serious_probability: probability.default(0),
  discontinuation_probability: probability.default(0),
  source: text.optional(),
});
export type AdverseEventSpec = z.infer<typeof adverseEventSchema>;

export const dropoutSchema = strictObject({
  background_per_year: nonNegative.default(0),
  /** Extra dropout hazard after an adverse event that led to treatment discontinuation. */
  after_discontinuation_per_year: nonNegative.default(0),
  source: text.optional(),
});
export type DropoutSpec = z.infer<typeof dropoutSchema>;
