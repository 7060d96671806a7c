/**
 * A patient's PK parameters: typical value x covariate effects (power models) x exp(eta), with
 * eta ~ N(0, omega^2), omega = sqrt(log(1 + CV^2)) so that CV is the parameter's coefficient of
 * variation. Etas are drawn once per patient (stream "pk") and shared by every arm.
 */
import type { Row } from '../expr/compile.js';
import { PhiInv } from '../cohort/marginals.js';
import { openUniform, type Source } from '../random/stream.js';
import type { PkSpec } from '../spec/model-schemas.js';
import { PK_PARAMETERS } from '../spec/pk-parameters.js';
import { convolveFirstOrder, oneCompartment, twoCompartment, type ExpSum } from './exp-sum.js';

export type PkParameter = (typeof PK_PARAMETERS)[number];
export type PkParameters = Record<PkParameter, number>;

export const omegaFromCv = (cv: number): number => Math.sqrt(Math.log(1 + cv * cv));

/** Draws the etas in the fixed order cl, v, q, v2, ka (one normal score each, always). */
export function drawPkEtas(source: Source): number[] {
  return PK_PARAMETERS.map(() => PhiInv(openUniform(source)));
}

/** A spec's parameters prepared once: typical value, omega and covariate effects per parameter (in PK_PARAMETERS order). */
interface PkPlan {
  present: boolean[];
  value: number[];
  omega: number[];
  effects: { covariate: string; reference: number; exponent: number }[][];
}

const pkPlans = new WeakMap<PkSpec, PkPlan>();

function pkPlan(spec: PkSpec): PkPlan {
  let plan = pkPlans.get(spec);
  if (plan) return plan;
  plan = {
    present: PK_PARAMETERS.map((name) => spec[name] !== undefined),
    value: PK_PARAMETERS.map((name) => spec[name]?.value ?? NaN),
    omega: PK_PARAMETERS.map((name) => omegaFromCv(spec[name]?.iiv_cv ?? 0)),
    effects: PK_PARAMETERS.map((name) => spec.covariate_effects.filter((e) => e.parameter === name).map((e) => ({ covariate: e.covariate, reference: e.reference, exponent: e.exponent }))),
  };
  pkPlans.set(spec, plan);
  return plan;
}

function parameter(plan: PkPlan, i: number, covariates: Row, etas: readonly number[]): number {
  if (!plan.present[i]) return NaN;
  let value = plan.value[i]! * Math.exp(plan.omega[i]! * etas[i]!);
  const effects = plan.effects[i]!;
  for (let j = 0; j < effects.length; j++) {
    const e = effects[j]!;
    value *= ((covariates[e.covariate] as number) / e.reference) ** e.exponent;
  }
  return value;
}

export function individualPk(spec: PkSpec, covariates: Row, etas: readonly number[]): PkParameters {
  const plan = pkPlan(spec);
  // Literal in PK_PARAMETERS order (cl, v, q, v2, ka).
  return { cl: parameter(plan, 0, covariates, etas), v: parameter(plan, 1, covariates, etas), q: parameter(plan, 2, covariates, etas), v2: parameter(plan, 3, covariates, etas), ka: parameter(plan, 4, covariates, etas) };
}

/** Central concentration per unit dose, including first-order absorption when `absorbed`. */
export function unitResponse(spec: PkSpec, p: PkParameters, absorbed: boolean): ExpSum {
  const base = spec.compartments === 2 ? twoCompartment(p.cl, p.v, p.q, p.v2) : oneCompartment(p.cl, p.v);
  return absorbed ? convolveFirstOrder(base, p.ka) : base;
}
