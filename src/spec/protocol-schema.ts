/**
 * The protocol spec. This part covers what screening needs (the cohort and the enrolment
 * criteria); arms, visits, models, endpoints and the analysis plan extend it.
 */
import { z } from 'zod';
import { identifier, positiveInt, strictObject, text } from './zod-helpers.js';

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

export const protocolSchema = strictObject({
  kind: z.literal('protocol').optional(),
  name: text,
  description: text.optional(),
  sources: z.array(text).optional(),
  /** Path to the cohort spec, relative to this file (`--cohort` overrides it). */
  cohort: text.optional(),
  enrolment: enrolmentSchema,
});
export type ProtocolSpec = z.infer<typeof protocolSchema>;

export const DEFAULT_SCREENING_FACTOR = 20;
