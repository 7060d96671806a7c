/**
 * Calendar time of a protocol: how patients enter the study (`accrual`) and when it ends
 * (`study_end`). Cross-field checks (piece lengths, the events target, the end day against the
 * expected end of accrual) are in trial/compile-calendar.ts.
 */
import { z } from 'zod';
import { identifier, positive, positiveInt, strictObject } from './zod-helpers.js';

/** One piece of a piecewise-constant accrual rate: `months` long (the last piece: open-ended). */
export const accrualPieceSchema = strictObject({
  /** Length of this piece in months (every piece but the last). */
  months: positive.optional(),
  /** Randomised patients per month during this piece. */
  rate: positive,
});

export const accrualSchema = z.union(
  [
    /** Entry days uniform over the accrual period. */
    strictObject({ duration_months: positive }),
    /** A Poisson process with a piecewise-constant rate (e.g. a ramp-up). */
    strictObject({ rate_per_month: z.array(accrualPieceSchema).min(1, { message: 'expected at least 1 piece' }) }),
  ],
  { error: 'expected { duration_months: M } or { rate_per_month: [{ months: m1, rate: r1 }, ..., { rate: rK }] }' },
);
export type AccrualSpec = z.infer<typeof accrualSchema>;

export const studyEndSchema = z.union(
  [
    z.literal('last_patient_last_visit'),
    strictObject({ calendar_day: positive }),
    strictObject({ events: positiveInt, endpoint: identifier }),
  ],
  { error: 'expected last_patient_last_visit, { calendar_day: D } or { events: E, endpoint: NAME }' },
);
export type StudyEndSpec = z.infer<typeof studyEndSchema>;
