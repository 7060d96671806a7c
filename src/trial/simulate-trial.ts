/**
 * One virtual trial (one replicate): screen twins until the target is enrolled, randomise the
 * enrolled twins (permuted blocks within strata, in enrolment order), and simulate each twin
 * under every arm. The trial observes the assigned arm; the other arms are its counterfactuals.
 */
import type { CohortModel, Row } from '../cohort/cohort-model.js';
import type { Criterion } from '../screening/criteria.js';
import { screenUntilTarget } from '../screening/screen-until-target.js';
import type { ScreeningFlow } from '../screening/screening-tally.js';
import { drawPatient } from './patient-draws.js';
import { planFor, Randomiser } from './randomise.js';
import { simulateArm, TwinShared, type ArmOutcome } from './simulate-arm.js';
import { SimulationError } from '../errors/simulation-error.js';
import type { TrialModel } from './trial-model.js';
import { entryDays, screeningDays } from './accrual.js';
import { atStudyEnd } from './calendar-cutoff.js';

/** simulateArm, with a SimulationError naming the replicate and the twin. */
function simulateTwinArm(model: TrialModel, arm: number, row: Row, draws: ReturnType<typeof drawPatient>, replicate: number, id: string, shared: TwinShared): ArmOutcome {
  try {
    return simulateArm(model, arm, row, draws, shared);
  } catch (err) {
    if (err instanceof SimulationError) throw err.forTwin(replicate, id);
    throw err;
  }
}

export interface ScreenedTwin {
  patient: number;
  usubjid: string;
  row: Row;
  firstFailed: number;
  enrolled: boolean;
  /** Calendar day of screening (with accrual; 0 without): a randomised twin's entry day. */
  day: number;
}

export interface EnrolledTwin {
  patient: number;
  usubjid: string;
  row: Row;
  stratum: string;
  arm: number;
  block: number;
  /** Calendar day of entry (randomisation and first dose; 0 without accrual): study day 0 of this twin falls on it. */
  entryDay: number;
  /** Outcomes under every arm, indexed by arm; outcomes[arm] is what the trial observes. */
  outcomes: ArmOutcome[];
}

export interface ExternalTwin {
  patient: number;
  usubjid: string;
  row: Row;
  /** The external twin's outcome under the control arm. */
  outcome: ArmOutcome;
}

export interface ExternalCohort {
  cohort: CohortModel;
  criteria: readonly Criterion[];
}

export interface TrialResult {
  replicate: number;
  flow: ScreeningFlow;
  screened: ScreenedTwin[];
  enrolled: EnrolledTwin[];
  /** External control twins (synthetic or hybrid control arm); empty otherwise. */
  external: ExternalTwin[];
  /**
   * With calendar time: the data cut-off the trial is observed at (calendar day), the events of
   * the counted endpoint by then, and whether the study end's rule was met (false: an events
   * target not reached when every patient had finished). Undefined without accrual.
   */
  cutoff?: { day: number; events: number; reached: boolean };
}

export interface TrialOptions {
  seed: number;
  replicate: number;
  target: number;
  maxScreened: number;
  /** Keep every screened twin (for ADSL); off for replicate runs that need only the enrolled. */
  keepScreened: boolean;
  /** Cohort and criteria of external control twins (needed when the model has an external control). */
  external?: ExternalCohort;
}

export const usubjid = (replicate: number, patient: number): string => `R${replicate + 1}-${String(patient + 1).padStart(6, '0')}`;

export function stratumOf(model: TrialModel, row: Row): string {
  const by = model.stratifyBy;
  if (by.length === 0) return 'ALL';
  // One factor (the common case): its level, without building a list to join.
  if (by.length === 1) return String(row[by[0]!]);
  return by.map((s) => String(row[s])).join('/');
}

/**
 * One replicate, observed at its study end: with calendar time (model.calendar) the data are cut
 * at the study end's calendar day (calendar-cutoff.ts); without, the whole trial.
 */
