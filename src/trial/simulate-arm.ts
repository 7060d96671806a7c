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
import type { AeRuntime, ArmModel, TrialModel } from './trial-model.js';

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
    unit = unitResponse(model.pk, pk, drug.absorbed);
    const ss = { ...drug.regimen, count: Infinity };
    exposure = steadyStateExposure(unit, ss, drug.regimen.dose, pk.cl, drug.route === 'iv_bolus');
  }

  // Adverse events, treatment discontinuation, dropout, death.
  const aeRates = model.adverseEvents.map((ae) => aeDrugRate(ae, exposure, drug !== undefined));
  const adverseEvents = simulateAdverseEvents(model.adverseEvents, aeRates, draws.adverseEvents, D);
  const drop = dropoutDay(draws.dropout, model.dropout.backgroundPerYear, model.dropout.afterDiscontinuationPerYear, adverseEvents.discontinuationDay);
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
  const concentrations = visits.map((v) => (unit && given ? concentration(unit, given, v.day) : 0));

  // Biomarkers at every visit.
  const biomarkers = model.biomarkers.map((b, bi) => {
    const d = draws.biomarkers[bi]!;
    const patient = { mu: b.baseline(row), b0: b.interceptSd * d.b0, b1PerYear: b.slopeSdPerYear * d.b1 };
    const pd = b.drugEffect;
    let effectUnit: ExpSum | undefined;
    let ec50 = 0;
    if (pd && unit && given) {
      ec50 = pd.ec50 * Math.exp(omegaFromCv(pd.ec50_iiv_cv ?? 0) * d.ec50Eta);
      // Effect-compartment concentration: the PK response through a first-order delay.
      effectUnit = pd.driver === 'concentration' && pd.onset_half_life_days ? convolveFirstOrder(unit, Math.LN2 / pd.onset_half_life_days) : unit;
    }
    return visits.map((v, vi) => {
      let y = naturalCourse(b.course, patient, v.day) + b.residualSd * d.residuals[vi]!;
      if (pd && effectUnit && given) {
        if (pd.driver === 'concentration') {
          y += emaxEffect(concentration(effectUnit, given, v.day), pd.emax, ec50, pd.hill);
        } else {
          // An exposure-driven effect applies while on treatment, with its onset.
          const onTreatment = v.day <= adverseEvents.discontinuationDay;
          const full = emaxEffect(exposure[pd.driver as ExposureDriver], pd.emax, ec50, pd.hill);
          if (onTreatment) y += full * onsetFraction(v.day - given.start, pd.onset_half_life_days);
        }
      }
      return y;
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
      const lp = e.predictor(row) + e.logHr[armIndex]! + (e.exposure ? e.exposure.coef * exposure[e.exposure.driver] : 0);
      const latentDay = eventTime(draws.eventDraws[ei]!, e.baselineHazard, lp);
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
