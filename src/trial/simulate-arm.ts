/**
 * One twin under one arm: PK exposure, adverse events (which may stop treatment), dropout,
 * the biomarker course at every visit, endpoint values and time-to-event outcomes. Returns the
 * full (counterfactual) data; what the trial observes is cut at the end of observation.
 */
import type { Row } from '../expr/compile.js';
import { courseAt, courseAtVisits, type CourseAtVisits } from '../disease/biomarker-course.js';
import { simulateAdverseEvents, type AeOutcome } from '../events/adverse-events.js';
import { dropoutDay, type EndReason } from '../events/dropout.js';
import { eventTime } from '../events/time-to-event.js';
import { backgroundDeathDay, otherDiscontinuation, rescueEffect, rescueVisit, waningFraction } from '../events/intercurrent.js';
import { estimandValues } from './estimand-values.js';
import { emaxEffect, onsetFraction } from '../pd/emax.js';
import { dosesBefore, type Regimen } from '../pk/dosing.js';
import { ConcentrationMemo } from '../pk/concentration-memo.js';
import { convolveFirstOrder, type ExpSum } from '../pk/exp-sum.js';
import { NO_EXPOSURE, steadyStateExposure, type Exposure } from '../pk/exposure.js';
import { individualPk, omegaFromCv, unitResponse, type PkParameters } from '../pk/individual-pk.js';
import type { ExposureDriver } from '../spec/model-schemas.js';
import type { PatientDraws } from './patient-draws.js';
import { formulaFailure, formulaInputs, SimulationError, type SimulatedModel } from '../errors/simulation-error.js';
import { ExprEvalError } from '../expr/compile.js';
import type { AeRuntime, ArmModel, EndpointRuntime, TrialModel } from './trial-model.js';
import { PK_PARAMETERS } from '../spec/pk-parameters.js';

export interface TimeToEvent {
  /** The event day had nothing stopped observation (may lie beyond the study). */
  latentDay: number;
  /** Observed day: the event or the censoring day. */
  day: number;
  censored: boolean;
  censoring: '' | 'END OF STUDY' | 'DROPOUT' | 'DEATH' | 'DATA CUT-OFF';
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
  /** Day observation ends (dropout, death or study end) and why; ONGOING: still in follow-up at a calendar cut-off (calendar-cutoff.ts). */
  endDay: number;
  endReason: EndReason | 'ONGOING';
  /** Last visit index observed. */
  lastVisit: number;
  /** Counterfactual value of each endpoint under this arm (TTE: latent event day). */
  endpointValues: number[];
  timeToEvent: (TimeToEvent | null)[];
  /** Intercurrent events under this arm (latent: observed only up to endDay); present with an intercurrent_events section. */
  ice?: IceOutcome;
  /** Per estimand of model.intercurrent.estimands: each endpoint's counterfactual value under it (README "Intercurrent events and estimands"). */
  estimandValues?: number[][];
}

export interface IceOutcome {
  /** Day treatment stopped (an AE or another reason) before death and the end of the study; Infinity: never. */
  discontinuationDay: number;
  /** ADVERSE EVENT or the reason's name; empty when treatment was not stopped. */
  discontinuationReason: string;
  /** Whether the patient keeps attending visits after discontinuation (drawn for every twin). */
  retrieved: boolean;
  /** Day of the rescue visit (Infinity: no rescue). */
  rescueDay: number;
  /** Day of death (a grade 5 AE or the background hazard) within the study; Infinity: none. */
  deathDay: number;
}

/** AE drug models as numbers (compared at every twin-arm; the spec's strings need not be interned). */
const AE_NONE = 0;
const AE_CONSTANT = 1;
const AE_EMAX = 2;
const AE_LOG_LINEAR = 3;

function aeModelKind(ae: AeRuntime): number {
  const d = ae.drug;
  if (!d) return AE_NONE;
  return d.model === 'constant' ? AE_CONSTANT : d.model === 'emax' ? AE_EMAX : AE_LOG_LINEAR;
}

