/**
 * A patient's PK parameters: typical value x covariate effects (power models) x exp(eta), with
 * eta ~ N(0, omega^2), omega = sqrt(log(1 + CV^2)) so that CV is the parameter's coefficient of
 * variation. Etas are drawn once per patient (stream "pk") and shared by every arm.
 */
import type { Row } from '../expr/compile.js';
import { PhiInv } from '../cohort/marginals.js';
import { openUniform, type Source } from '../random/stream.js';
import { PK_PARAMETERS, type PkSpec } from '../spec/model-schemas.js';
import { convolveFirstOrder, oneCompartment, twoCompartment, type ExpSum } from './exp-sum.js';

export type PkParameter = (typeof PK_PARAMETERS)[number];
export type PkParameters = Record<PkParameter, number>;

export const omegaFromCv = (cv: number): number => Math.sqrt(Math.log(1 + cv * cv));

/** Draws the etas in the fixed order cl, v, q, v2, ka (one normal score each, always). */
export function drawPkEtas(source: Source): number[] {
  return PK_PARAMETERS.map(() => PhiInv(openUniform(source)));
}

export function individualPk(spec: PkSpec, covariates: Row, etas: readonly number[]): PkParameters {
  const out = {} as PkParameters;
  PK_PARAMETERS.forEach((name, i) => {
    const p = spec[name];
    if (!p) {
      out[name] = NaN;
      return;
    }
    let value = p.value * Math.exp(omegaFromCv(p.iiv_cv ?? 0) * etas[i]!);
    for (const e of spec.covariate_effects) {
      if (e.parameter === name) value *= ((covariates[e.covariate] as number) / e.reference) ** e.exponent;
    }
    out[name] = value;
  });
  return out;
}

/** Central concentration per unit dose, including first-order absorption when `absorbed`. */
export function unitResponse(spec: PkSpec, p: PkParameters, absorbed: boolean): ExpSum {
  const base = spec.compartments === 2 ? twoCompartment(p.cl, p.v, p.q, p.v2) : oneCompartment(p.cl, p.v);
  return absorbed ? convolveFirstOrder(base, p.ka) : base;
}
