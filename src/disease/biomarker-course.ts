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
