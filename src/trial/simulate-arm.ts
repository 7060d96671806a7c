/**
 * One twin under one arm: PK exposure, adverse events (which may stop treatment), dropout,
 * the biomarker course at every visit, endpoint values and time-to-event outcomes. Returns the
 * full (counterfactual) data; what the trial observes is cut at the end of observation.
 */
import type { Row } from '../expr/compile.js';
import { naturalCourse } from '../disease/biomarker-course.js';
import { simulateAdverseEvents, type AeOutcome } from '../events/adverse-events.js';
import { dropoutDay, type EndReason } from '../events/dropout.js';
import { eventTime } from '../events/time-to-event.js';
import { emaxEffect, onsetFraction } from '../pd/emax.js';
import { concentration, dosesBefore } from '../pk/dosing.js';
import { convolveFirstOrder, type ExpSum } from '../pk/exp-sum.js';
import { NO_EXPOSURE, steadyStateExposure, type Exposure } from '../pk/exposure.js';
import { individualPk, omegaFromCv, unitResponse, type PkParameters } from '../pk/individual-pk.js';
import type { ExposureDriver } from '../spec/model-schemas.js';
import type { PatientDraws } from './patient-draws.js';
import { formulaFailure, formulaInputs, SimulationError, type SimulatedModel } from '../errors/simulation-error.js';
import { ExprEvalError } from '../expr/compile.js';
import type { AeRuntime, ArmModel, TrialModel } from './trial-model.js';
import { PK_PARAMETERS } from '../spec/model-schemas.js';

export interface TimeToEvent {
  /** The event day had nothing stopped observation (may lie beyond the study). */
  latentDay: number;
  /** Observed day: the event or the censoring day. */
  day: number;
  censored: boolean;
  censoring: '' | 'END OF STUDY' | 'DROPOUT' | 'DEATH';
}

export interface ArmOutcome {
  arm: number;
  pk?: PkParameters;
  exposure: Exposure;
  /** Concentration at each visit (trough: doses on the visit day not yet given). */
  concentrations: number[];
  /** Biomarker values per biomarker per visit, as if observed at every visit. */
  biomarkers: number[][];
  adverseEvents: AeOutcome;
  /** Day observation ends (dropout, death or study end) and why. */
  endDay: number;
  endReason: EndReason;
  /** Last visit index observed. */
  lastVisit: number;
  /** Counterfactual value of each endpoint under this arm (TTE: latent event day). */
  endpointValues: number[];
  timeToEvent: (TimeToEvent | null)[];
}

function aeDrugRate(ae: AeRuntime, exposure: Exposure, onDrug: boolean): number {
  const d = ae.drug;
  if (!d || !onDrug) return 0;
  if (d.model === 'constant') return d.per_year;
  const x = exposure[d.driver];
  if (d.model === 'emax') return emaxEffect(x, d.emax_per_year, d.ec50, d.hill);
  return d.base_per_year * Math.exp(d.slope * x);
}

/** A formula's value for the twin; an ExprEvalError (NaN part-way) becomes a SimulationError naming the formula and the inputs. */
function evaluateFormula(f: (row: Row) => number, row: Row, model: SimulatedModel, what: string, formula: string): number {
  try {
    return f(row);
  } catch (err) {
    if (err instanceof ExprEvalError) throw new SimulationError(model, what, formulaFailure(formula, row, err));
    throw err;
  }
}

const pkSummary = (pk: PkParameters): string =>
  PK_PARAMETERS.filter((k) => !Number.isNaN(pk[k]))
    .map((k) => `${k} = ${pk[k]}`)
    .join(', ');

/** Throws SimulationError when a PK parameter of the twin is not a finite positive number. */
function checkPk(pk: PkParameters): void {
  for (const k of PK_PARAMETERS) {
    const v = pk[k];
    // NaN marks a parameter the model does not have.
    if (!Number.isNaN(v) && !(Number.isFinite(v) && v > 0)) throw new SimulationError('pk', `parameter ${k}`, `the twin's value is ${v}: typical value x covariate effects x exp(eta) is not a finite positive number`);
  }
}

