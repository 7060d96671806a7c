/**
 * Generates one digital twin from a compiled cohort. A twin depends only on
 * (seed, replicate, patient index): twin i is the same in a cohort of 10 or of 1,000,000.
 *
 * Draw order within a twin (part of the reproducibility contract):
 *  1. stream "empirical": the bootstrap row, then one normal score per smoothed numeric column;
 *  2. stream "covariates": one normal score per continuous covariate (declared order), mixed by
 *     the copula's Cholesky factor, then uniforms for discrete covariates in declared order;
 *  3. derived covariates, in dependency order (no randomness).
 */
import { formulaFailure, formulaInputs, SimulationError } from '../errors/simulation-error.js';
import { ExprEvalError, type Value } from '../expr/compile.js';
import { PatientStreams } from '../random/patient-streams.js';
import { openUniform, type Source } from '../random/stream.js';
import { PhiInv } from './marginals.js';
import { roundTo } from './compile-cohort.js';
import type { CohortModel, Row } from './cohort-model.js';

export interface TwinKey {
  seed: number;
  replicate: number;
  patient: number;
}

export function generateTwin(model: CohortModel, key: TwinKey): Row {
  // No prototype: a covariate named like an Object method ("constructor") is only ever the own value.
  const row: Row = Object.create(null) as Row;
  // Each stream is drawn from completely before the next is opened, so one generator serves both.
  const streams = new PatientStreams(key.seed, key.replicate, key.patient);
  if (model.empirical) sampleEmpirical(model, streams.use('empirical'), row);

  const src = streams.use('covariates');
  const e = new Float64Array(model.continuousCount);
  for (let i = 0; i < e.length; i++) e[i] = PhiInv(openUniform(src));
  const z = model.copula ? correlate(e, model.copula) : e;

  for (const step of model.drawSteps) {
    if (step.kind === 'continuous') row[step.name] = roundTo(step.transform(z[step.zIndex]!, row), step.round);
    else row[step.name] = step.draw(src, row);
  }
  for (const d of model.derivedSteps) {
    let v: Value;
    try {
      v = d.evaluate(row);
    } catch (err) {
      if (err instanceof ExprEvalError) throw new SimulationError('cohort', `derived covariate ${d.name}`, formulaFailure(d.formula, row, err), { replicate: key.replicate, usubjid: String(key.patient + 1) });
      throw err;
    }
    // A formula such as log(age - 40) is NaN for some twins: an error naming it, never a NaN covariate.
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new SimulationError('cohort', `derived covariate ${d.name}`, `"${d.formula}" is ${v} for this twin (${formulaInputs(d.formula, row) || 'no covariates'})`, { replicate: key.replicate, usubjid: String(key.patient + 1) });
    }
    row[d.name] = typeof v === 'number' ? roundTo(v, d.round) : v;
  }
  return row;
}

function correlate(e: Float64Array, copula: NonNullable<CohortModel['copula']>): Float64Array {
  const z = Float64Array.from(e);
  const { indices, lower } = copula;
  for (let i = 0; i < indices.length; i++) {
    let s = 0;
    const li = lower[i]!;
    for (let j = 0; j <= i; j++) s += li[j]! * e[indices[j]!]!;
    z[indices[i]!] = s;
  }
  return z;
}

function sampleEmpirical(model: CohortModel, src: Source, row: Row): void {
  const table = model.empirical!;
  const r = Math.floor(src() * table.rows);
  for (const col of table.columns) {
    if (col.type === 'categorical') {
      row[col.name] = col.strings![r]!;
      continue;
    }
    let x = col.numbers![r]!;
    if (col.smoothingSd > 0) {
      x += col.smoothingSd * PhiInv(openUniform(src));
      x = x < col.lower ? col.lower : x > col.upper ? col.upper : x;
    }
    row[col.name] = roundTo(x, col.round);
  }
}
