/**
 * One replicate trial of one scenario, reduced to a small record of plain data: its efficacy
 * results (with the replicate's truth), trial counts, and AE counts per term and arm. The
 * record is all that operating characteristics need, so no patient-level data outlives the
 * replicate (unless its ADaM tables are kept for the first replicates).
 */
import type { Table } from '../util/table.js';
import { simulatedAdam } from '../analysis/simulated-adam.js';
import { analyseTrial } from '../analysis/analyse-trial.js';
import { efficacy, type EfficacyRow } from '../analysis/efficacy.js';
import { NotColumnar, trialSource } from '../analysis/trial-source.js';
import type { AnalysisSource } from '../analysis/analysis-source.js';
import { aeIncidence, type AeIncidence } from '../analysis/ae-incidence.js';
import type { CohortModel } from '../cohort/cohort-model.js';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import { explainShortfall } from '../screening/screen-until-target.js';
import { simulateFullTrial, simulateTrial, type TrialResult } from '../trial/simulate-trial.js';
import { calendarIndex, cutAt, studyEndDay } from '../trial/calendar-cutoff.js';
import { cutLogRankApplies, cutLogRankZ, efficacyCut, logRankZ, runSequential, zOf, type SequentialRecord } from '../analysis/sequential-trial.js';
import type { AnalysisPlan } from '../spec/analysis-schema.js';
import { prognosticScores, scoreCorrelation } from '../twins/prognostic.js';
import type { CompiledRun } from './compile-run.js';
import { effectSpreads, type EffectSpread } from '../twins/effect-spread.js';

export interface ReplicateEfficacy {
  endpoint: string;
  role: 'primary' | 'secondary';
  method: string;
  covariates: string;
  measure: string;
  arm: string;
  control: string;
  /** Events per arm (time-to-event analyses; null otherwise). */
  eventsArm: number | null;
  eventsControl: number | null;
  estimate: number | null;
  se: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
  pAdjusted: number | null;
  reject: boolean;
  trueEffect: number | null;
  /** The item's estimand label, when it declares one (replicates.csv's and operating-characteristics.csv's optional column). */
  estimand?: string;
}

export interface ReplicateRecord {
  scenario: string;
  replicate: number;
  screened: number;
  eligible: number;
  enrolled: number;
  dropouts: number;
  /** Patient-visits simulated, counting every arm of every enrolled twin (for throughput). */
  patientVisits: number;
  /** Correlation between prognostic score and observed control outcome (null without a score). */
  prognosticCorrelation: number | null;
  efficacy: ReplicateEfficacy[];
  /** Subjects with each AE term, per arm: [term, arm, subjects with the AE, subjects in the arm]. */
  adverseEvents: [string, string, number, number][];
  /** With accrual only: the data cut-off's calendar day, the counted endpoint's events by then, and whether the study end's rule was met. */
  /** With calendar time: the cut-off day, events by then, whether the study end's rule was met, and the twins entered by then (the dropout rate's denominator). */
  cutoff?: { day: number; events: number; reached: boolean; entered: number };
  /** With interim looks only: the trial run as a group-sequential design (README "Interim analyses"). */
  sequential?: SequentialRecord;
  /** Asked for only (`screen --trade-offs --replicates`): the spread of the enrolled twins' individual effects on each primary endpoint. */
  ite?: EffectSpread[];
}

/** The cohort's covariate names (ADSL columns an analysis may adjust for), once per cohort. */
const namesOf = new WeakMap<CohortModel, ReadonlySet<string>>();
function covariateNames(cohort: CohortModel): ReadonlySet<string> {
  let names = namesOf.get(cohort);
  if (!names) namesOf.set(cohort, (names = new Set(cohort.columns.map((c) => c.name))));
  return names;
}