function aeDrugRate(ae: AeRuntime, kind: number, exposure: Exposure, onDrug: boolean): number {
  const d = ae.drug;
  if (!d || !onDrug) return 0;
  if (kind === AE_CONSTANT) return (d as { per_year: number }).per_year;
  const x = exposure[(d as { driver: ExposureDriver }).driver];
  if (kind === AE_EMAX) {
    const e = d as { emax_per_year: number; ec50: number; hill: number };
    return emaxEffect(x, e.emax_per_year, e.ec50, e.hill);
  }
  const l = d as { base_per_year: number; slope: number };
  return l.base_per_year * Math.exp(l.slope * x);
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

/** Terms of a unit response at most (two compartments with first-order absorption). */
const MAX_UNIT_TERMS = 3;

/** What simulating any twin needs from the model alone: computed once per TrialModel. */
interface ModelPlan {
  days: number[];
  /** Per arm: the regimen dosed forever (for steady-state exposure); undefined without a drug. */
  steady: (Regimen | undefined)[];
  courses: CourseAtVisits[];
  /** Per biomarker: a drug effect driven by the concentration (not by a steady-state exposure). */
  byConcentration: boolean[];
  /** Per biomarker: rate constant of the effect compartment of a concentration-driven effect (0: none). */
  effectRate: number[];
  /** Per arm: dosed as an IV bolus. */
  isBolus: boolean[];
  /** Per AE term: its drug model (AE_NONE ...). */
  aeKind: number[];
  /** Per endpoint: 0 time to event, 1 continuous, 2 responder; and whether it is a change from baseline. */
  endpointKind: number[];
  isChange: boolean[];
  /** Per biomarker: omega of the EC50's between-twin variability (0 without). */
  ec50Omega: number[];
  /** Per arm and biomarker: onset fraction of an exposure-driven effect at each visit (null otherwise). */
  exposureOnset: (Float64Array | null)[][];
  /** Memo slots of a unit response's terms: term i uses slot i. */
  unitSlots: Int32Array;
  /** Per biomarker and unit length L (index L): slots of its effect-compartment response (L + 1 terms). */
  effectSlots: Int32Array[][];
  memo: ConcentrationMemo;
  /** Hazards (per year) of intercurrent_events.discontinuation's reasons. */
  reasonRates: number[];
}

const plans = new WeakMap<TrialModel, ModelPlan>();

/** The day of the AE that led to discontinuation (Infinity: none; a fatal AE alone is not one). */
function aeDiscontinuationDay(ae: AeOutcome): number {
  for (const ev of ae.events) if (ev.discontinued) return ev.day;
  return Infinity;
}

/** No discontinuation for another reason (a protocol without intercurrent_events). */
const NO_OTHER = Object.freeze({ day: Infinity, reason: -1 });

function planFor(model: TrialModel): ModelPlan {
  let plan = plans.get(model);
  if (plan) return plan;
  const days = model.visits.map((v) => v.day);
  const nb = model.biomarkers.length;
  plan = {
    days,
    steady: model.arms.map((a) => (a.drug ? { ...a.drug.regimen, count: Infinity } : undefined)),
    courses: model.biomarkers.map((b) => courseAtVisits(b.course, days)),
    byConcentration: model.biomarkers.map((b) => b.drugEffect?.driver === 'concentration'),
    effectRate: model.biomarkers.map((b) => (b.drugEffect?.driver === 'concentration' && b.drugEffect.onset_half_life_days ? Math.LN2 / b.drugEffect.onset_half_life_days : 0)),
    isBolus: model.arms.map((a) => a.drug?.route === 'iv_bolus'),
    aeKind: model.adverseEvents.map(aeModelKind),
    endpointKind: model.endpoints.map((e) => (e.kind === 'time_to_event' ? 0 : e.kind === 'continuous' ? 1 : 2)),
    isChange: model.endpoints.map((e) => e.kind !== 'time_to_event' && e.measure === 'change'),
    ec50Omega: model.biomarkers.map((b) => omegaFromCv(b.drugEffect?.ec50_iiv_cv ?? 0)),
    exposureOnset: model.arms.map((a) =>
      model.biomarkers.map((b) => {
        const pd = b.drugEffect;
        if (!a.drug || !pd || pd.driver === 'concentration') return null;
        return Float64Array.from(days, (day) => onsetFraction(day - a.drug!.regimen.start, pd.onset_half_life_days));
      }),
    ),
    unitSlots: Int32Array.from({ length: MAX_UNIT_TERMS }, (_, i) => i),
    effectSlots: model.biomarkers.map((_, b) => Array.from({ length: MAX_UNIT_TERMS + 1 }, (_, L) => Int32Array.from({ length: L + 1 }, (_, i) => (i < L ? i : MAX_UNIT_TERMS + b)))),
    memo: new ConcentrationMemo(days, MAX_UNIT_TERMS + nb, 1 + nb),
    reasonRates: model.intercurrent?.reasons.map((r) => r.perYear) ?? [],
  };
  plans.set(model, plan);
  return plan;
}

/**
 * The parts of one twin's simulation that do not depend on the arm (PK parameters and unit
 * responses, biomarker baselines, EC50s, courses without drug, time-to-event predictors),
 * computed when an arm first needs them and reused by the twin's other arms. Computing them
 * lazily keeps the order in which a non-finite value is reported. begin() starts a new twin.
 */
export class TwinShared {
  row: Row | undefined;
  draws: PatientDraws | undefined;
  readonly plan: ModelPlan;
  pkDone = false;
  pk: PkParameters | undefined;
  /** Unit response without / with first-order absorption. */
  readonly units: (ExpSum | undefined)[] = [undefined, undefined];
  readonly mu: Float64Array;
  readonly muDone: Uint8Array;
  /** Per biomarker: the value without drug effect at each visit (course plus residual). */
  readonly ys: Float64Array[];
  readonly ysDone: Uint8Array;
  readonly ec50: Float64Array;
  readonly ec50Done: Uint8Array;
  /** Per biomarker and absorption (index 2b + absorbed): the response that drives its effect. */
  readonly effectUnits: (ExpSum | undefined)[];
  readonly predictor: Float64Array;
  readonly predictorDone: Uint8Array;

  constructor(readonly model: TrialModel) {
    this.plan = planFor(model);
    const nb = model.biomarkers.length;
    const ne = model.endpoints.length;
    this.mu = new Float64Array(nb);
    this.muDone = new Uint8Array(nb);
    this.ys = model.biomarkers.map(() => new Float64Array(model.visits.length));
    this.ysDone = new Uint8Array(nb);
    this.ec50 = new Float64Array(nb);
    this.ec50Done = new Uint8Array(nb);
    this.effectUnits = new Array<ExpSum | undefined>(2 * nb).fill(undefined);
    this.predictor = new Float64Array(ne);
    this.predictorDone = new Uint8Array(ne);
  }

  begin(row: Row, draws: PatientDraws): this {
    this.row = row;
    this.draws = draws;
    this.pkDone = false;
    this.pk = undefined;
    this.units[0] = this.units[1] = undefined;
    this.muDone.fill(0);
    this.ysDone.fill(0);
    this.ec50Done.fill(0);
    this.effectUnits.fill(undefined);
    this.predictorDone.fill(0);
    return this;
  }
}

/** Per model: the state used when the caller passes none (begin() makes it as good as new). */
const scratch = new WeakMap<TrialModel, TwinShared>();

function ownScratch(model: TrialModel): TwinShared {
  let s = scratch.get(model);
  if (!s) {
    s = new TwinShared(model);
    scratch.set(model, s);
  }
  return s;
}

const EXPOSURE_KEYS = ['cmax_ss', 'cmin_ss', 'cavg_ss', 'auc_ss'] as const;

function censoringOf(endReason: EndReason): TimeToEvent['censoring'] {
  return endReason === 'COMPLETED' ? 'END OF STUDY' : endReason === 'DEATH' ? 'DEATH' : 'DROPOUT';
}

type TteEndpoint = Extract<EndpointRuntime, { kind: 'time_to_event' }>;

function lpText(e: TteEndpoint, armIndex: number, lp: number, x: number, exposure: Exposure): string {
  return `linear predictor ${lp}: covariates ${x}, log hazard ratio ${e.logHr[armIndex]}${e.exposure ? `, exposure ${e.exposure.coef} x ${e.exposure.driver} ${exposure[e.exposure.driver]}` : ''}`;
}

/**
 * One twin under one arm. `shared` carries what the twin's arms have in common; simulateTrial
 * passes one per twin (begin(row, draws)), other callers may omit it.
 */
export function simulateArm(model: TrialModel, armIndex: number, row: Row, draws: PatientDraws, shared?: TwinShared): ArmOutcome {
  const tw = shared ?? ownScratch(model).begin(row, draws);
  if (tw.model !== model || tw.row !== row || tw.draws !== draws) throw new Error('simulateArm: the shared twin state belongs to another twin');
  const plan = tw.plan;
  const arm: ArmModel = model.arms[armIndex]!;
  const drug = arm.drug;
  const visits = model.visits;
  const days = plan.days;
  const nv = days.length;
  const D = model.durationDays;

  // PK and planned steady-state exposure.
  let pk: PkParameters | undefined;
  let unit: ExpSum | undefined;
  let exposure = NO_EXPOSURE;
  if (drug && model.pk) {
    if (!tw.pkDone) {
      const p = individualPk(model.pk, row, draws.pkEtas);
      checkPk(p);
      tw.pk = p;
      tw.pkDone = true;
    }
    pk = tw.pk!;
    const ui = drug.absorbed ? 1 : 0;
    unit = tw.units[ui] ??= unitResponse(model.pk, pk, drug.absorbed);
    exposure = steadyStateExposure(unit, plan.steady[armIndex]!, drug.regimen.dose, pk.cl, plan.isBolus[armIndex]!);
    for (const k of EXPOSURE_KEYS) {
      if (!Number.isFinite(exposure[k])) throw new SimulationError('pk', undefined, `steady-state ${k} is ${exposure[k]} (the twin's parameters: ${pkSummary(pk)})`);
    }
  }

  // Adverse events, treatment discontinuation, dropout, death.
  const aes = model.adverseEvents;
  // Arrays at their final length (push would reserve room for 17 elements or more).
  const aeRates = new Array<number>(aes.length);
  for (let k = 0; k < aes.length; k++) {
    const ae = aes[k]!;
    const rate = aeDrugRate(ae, plan.aeKind[k]!, exposure, drug !== undefined);
    if (!(Number.isFinite(rate) && rate >= 0)) throw new SimulationError('adverse event', `drug rate of ${ae.term}`, `the twin's rate is ${rate} per year`);
    aeRates[k] = rate;
  }
  // Intercurrent events: discontinuation for other reasons stops treatment (and the drug's AE hazard) too.
  const icm = model.intercurrent;
  const iceDraws = draws.intercurrent;
  const other = icm && iceDraws ? otherDiscontinuation(iceDraws, plan.reasonRates) : NO_OTHER;
  const adverseEvents = simulateAdverseEvents(aes, aeRates, draws.adverseEvents, D, other.day);
  for (const ev of adverseEvents.events) if (!Number.isFinite(ev.day)) throw new SimulationError('adverse event', ev.term, `onset day is ${ev.day}`);
  const drop = dropoutDay(draws.dropout, model.dropout.backgroundPerYear, model.dropout.afterDiscontinuationPerYear, adverseEvents.discontinuationDay);
  if (Number.isNaN(drop.day)) throw new SimulationError('dropout', undefined, 'the dropout day is NaN');
  // Treatment stops at the first AE discontinuation or other reason (the former alone without intercurrent_events).
  // Without intercurrent_events a fatal AE stops dosing too; with them the latent course after a death is the one had the
  // patient lived (dosing goes on until a discontinuation), which a hypothetical strategy for death reports.
  const aeStop = icm ? aeDiscontinuationDay(adverseEvents) : adverseEvents.discontinuationDay;
  const stopDay = aeStop < other.day ? aeStop : other.day;
  let deathDay = adverseEvents.deathDay;
  // A patient who is not retrieved leaves the study when treatment stops.
  let leaveDay = Infinity;
  if (icm && iceDraws) {
    deathDay = Math.min(deathDay, backgroundDeathDay(iceDraws, icm.deathPerYear));
    if (!(iceDraws.uRetrieved < icm.retrieved)) leaveDay = stopDay;
  }
  let endDay = D;
  let endReason: EndReason = 'COMPLETED';
  if (deathDay < Math.min(drop.day, D) && deathDay <= leaveDay) {
    endDay = deathDay;
    endReason = 'DEATH';
  } else if (leaveDay < Math.min(drop.day, D)) {
    endDay = leaveDay;
    endReason = stopDay === aeStop ? 'ADVERSE EVENT' : icm!.reasons[other.reason]!.reason;
  } else if (drop.day < D) {
    endDay = drop.day;
    endReason = drop.reason;
  }

  // Concentrations with the doses actually given (none after treatment stopped).
  const reg = drug?.regimen;
  const givenCount = reg ? dosesBefore(reg, stopDay) : 0;
  const memo = plan.memo;
  // Lane 0: the central concentration; lane 1 + b: biomarker b's effect compartment.
  const withPk = unit !== undefined && reg !== undefined;
  if (unit && reg) memo.prepare(0, unit, plan.unitSlots, reg, givenCount);
  const dose = reg ? reg.dose : 0;
  const concentrations = new Array<number>(nv);
  for (let vi = 0; vi < nv; vi++) {
    const c = withPk ? memo.value(0, dose, vi) : 0;
    if (!Number.isFinite(c)) throw new SimulationError('pk', undefined, `the concentration at ${visits[vi]!.name} (day ${days[vi]}) is ${c} (the twin's parameters: ${pk ? pkSummary(pk) : ''})`);
    concentrations[vi] = c;
  }

  // Biomarkers at every visit; with an estimand that needs it, also in the world where treatment never stopped.
  const biomarkers = new Array<number[]>(model.biomarkers.length);
  const noStop = icm !== undefined && icm.needsNoDiscontinuation && stopDay < D ? new Array<number[]>(model.biomarkers.length) : undefined;
  const waning = icm?.waningHalfLife;
  for (let bi = 0; bi < model.biomarkers.length; bi++) {
    const b = model.biomarkers[bi]!;
    const d = draws.biomarkers[bi]!;
    if (!tw.muDone[bi]) {
      const mu = evaluateFormula(b.baseline, row, 'biomarker', `baseline formula of ${b.id}`, b.baselineFormula);
      if (!Number.isFinite(mu)) throw new SimulationError('biomarker', `baseline formula of ${b.id}`, `"${b.baselineFormula}" is ${mu} for this twin (${formulaInputs(b.baselineFormula, row) || 'no covariates'})`);
      tw.mu[bi] = mu;
      tw.muDone[bi] = 1;
    }
    const mu = tw.mu[bi]!;
    const b0 = b.interceptSd * d.b0;
    const b1PerYear = b.slopeSdPerYear * d.b1;
    const pd = b.drugEffect;
    let effectUnit: ExpSum | undefined;
    let lane = 0;
    let ec50 = 0;
    if (pd && unit && reg) {
      if (!tw.ec50Done[bi]) {
        tw.ec50[bi] = pd.ec50 * Math.exp(plan.ec50Omega[bi]! * d.ec50Eta);
        tw.ec50Done[bi] = 1;
      }
      ec50 = tw.ec50[bi]!;
      // Effect-compartment concentration: the PK response through a first-order delay.
      const ke0 = plan.effectRate[bi]!;
      if (ke0 > 0) {
        const ei = 2 * bi + (drug!.absorbed ? 1 : 0);
        effectUnit = tw.effectUnits[ei] ??= convolveFirstOrder(unit, ke0);
        lane = 1 + bi;
        memo.prepare(lane, effectUnit, plan.effectSlots[bi]![unit.rate.length]!, reg, givenCount);
      } else effectUnit = unit;
    }
    const course = plan.courses[bi]!;
    const ys = tw.ys[bi]!;
    const fresh = !tw.ysDone[bi];
    // An exposure-driven effect: its full size (per arm) and its onset at each visit.
    const onset = plan.exposureOnset[armIndex]![bi];
    const full = pd && effectUnit && onset ? emaxEffect(exposure[pd.driver as ExposureDriver], pd.emax, ec50, pd.hill) : 0;
    // Decided once per biomarker, not at every visit.
    const applies = pd !== undefined && effectUnit !== undefined && reg !== undefined;
    const byConcentration = plan.byConcentration[bi]!;
    const emax = pd ? pd.emax : 0;
    const hill = pd ? pd.hill : 1;
    // The off-treatment course of an exposure-driven effect: from its size at discontinuation, halving every waning half-life.
    const atStop = waning !== undefined && applies && !byConcentration && stopDay < Infinity ? full * onsetFraction(stopDay - reg!.start, pd!.onset_half_life_days) : 0;
    const series = new Array<number>(nv);
    for (let vi = 0; vi < nv; vi++) {
      let y: number;
      if (fresh) {
        y = courseAt(course, mu, b0, b1PerYear, vi) + b.residualSd * d.residuals[vi]!;
        if (!Number.isFinite(y)) throw new SimulationError('biomarker', b.id, `the value at ${visits[vi]!.name} (day ${days[vi]}) is ${y} without drug effect`);
        ys[vi] = y;
      } else y = ys[vi]!;
      let effect = 0;
      if (applies) {
        const day = days[vi]!;
        if (byConcentration) {
          effect = emaxEffect(memo.value(lane, dose, vi), emax, ec50, hill);
        } else {
          // An exposure-driven effect applies while on treatment, with its onset.
          if (day <= stopDay) effect = full * onset![vi]!;
          else if (atStop !== 0) effect = atStop * waningFraction(day - stopDay, waning);
        }
        if (!Number.isFinite(effect + y)) throw new SimulationError('pd', `drug effect on ${b.id}`, `the effect at ${visits[vi]!.name} (day ${day}) is ${effect} (the twin's ec50 = ${ec50})`);
      }
      series[vi] = y + effect;
    }
    tw.ysDone[bi] = 1;
    biomarkers[bi] = series;
    if (noStop) {
      // Drug on throughout: every dose given, no waning.
      const on = new Array<number>(nv);
      if (applies && byConcentration) memo.prepare(lane, effectUnit!, lane === 0 ? plan.unitSlots : plan.effectSlots[bi]![unit!.rate.length]!, reg!, reg!.count);
      for (let vi = 0; vi < nv; vi++) on[vi] = ys[vi]! + (!applies ? 0 : byConcentration ? emaxEffect(memo.value(lane, dose, vi), emax, ec50, hill) : full * onset![vi]!);
      // Lane 0 is shared by the biomarkers: back to the doses actually given.
      if (applies && byConcentration && lane === 0) memo.prepare(0, unit!, plan.unitSlots, reg!, givenCount);
      noStop[bi] = on;
    }
  }

  // Rescue: the first visit from from_visit at which the (latent) rescue biomarker crosses its threshold, before death.
  let rescueDay = Infinity;
  let unrescued: number[] | undefined;
  if (icm?.rescue) {
    const r = icm.rescue;
    const series = biomarkers[r.biomarker]!;
    const rv = rescueVisit(series, days, r.fromVisit, r, deathDay);
    if (rv >= 0) {
      rescueDay = days[rv]!;
      if (icm.needsNoRescue) unrescued = series.slice();
      for (let vi = rv + 1; vi < nv; vi++) series[vi] = series[vi]! + rescueEffect(days[vi]! - rescueDay, r.effect, r.onsetHalfLife);
    }
  }

  let lastVisit = -1;
  for (let i = 0; i < nv; i++) if (days[i]! <= endDay) lastVisit = i;

  // Endpoints.
  const ne = model.endpoints.length;
  const timeToEvent = new Array<TimeToEvent | null>(ne);
  const endpointValues = new Array<number>(ne);
  for (let ei = 0; ei < ne; ei++) {
    const kind = plan.endpointKind[ei]!;
    if (kind === 0) {
      const e = model.endpoints[ei] as TteEndpoint;
      if (!tw.predictorDone[ei]) {
        const x = evaluateFormula(e.predictor, row, 'endpoint', `covariates formula of ${e.id}`, e.predictorFormula);
        if (!Number.isFinite(x)) throw new SimulationError('endpoint', `covariates formula of ${e.id}`, `"${e.predictorFormula}" is ${x} for this twin (${formulaInputs(e.predictorFormula, row) || 'no covariates'})`);
        tw.predictor[ei] = x;
        tw.predictorDone[ei] = 1;
      }
      const x = tw.predictor[ei]!;
      const lp = x + e.logHr[armIndex]! + (e.exposure ? e.exposure.coef * exposure[e.exposure.driver] : 0);
      // exp(lp) beyond double range: an infinite hazard would put every event at day 0, a zero hazard at day Infinity.
      const hazardRatio = Math.exp(lp);
      if (!(Number.isFinite(hazardRatio) && hazardRatio > 0)) throw new SimulationError('endpoint', e.id, `the hazard multiplier exp(linear predictor) is ${hazardRatio} (${lpText(e, armIndex, lp, x, exposure)})`);
      const latentDay = eventTime(draws.eventDraws[ei]!, e.baselineHazard, lp);
      if (!Number.isFinite(latentDay)) throw new SimulationError('endpoint', e.id, `the event time is ${latentDay} days (${lpText(e, armIndex, lp, x, exposure)})`);
      const censored = latentDay > endDay;
      timeToEvent[ei] = { latentDay, day: censored ? endDay : latentDay, censored, censoring: censored ? censoringOf(endReason) : '' };
      endpointValues[ei] = latentDay;
      continue;
    }
    timeToEvent[ei] = null;
    const e = model.endpoints[ei] as Exclude<EndpointRuntime, TteEndpoint>;
    const series = biomarkers[e.biomarker]!;
    const x = plan.isChange[ei] ? series[e.visit]! - series[0]! : series[e.visit]!;
    if (kind === 1) endpointValues[ei] = x;
    else {
      const r = e as Extract<EndpointRuntime, { kind: 'responder' }>;
      endpointValues[ei] = (r.below !== undefined ? x < r.below : x > r.above!) ? 1 : 0;
    }
  }

  const out: ArmOutcome = { arm: armIndex, pk, exposure, concentrations, biomarkers, adverseEvents, endDay, endReason, lastVisit, endpointValues, timeToEvent };
  if (icm) {
    const discontinued = stopDay < D && stopDay < deathDay;
    out.ice = {
      discontinuationDay: discontinued ? stopDay : Infinity,
      discontinuationReason: !discontinued ? '' : stopDay === aeStop ? 'ADVERSE EVENT' : icm.reasons[other.reason]!.reason,
      retrieved: iceDraws!.uRetrieved < icm.retrieved,
      rescueDay,
      deathDay: deathDay <= D ? deathDay : Infinity,
    };
    if (icm.estimands.length > 0) out.estimandValues = estimandValues(model, icm, out, out.ice, unrescued, noStop);
  }
  return out;
}
