/**
 * The course of a biomarker for one patient under one arm, at day t:
 *
 *   Y(t) = mu + b0 + P(t) + b1 * t/365 + placebo(t) + drug(t) + e(t)
 *
 *   mu         expected baseline (formula over covariates)
 *   b0, b1     patient random intercept and slope (per year), N(0, sd^2), shared by all arms
 *   P(t)       natural progression: linear  rate * t/365,
 *                                   exponential (mu + b0) * (exp(rate * t/365) - 1)
 *   placebo(t) magnitude * (1 - 2^(-t/h)): the non-specific response, in every arm
 *   drug(t)    Emax effect of concentration or exposure (zero in arms without drug)
 *   e(t)       residual error N(0, residual_sd^2), one draw per visit, shared by all arms
 */
import { onsetFraction } from '../pd/emax.js';

export interface BiomarkerPatient {
  mu: number;
  b0: number;
  b1PerYear: number;
}

export interface BiomarkerModel {
  progression?: { type: 'linear' | 'exponential'; per_year: number };
  placebo?: { magnitude: number; onset_half_life_days: number };
}

/** The expected course without drug effect and residual error. */
export function naturalCourse(m: BiomarkerModel, p: BiomarkerPatient, t: number): number {
  const years = t / 365;
  let y = p.mu + p.b0 + p.b1PerYear * years;
  if (m.progression?.type === 'linear') y += m.progression.per_year * years;
  else if (m.progression?.type === 'exponential') y += (p.mu + p.b0) * Math.expm1(m.progression.per_year * years);
  if (m.placebo) y += m.placebo.magnitude * onsetFraction(t, m.placebo.onset_half_life_days);
  return y;
}

/**
 * The parts of naturalCourse() at each visit day that depend on the model alone, computed once
 * per model; courseAt() then gives naturalCourse() at a visit with the same bits.
 */
export interface CourseAtVisits {
  /** 0: no progression, 1: linear, 2: exponential. */
  progressionKind: 0 | 1 | 2;
  hasPlacebo: boolean;
  years: Float64Array;
  /** Linear: per_year * years; exponential: expm1(per_year * years); none: unused. */
  progression: Float64Array;
  /** magnitude * onsetFraction(day, half-life); unused without a placebo response. */
  placebo: Float64Array;
}

export function courseAtVisits(m: BiomarkerModel, days: readonly number[]): CourseAtVisits {
  const n = days.length;
  const years = new Float64Array(n);
  const progression = new Float64Array(n);
  const placebo = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = days[i]!;
    years[i] = t / 365;
    if (m.progression?.type === 'linear') progression[i] = m.progression.per_year * years[i]!;
    else if (m.progression?.type === 'exponential') progression[i] = Math.expm1(m.progression.per_year * years[i]!);
    if (m.placebo) placebo[i] = m.placebo.magnitude * onsetFraction(t, m.placebo.onset_half_life_days);
  }
  const progressionKind = m.progression?.type === 'linear' ? 1 : m.progression?.type === 'exponential' ? 2 : 0;
  return { progressionKind, hasPlacebo: m.placebo !== undefined, years, progression, placebo };
}

/** naturalCourse(model, { mu, b0, b1PerYear }, days[visit]), evaluated in the same order. */
export function courseAt(c: CourseAtVisits, mu: number, b0: number, b1PerYear: number, visit: number): number {
  let y = mu + b0 + b1PerYear * c.years[visit]!;
  if (c.progressionKind === 1) y += c.progression[visit]!;
  else if (c.progressionKind === 2) y += (mu + b0) * c.progression[visit]!;
  if (c.hasPlacebo) y += c.placebo[visit]!;
  return y;
}