/** @param individualEffects also the record's `ite` (the spread of individual effects on the primary endpoints). */
export function runReplicate(run: CompiledRun, scenarioIndex: number, replicate: number, keepPatients: boolean, individualEffects = false): { record: ReplicateRecord; tables?: Table[] } {
  const sc = run.scenarios[scenarioIndex]!;
  const model = sc.model;
  const options = { seed: run.seed, replicate, target: sc.target, maxScreened: sc.maxScreened, keepScreened: keepPatients, external: sc.external };
  // With interim looks the full trial is kept to be cut at each look; the study end's cut is the trial as without them.
  const full = model.interim ? simulateFullTrial(sc.cohort, sc.criteria, model, options) : undefined;
  const index = full && full.flow.targetReached ? calendarIndex(model, full) : undefined;
  const end = index ? studyEndDay(model, index) : undefined;
  const trial = full ? (index && end ? cutAt(model, full, end.day, index, end.reached) : full) : simulateTrial(sc.cohort, sc.criteria, model, options);
  if (!trial.flow.targetReached) {
    throw new EnrolmentShortfall(`replicate ${replicate + 1} of scenario ${sc.spec.name}: ${explainShortfall(trial.flow)}`, trial.flow);
  }
  const scores = sc.prognostic ? prognosticScores(sc.prognostic, model, trial, run.seed) : undefined;
  // Patient files are written from ADaM tables; the analysis reads the trial's columns either way.
  const tables = keepPatients ? simulatedAdam(sc.cohort, sc.criteria, model, trial, { prognostic: scores, concentrations: true }).tables : undefined;
  let efficacyRows: EfficacyRow[];
  let adverseEvents: AeIncidence[];
  // Every visit up to each endpoint's: a repeated-measures method (mmrm) reads them all.
  const adamAnalysis = (plan: AnalysisPlan, t: TrialResult) => {
    const visits = new Set([0, ...model.endpoints.flatMap((x) => (x.kind === 'time_to_event' ? [] : Array.from({ length: x.visit }, (_, v) => v + 1)))]);
    // Every visit up to each endpoint's: a repeated-measures method (mmrm, mi) reads them all.
    return analyseTrial(model, plan, simulatedAdam(sc.cohort, sc.criteria, model, t, { prognostic: scores, visits, concentrations: false }).data, { seed: run.seed, replicate });
  };
  try {
    efficacyRows = efficacy(model, sc.plan, trialSource(model, trial, covariateNames(sc.cohort), scores), { seed: run.seed, replicate });
    adverseEvents = aeIncidence(model, trial);
  } catch (err) {
    if (!(err instanceof NotColumnar)) throw err;
    // A value the analysis would reject: the ADaM tables' analysis names its file, row and column.
    const analysis = adamAnalysis(sc.plan, trial);
    efficacyRows = analysis.efficacy;
    adverseEvents = analysis.safety.filter((s) => s.category === 'term' || s.category === 'any').map((s) => [s.category === 'any' ? '(any)' : s.item, s.arm, s.n, s.subjects]);
  }
  let sequential: SequentialRecord | undefined;
  if (model.interim && full && index && end) {
    const plan = primaryPlan(sc.plan);
    const im = model.interim;
    // The look's cut, kept for the analysis of the look where the trial stops (the test ran on it first).
    let cut: { day: number; source: AnalysisSource } | undefined;
    const cutSource = (day: number): AnalysisSource => (cut?.day === day ? cut.source : (cut = { day, source: withoutTruth(trialSource(model, efficacyCut(model, full, day), covariateNames(sc.cohort), scores)) }).source);
    const analyse = (day: number): EfficacyRow => {
      try {
        return efficacy(model, plan, cutSource(day), { seed: run.seed, replicate })[0]!;
      } catch (err) {
        if (!(err instanceof NotColumnar)) throw err;
        return adamAnalysis(plan, cutAt(model, full, day, index)).efficacy[0]!;
      }
    };
    // An unadjusted log-rank primary: the looks run the test alone (README "Interim analyses"), read straight from the full trial where it can.
    const population = im.item.population ?? plan.population;
    const direct = cutLogRankApplies(model, im, population);
    const test = direct
      ? (day: number): number => cutLogRankZ(model, im, im.item.sided ?? plan.sided, full, day)
      : im.item.method === 'logrank'
        ? (day: number): number => {
            try {
              return logRankZ(model, im, im.item.sided ?? plan.sided, cutSource(day).sample(model.endpoints[im.endpoint]!, im.item, population));
            } catch (err) {
              if (!(err instanceof NotColumnar)) throw err;
              return zOf(analyse(day), im);
            }
          }
        : undefined;
    sequential = runSequential(model, im, full, index, end.day, efficacyRows[0]!, analyse, test);
  }
  const record: ReplicateRecord = {
    scenario: sc.spec.name,
    replicate,
    screened: trial.flow.screened,
    eligible: trial.flow.eligible,
    enrolled: trial.flow.enrolled,
    dropouts: trial.enrolled.filter((x) => x.outcomes[x.arm]!.endReason !== 'COMPLETED' && x.outcomes[x.arm]!.endReason !== 'ONGOING').length,
    // Every randomised twin was simulated, also one a calendar cut-off leaves out (flow.enrolled = enrolled.length without accrual).
    patientVisits: trial.flow.enrolled * model.arms.length * model.visits.length,
    prognosticCorrelation: sc.prognostic && scores ? scoreCorrelation(sc.prognostic, model, trial, scores).correlation : null,
    efficacy: efficacyRows.map((r) => ({
      endpoint: r.endpoint,
      role: r.role,
      method: r.method,
      covariates: r.covariates,
      measure: r.measure,
      arm: r.arm,
      control: r.control,
      eventsArm: r.eventsArm,
      eventsControl: r.eventsControl,
      estimate: r.estimate,
      se: r.se,
      lower: r.lower,
      upper: r.upper,
      p: r.p,
      pAdjusted: r.pAdjusted,
      reject: r.reject === true,
      trueEffect: r.trueEffect,
      ...(r.estimand !== undefined ? { estimand: r.estimand } : {}),
    })),
    adverseEvents,
    ...(trial.cutoff ? { cutoff: { ...trial.cutoff, entered: trial.enrolled.length } } : {}),
    ...(sequential ? { sequential } : {}),
    ...(individualEffects ? { ite: effectSpreads(model, trial, sc.plan.primary.map((a) => a.endpoint)) } : {}),
  };
  return keepPatients ? { record, tables } : { record };
}

/** The plan with only its first primary analysis (what interim looks test), once per plan. */
const primaryPlans = new WeakMap<AnalysisPlan, AnalysisPlan>();
function primaryPlan(plan: AnalysisPlan): AnalysisPlan {
  let p = primaryPlans.get(plan);
  if (!p) primaryPlans.set(plan, (p = { ...plan, primary: plan.primary.slice(0, 1), secondary: [] }));
  return p;
}

/** An interim analysis needs no truth (the study end's is reported): the counterfactual columns are not built. */
function withoutTruth(source: AnalysisSource): AnalysisSource {
  return { ...source, counterfactual: () => undefined };
}
