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
import { simulateArm, type ArmOutcome } from './simulate-arm.js';
import type { TrialModel } from './trial-model.js';

export interface ScreenedTwin {
  patient: number;
  usubjid: string;
  row: Row;
  firstFailed: number;
  enrolled: boolean;
}

export interface EnrolledTwin {
  patient: number;
  usubjid: string;
  row: Row;
  stratum: string;
  arm: number;
  block: number;
  /** Outcomes under every arm, indexed by arm; outcomes[arm] is what the trial observes. */
  outcomes: ArmOutcome[];
}

export interface TrialResult {
  replicate: number;
  flow: ScreeningFlow;
  screened: ScreenedTwin[];
  enrolled: EnrolledTwin[];
}

export interface TrialOptions {
  seed: number;
  replicate: number;
  target: number;
  maxScreened: number;
  /** Keep every screened twin (for ADSL); off for replicate runs that need only the enrolled. */
  keepScreened: boolean;
}

export const usubjid = (replicate: number, patient: number): string => `R${replicate + 1}-${String(patient + 1).padStart(6, '0')}`;

export function stratumOf(model: TrialModel, row: Row): string {
  return model.stratifyBy.length === 0 ? 'ALL' : model.stratifyBy.map((s) => String(row[s])).join('/');
}

export function simulateTrial(cohort: CohortModel, criteria: readonly Criterion[], model: TrialModel, o: TrialOptions): TrialResult {
  const screened: ScreenedTwin[] = [];
  const { flow, enrolled } = screenUntilTarget(cohort, criteria, {
    seed: o.seed,
    replicate: o.replicate,
    target: o.target,
    maxScreened: o.maxScreened,
    onTwin: o.keepScreened ? (patient, row, firstFailed, isEnrolled) => screened.push({ patient, usubjid: usubjid(o.replicate, patient), row, firstFailed, enrolled: isEnrolled }) : undefined,
  });
  const randomiser = new Randomiser(planFor(model.arms.map((a) => a.allocation), model.blockSize), o.seed, o.replicate);
  const twins: EnrolledTwin[] = enrolled.map(({ patient, row }) => {
    const stratum = stratumOf(model, row);
    const { arm, block } = randomiser.assign(stratum);
    const draws = drawPatient(model, o.seed, o.replicate, patient);
    const outcomes = model.arms.map((_, a) => simulateArm(model, a, row, draws));
    return { patient, usubjid: usubjid(o.replicate, patient), row, stratum, arm, block, outcomes };
  });
  return { replicate: o.replicate, flow, screened, enrolled: twins };
}