export function simulateArm(model: TrialModel, armIndex: number, row: Row, draws: PatientDraws): ArmOutcome {
  const arm: ArmModel = model.arms[armIndex]!;
  const drug = arm.drug;
  const visits = model.visits;
  const D = model.durationDays;

  // PK and planned steady-state exposure.
  let pk: PkParameters | undefined;
  let unit: ExpSum | undefined;
  let exposure = NO_EXPOSURE;
  if (drug && model.pk) {
    pk = individualPk(model.pk, row, draws.pkEtas);
    checkPk(pk);
    unit = unitResponse(model.pk, pk, drug.absorbed);
    const ss = { ...drug.regimen, count: Infinity };
    exposure = steadyStateExposure(unit, ss, drug.regimen.dose, pk.cl, drug.route === 'iv_bolus');
    for (const k of ['cmax_ss', 'cmin_ss', 'cavg_ss', 'auc_ss'] as const) {
      if (!Number.isFinite(exposure[k])) throw new SimulationError('pk', undefined, `steady-state ${k} is ${exposure[k]} (the twin's parameters: ${pkSummary(pk)})`);
    }
  }

  // Adverse events, treatment discontinuation, dropout, death.
  const aeRates = model.adverseEvents.map((ae) => {
    const rate = aeDrugRate(ae, exposure, drug !== undefined);
    if (!(Number.isFinite(rate) && rate >= 0)) throw new SimulationError('adverse event', `drug rate of ${ae.term}`, `the twin's rate is ${rate} per year`);
    return rate;
  });
  const adverseEvents = simulateAdverseEvents(model.adverseEvents, aeRates, draws.adverseEvents, D);
  for (const ev of adverseEvents.events) if (!Number.isFinite(ev.day)) throw new SimulationError('adverse event', ev.term, `onset day is ${ev.day}`);
  const drop = dropoutDay(draws.dropout, model.dropout.backgroundPerYear, model.dropout.afterDiscontinuationPerYear, adverseEvents.discontinuationDay);
  if (Number.isNaN(drop.day)) throw new SimulationError('dropout', undefined, 'the dropout day is NaN');
  let endDay = D;
  let endReason: EndReason = 'COMPLETED';
  if (adverseEvents.deathDay < Math.min(drop.day, D)) {
    endDay = adverseEvents.deathDay;
    endReason = 'DEATH';
  } else if (drop.day < D) {
    endDay = drop.day;
    endReason = drop.reason;
  }

  // Concentrations with the doses actually given (none after treatment stopped).
  const given = drug ? { ...drug.regimen, count: dosesBefore(drug.regimen, adverseEvents.discontinuationDay) } : undefined;
  const concentrations = visits.map((v) => {
    const c = unit && given ? concentration(unit, given, v.day) : 0;
    if (!Number.isFinite(c)) throw new SimulationError('pk', undefined, `the concentration at ${v.name} (day ${v.day}) is ${c} (the twin's parameters: ${pk ? pkSummary(pk) : ''})`);
    return c;
  });

  // Biomarkers at every visit.
  const biomarkers = model.biomarkers.map((b, bi) => {
    const d = draws.biomarkers[bi]!;
    const mu = evaluateFormula(b.baseline, row, 'biomarker', `baseline formula of ${b.id}`, b.baselineFormula);
    if (!Number.isFinite(mu)) throw new SimulationError('biomarker', `baseline formula of ${b.id}`, `"${b.baselineFormula}" is ${mu} for this twin (${formulaInputs(b.baselineFormula, row) || 'no covariates'})`);
    const patient = { mu, b0: b.interceptSd * d.b0, b1PerYear: b.slopeSdPerYear * d.b1 };
    const pd = b.drugEffect;
    let effectUnit: ExpSum | undefined;
    let ec50 = 0;
    if (pd && unit && given) {
      ec50 = pd.ec50 * Math.exp(omegaFromCv(pd.ec50_iiv_cv ?? 0) * d.ec50Eta);
      // Effect-compartment concentration: the PK response through a first-order delay.
      effectUnit = pd.driver === 'concentration' && pd.onset_half_life_days ? convolveFirstOrder(unit, Math.LN2 / pd.onset_half_life_days) : unit;
    }
    return visits.map((v, vi) => {
      const y = naturalCourse(b.course, patient, v.day) + b.residualSd * d.residuals[vi]!;
      if (!Number.isFinite(y)) throw new SimulationError('biomarker', b.id, `the value at ${v.name} (day ${v.day}) is ${y} without drug effect`);
      let effect = 0;
      if (pd && effectUnit && given) {
        if (pd.driver === 'concentration') {
          effect = emaxEffect(concentration(effectUnit, given, v.day), pd.emax, ec50, pd.hill);
        } else {
          // An exposure-driven effect applies while on treatment, with its onset.
          const onTreatment = v.day <= adverseEvents.discontinuationDay;
          const full = emaxEffect(exposure[pd.driver as ExposureDriver], pd.emax, ec50, pd.hill);
          if (onTreatment) effect = full * onsetFraction(v.day - given.start, pd.onset_half_life_days);
        }
        if (!Number.isFinite(effect + y)) throw new SimulationError('pd', `drug effect on ${b.id}`, `the effect at ${v.name} (day ${v.day}) is ${effect} (the twin's ec50 = ${ec50})`);
      }
      return y + effect;
    });
  });

  let lastVisit = -1;
  visits.forEach((v, i) => {
    if (v.day <= endDay) lastVisit = i;
  });

  // Endpoints.
  const timeToEvent: (TimeToEvent | null)[] = [];
  const endpointValues = model.endpoints.map((e, ei) => {
    if (e.kind === 'time_to_event') {
      const x = evaluateFormula(e.predictor, row, 'endpoint', `covariates formula of ${e.id}`, e.predictorFormula);
      if (!Number.isFinite(x)) throw new SimulationError('endpoint', `covariates formula of ${e.id}`, `"${e.predictorFormula}" is ${x} for this twin (${formulaInputs(e.predictorFormula, row) || 'no covariates'})`);
      const lp = x + e.logHr[armIndex]! + (e.exposure ? e.exposure.coef * exposure[e.exposure.driver] : 0);
      const lpText = () => `linear predictor ${lp}: covariates ${x}, log hazard ratio ${e.logHr[armIndex]}${e.exposure ? `, exposure ${e.exposure.coef} x ${e.exposure.driver} ${exposure[e.exposure.driver]}` : ''}`;
      // exp(lp) beyond double range: an infinite hazard would put every event at day 0, a zero hazard at day Infinity.
      const hazardRatio = Math.exp(lp);
      if (!(Number.isFinite(hazardRatio) && hazardRatio > 0)) throw new SimulationError('endpoint', e.id, `the hazard multiplier exp(linear predictor) is ${hazardRatio} (${lpText()})`);
      const latentDay = eventTime(draws.eventDraws[ei]!, e.baselineHazard, lp);
      if (!Number.isFinite(latentDay)) throw new SimulationError('endpoint', e.id, `the event time is ${latentDay} days (${lpText()})`);
      const censorDay = endDay;
      const censored = latentDay > censorDay;
      timeToEvent.push({
        latentDay,
        day: censored ? censorDay : latentDay,
        censored,
        censoring: !censored ? '' : endReason === 'COMPLETED' ? 'END OF STUDY' : endReason === 'DEATH' ? 'DEATH' : 'DROPOUT',
      });
      return latentDay;
    }
    timeToEvent.push(null);
    const series = biomarkers[e.biomarker]!;
    const x = e.measure === 'change' ? series[e.visit]! - series[0]! : series[e.visit]!;
    if (e.kind === 'continuous') return x;
    return (e.below !== undefined ? x < e.below : x > e.above!) ? 1 : 0;
  });

  return { arm: armIndex, pk, exposure, concentrations, biomarkers, adverseEvents, endDay, endReason, lastVisit, endpointValues, timeToEvent };
}
