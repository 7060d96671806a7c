/** The compiled protocol: what simulating one twin under one arm needs, as plain data and closures. */
import type { InterimModel } from './compile-interim.js';
import type { Row } from '../expr/compile.js';
import type { AeTermModel } from '../events/adverse-events.js';
import type { BaselineHazard } from '../events/time-to-event.js';
import type { BiomarkerModel } from '../disease/biomarker-course.js';
import type { Regimen } from '../pk/dosing.js';
import type { AccrualModel } from './accrual.js';
import type { DrugEffectSpec, ExposureDriver, PkSpec } from '../spec/model-schemas.js';
import type { ModelledIces, ResolvedEstimand } from '../spec/estimand.js';

export interface Visit {
  /** "Baseline", "Week 26" or "Day 10". */
  name: string;
  day: number;
  /** Analysis visit number: the study week (day / 7), or the day when not a whole week. */
  avisitn: number;
}

export interface DrugRegimen {
  dose: number;
  unit: string;
  route: 'iv_bolus' | 'iv_infusion' | 'oral' | 'subcutaneous';
  /** Regimen of the bioavailable dose, doses within the study (count is finite). */
  regimen: Regimen;
  /** Absorbed through a first-order depot (oral, subcutaneous). */
  absorbed: boolean;
}

export interface ArmModel {
  id: string;
  label: string;
  role: 'control' | 'active';
  allocation: number;
  drug?: DrugRegimen;
}

export interface BiomarkerRuntime {
  id: string;
  /** PARAMCD of its ADEFF rows (unique among the biomarkers). */
  paramcd: string;
  label: string;
  unit?: string;
  baseline: (row: Row) => number;
  /** The baseline formula's text (named when it is not finite for a twin). */
  baselineFormula: string;
  course: BiomarkerModel;
  drugEffect?: DrugEffectSpec & { hill: number };
  interceptSd: number;
  slopeSdPerYear: number;
  residualSd: number;
}

export type EndpointRuntime =
  | { id: string; label: string; kind: 'continuous'; biomarker: number; visit: number; measure: 'value' | 'change' }
  | { id: string; label: string; kind: 'responder'; biomarker: number; visit: number; measure: 'value' | 'change'; below?: number; above?: number }
  | {
      id: string;
      label: string;
      kind: 'time_to_event';
      /** PARAMCD of its ADTTE rows (unique among the time-to-event endpoints). */
      paramcd: string;
      event: string;
      baselineHazard: BaselineHazard;
      predictor: (row: Row) => number;
      /** The covariates formula's text (named when it is not finite for a twin); empty when none. */
      predictorFormula: string;
      /** log hazard ratio per arm index */
      logHr: number[];
      exposure?: { driver: ExposureDriver; coef: number };
    };

export interface AeRuntime extends AeTermModel {
  drug?:
    | { model: 'emax'; driver: ExposureDriver; emax_per_year: number; ec50: number; hill: number }
    | { model: 'log_linear'; driver: ExposureDriver; base_per_year: number; slope: number }
    | { model: 'constant'; per_year: number };
}

export interface ExternalControl {
  mode: 'synthetic' | 'hybrid';
  /** Number of external control twins per trial. */
  n: number;
  /** Cohort spec file of the external twins. */
  cohortFile: string;
}

export interface TrialModel {
  name: string;
  /** External (synthetic or hybrid) control twins; undefined for a concurrent control arm. */
  externalControl?: ExternalControl;
  durationDays: number;
  visits: Visit[];
  arms: ArmModel[];
  blockSize: number;
  stratifyBy: string[];
  pk?: PkSpec;
  biomarkers: BiomarkerRuntime[];
  endpoints: EndpointRuntime[];
  adverseEvents: AeRuntime[];
  dropout: { backgroundPerYear: number; afterDiscontinuationPerYear: number };
  /** Calendar time (accrual and study end); undefined: every patient starts on day 0 and is followed to the end. */
  calendar?: CalendarModel;
  /** Interim looks at the primary analysis (README "Interim analyses"); undefined: none. */
  interim?: InterimModel;
  /** Intercurrent events and the estimands the analyses declare (README "Intercurrent events and estimands"); undefined: none. */
  intercurrent?: IntercurrentModel;
}

/** The protocol's intercurrent events, compiled. */
export interface IntercurrentModel {
  /** Discontinuation for other reasons than AEs: competing exponential hazards (per year). */
  reasons: { reason: string; perYear: number }[];
  /** Half-life of an exposure-driven effect after discontinuation (days); undefined: the effect stops at once. */
  waningHalfLife?: number;
  /** Probability that a discontinued patient keeps attending visits. */
  retrieved: number;
  rescue?: { biomarker: number; above?: number; below?: number; fromVisit: number; effect: number; onsetHalfLife?: number };
  deathPerYear: number;
  modelled: ModelledIces;
  /** The distinct estimands of the analysis plan (by label); outcomes hold each endpoint's value under each. */
  estimands: ResolvedEstimand[];
  /** Per estimand: the ids of the endpoints analysed under it (their columns in counterfactual.csv), in the protocol's order. */
  estimandEndpoints: string[][];
  /** Which counterfactual worlds the estimands need besides the actual one. */
  needsNoDiscontinuation: boolean;
  needsNoRescue: boolean;
}

/** When the study ends in calendar time (README "Accrual and calendar time"). */
export type StudyEndRule =
  | { kind: 'last_patient_last_visit' }
  | { kind: 'calendar_day'; day: number }
  /** The calendar day of the events-th observed event of endpoint `endpoint` (an index into endpoints). */
  | { kind: 'events'; events: number; endpoint: number };

/** Calendar time: patients enter over the accrual period, and the data are cut at the study end. */
export interface CalendarModel {
  accrual: AccrualModel;
  studyEnd: StudyEndRule;
  /** The endpoint whose events are counted at the cut-off (the study end's, else the first time-to-event endpoint; -1: none). */
  eventsEndpoint: number;
}