export function simulateTrial(cohort: CohortModel, criteria: readonly Criterion[], model: TrialModel, o: TrialOptions): TrialResult {
  const full = simulateFullTrial(cohort, criteria, model, o);
  return model.calendar && full.flow.targetReached ? atStudyEnd(model, full) : full;
}

/** One replicate with every patient followed to the end of their follow-up (no calendar cut-off). */
export function simulateFullTrial(cohort: CohortModel, criteria: readonly Criterion[], model: TrialModel, o: TrialOptions): TrialResult {
  const screened: ScreenedTwin[] = [];
  const { flow, enrolled } = screenUntilTarget(cohort, criteria, {
    seed: o.seed,
    replicate: o.replicate,
    target: o.target,
    maxScreened: o.maxScreened,
    onTwin: o.keepScreened ? (patient, row, firstFailed, isEnrolled) => screened.push({ patient, usubjid: usubjid(o.replicate, patient), row, firstFailed, enrolled: isEnrolled, day: 0 }) : undefined,
  });
  // Calendar entry: the k-th randomised twin enters on the k-th arrival of the accrual process.
  const entry = model.calendar ? entryDays(model.calendar.accrual, o.seed, o.replicate, enrolled.map((e) => e.patient)) : undefined;
  if (entry && screened.length > 0) {
    const days = screeningDays(screened.map((s) => s.enrolled), entry);
    screened.forEach((s, i) => (s.day = days[i]!));
  }
  const control = model.arms.findIndex((a) => a.role === 'control');
  const weights = model.arms.map((a, i) => (model.externalControl?.mode === 'synthetic' && i === control ? 0 : a.allocation));
  const randomiser = new Randomiser(planFor(weights, model.blockSize), o.seed, o.replicate);
  // One twin's arm-independent quantities, reused by its arms (begin() per twin).
  const shared = new TwinShared(model);
  const nArms = model.arms.length;
  const twins = new Array<EnrolledTwin>(enrolled.length);
  for (let i = 0; i < enrolled.length; i++) {
    const { patient, row } = enrolled[i]!;
    const stratum = stratumOf(model, row);
    const { arm, block } = randomiser.assign(stratum);
    const draws = drawPatient(model, o.seed, o.replicate, patient);
    const id = usubjid(o.replicate, patient);
    shared.begin(row, draws);
    const outcomes = new Array<ArmOutcome>(nArms);
    for (let a = 0; a < nArms; a++) outcomes[a] = simulateTwinArm(model, a, row, draws, o.replicate, id, shared);
    twins[i] = { patient, usubjid: id, row, stratum, arm, block, entryDay: entry ? entry[i]! : 0, outcomes };
  }
  let external: ExternalTwin[] = [];
  if (model.externalControl) {
    if (!o.external) throw new Error('simulateTrial: the external cohort of the control arm was not loaded');
    external = simulateExternalControls(model, control, o.external, o.seed, o.replicate);
  }
  return { replicate: o.replicate, flow, screened, enrolled: twins, external };
}

/** External twins' patient indices start here, so their streams never meet the trial twins'. */
export const EXTERNAL_PATIENT_OFFSET = 1_000_000_000;

function simulateExternalControls(model: TrialModel, control: number, ext: ExternalCohort, seed: number, replicate: number): ExternalTwin[] {
  const n = model.externalControl!.n;
  const { flow, enrolled } = screenUntilTarget(ext.cohort, ext.criteria, { seed, replicate, target: n, maxScreened: 50 * n, patientOffset: EXTERNAL_PATIENT_OFFSET });
  if (!flow.targetReached) throw new Error(`only ${flow.enrolled} of ${n} external control twins meet the enrolment criteria after screening ${flow.screened}`);
  const shared = new TwinShared(model);
  return enrolled.map(({ patient, row }, j) => {
    const id = `E${replicate + 1}-${String(j + 1).padStart(6, '0')}`;
    const draws = drawPatient(model, seed, replicate, patient);
    return { patient, usubjid: id, row, outcome: simulateTwinArm(model, control, row, draws, replicate, id, shared.begin(row, draws)) };
  });
}
