/**
 * `vtrial run`: screens, enrols, randomises and simulates one virtual trial, and writes its
 * ADaM-shaped tables, counterfactuals and a run.json manifest into a directory.
 */
import { VERSION } from '../version.js';
import { simulatedAdam } from '../analysis/simulated-adam.js';
import { analyseTrial, analysisTables, type TrialAnalysis } from '../analysis/analyse-trial.js';
import { loadProtocol } from '../io/load-specs.js';
import { RunWriter } from '../io/run-writer.js';
import { explainShortfall } from '../screening/screen-until-target.js';
import { simulateFullTrial, simulateTrial, type TrialResult } from '../trial/simulate-trial.js';
import { calendarIndex, cutAt, cutoffSummary, studyEndDay, type TrialCutoff } from '../trial/calendar-cutoff.js';
import { runSequential, type SequentialRecord } from '../analysis/sequential-trial.js';
import { interimLookRows, interimLooksTable, type InterimLookRow } from '../analysis/interim-looks.js';
import type { EfficacyRow } from '../analysis/efficacy.js';
import type { AnalysisPlan } from '../spec/analysis-schema.js';
import type { InterimModel } from '../trial/compile-interim.js';
import type { TrialModel } from '../trial/trial-model.js';
import { individualEffects, type IteRow } from '../twins/individual-effects.js';
import { iteTable } from '../twins/ite-table.js';
import { describeMethod, prognosticScores, scoreCorrelation } from '../twins/prognostic.js';
import { varianceReductions, type VarianceReduction } from '../twins/variance-reduction.js';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import { UsageError } from '../errors/usage-error.js';

export interface RunCommandOptions {
  protocolFile: string;
  cohortFile?: string;
  seed: number;
  out: string;
  force: boolean;
  /** The command line, recorded in run.json (without the output directory). */
  argv?: readonly string[];
  /** With interim looks: analyse the trial at its planned end even where a look stopped it (the looks are reported either way). */
  ignoreStopping?: boolean;
}

/** With interim looks: where the trial stopped and every look (README "Interim analyses"). */
export interface RunSequential {
  looks: number;
  stopLook: number;
  decision: SequentialRecord['decision'];
  /** The stop: calendar day, information, randomised patients. */
  day: number;
  information: number;
  patients: number;
  /** The other outputs are the trial at this day: the stop's, or the planned end's with --ignore-stopping. */
  analysedDay: number;
  ignoringStopping: boolean;
  perLook: InterimLookRow[];
}

export interface ArmSummary {
  arm: string;
  role: 'control' | 'active';
  randomised: number;
  completed: number;
  discontinued: number;
  /** With accrual: still in follow-up at the data cut-off (absent without accrual). */
  ongoing?: number;
  withAdverseEvent: number;
}

export interface RunCommandResult {
  protocol: string;
  cohort: string;
  seed: number;
  out: string;
  files: string[];
  screened: number;
  eligible: number;
  enrolled: number;
  arms: ArmSummary[];
  adverseEvents: number;
  efficacy: TrialAnalysis['efficacy'];
  safety: TrialAnalysis['safety'];
  individualEffects: IteRow[];
  prognostic: { endpoint: string; method: string; correlation: number | null; n: number; fit?: unknown } | null;
  varianceReduction: VarianceReduction[];
  /** With accrual: the data cut-off (calendar day), the events counted at it and whether the study end's rule was met. */
  cutoff?: TrialCutoff;
  sequential?: RunSequential;
}

export async function runCommand(o: RunCommandOptions): Promise<RunCommandResult> {
  const p = loadProtocol(o.protocolFile, o.cohortFile);
  if (!p.trial) throw new UsageError(`${o.protocolFile} has no arms: it can be screened (vtrial screen) but not run`);
  // Check the output directory before the work; the previous results stay until the new ones are complete.
  const writer = RunWriter.open(o.out, { force: o.force, kind: 'run', inputs: [p.file, ...p.inputs.map((i) => i.file)] });
  try {
    return await simulateAndWrite(o, p, writer);
  } catch (err) {
    writer.abort();
    throw err;
  }
}

async function simulateAndWrite(o: RunCommandOptions, p: ReturnType<typeof loadProtocol>, writer: RunWriter): Promise<RunCommandResult> {
  const model = p.trial!;
  const options = {
    seed: o.seed,
    replicate: 0,
    target: p.spec.enrolment.target,
    maxScreened: p.spec.enrolment.max_screened,
    keepScreened: true,
    // The base scenario's external controls, as loadProtocol checked them (the same as replicate runs use).
    external: p.scenarios[0]!.external,
  };
  if (o.ignoreStopping && !model.interim) throw new UsageError(`--ignore-stopping applies to protocols with interim looks (analysis.interim); ${o.protocolFile} has none`);
  const full = model.interim ? simulateFullTrial(p.cohort.model, p.criteria, model, options) : undefined;
  if (full && !full.flow.targetReached) throw new EnrolmentShortfall(explainShortfall(full.flow), full.flow);
  const looks = full ? runLooks(p, model, model.interim!, full, o) : undefined;
  const trial = looks ? looks.trial : simulateTrial(p.cohort.model, p.criteria, model, options);
  if (!trial.flow.targetReached) throw new EnrolmentShortfall(explainShortfall(trial.flow), trial.flow);

  const scores = p.prognostic ? prognosticScores(p.prognostic, model, trial, o.seed) : undefined;
  const { tables, data } = simulatedAdam(p.cohort.model, p.criteria, model, trial, { prognostic: scores, concentrations: true });
  const analysis = analyseTrial(model, p.spec.analysis, data, { seed: o.seed, replicate: 0 });
  tables.push(...analysisTables(analysis));
  const ite = individualEffects(model, p.cohort.model, trial, analysis.plan.individual_effects);
  tables.push(iteTable(ite));
  if (looks) tables.push(interimLooksTable(looks.sequential.perLook));
  const arms: ArmSummary[] = model.arms.map((a, i) => {
    const mine = trial.enrolled.filter((t) => t.arm === i);
    return {
      arm: a.id,
      role: a.role,
      randomised: mine.length,
      completed: mine.filter((t) => t.outcomes[i]!.endReason === 'COMPLETED').length,
      discontinued: mine.filter((t) => t.outcomes[i]!.endReason !== 'COMPLETED' && t.outcomes[i]!.endReason !== 'ONGOING').length,
      ...(trial.cutoff ? { ongoing: mine.filter((t) => t.outcomes[i]!.endReason === 'ONGOING').length } : {}),
      withAdverseEvent: mine.filter((t) => t.outcomes[i]!.adverseEvents.events.some((e) => e.day <= t.outcomes[i]!.endDay)).length,
    };
  });
  const result: RunCommandResult = {
    protocol: p.file,
    cohort: p.cohort.file,
    seed: o.seed,
    out: o.out,
    files: [...tables.map((t) => t.name), 'summary.json', 'run.json'],
    screened: trial.flow.screened,
    eligible: trial.flow.eligible,
    enrolled: trial.flow.enrolled,
    arms,
    adverseEvents: data.adae.length,
    efficacy: analysis.efficacy,
    safety: analysis.safety,
    individualEffects: ite,
    prognostic: p.prognostic && scores ? { endpoint: p.prognostic.endpoint, method: describeMethod(p.prognostic, model), ...scoreCorrelation(p.prognostic, model, trial, scores), fit: p.prognostic.fit } : null,
    varianceReduction: varianceReductions(analysis.efficacy),
    ...(trial.cutoff ? { cutoff: cutoffSummary(model, trial) } : {}),
    ...(looks ? { sequential: looks.sequential } : {}),
  };

  for (const t of tables) await writer.table(t);
  await writer.json('summary.json', { vtrial: VERSION, protocol: p.file, seed: o.seed, screening: trial.flow, arms, plan: analysis.plan, efficacy: analysis.efficacy, safety: analysis.safety, individualEffects: ite, prognostic: result.prognostic, varianceReduction: result.varianceReduction, ...(result.cutoff ? { cutoff: result.cutoff } : {}), ...(result.sequential ? { sequential: result.sequential } : {}) });
  await writer.json('run.json', {
    vtrial: VERSION,
    command: o.argv ?? null,
    seed: o.seed,
    replicates: 1,
    protocol: { file: p.file, sha256: p.sha256, resolved: p.spec },
    cohort: { file: p.cohort.file, sha256: p.cohort.sha256, resolved: p.cohort.spec, inputs: p.cohort.inputs },
    // Every file the run read besides the protocol (cohorts, external cohort, CSVs), with SHA-256.
    inputs: p.inputs,
    screening: trial.flow,
    arms,
    files: Object.fromEntries(Object.entries(await writer.fileRecords()).map(([name, f]) => [name, { ...f, columns: tables.find((t) => t.name === name)?.columns }])),
  });
  await writer.commit();
  return result;
}

/**
 * The trial run as its group-sequential design (README "Interim analyses"): the primary analysis
 * on the ADaM tables of the data observed at each look (as the replicate engine's looks: the same
 * boundaries, z and decisions), and the trial the run's outputs show: cut at the look that stopped
 * it (a trial that stops at look 2 has no later data), or at the planned end (ignoreStopping).
 */
function runLooks(p: ReturnType<typeof loadProtocol>, model: TrialModel, im: InterimModel, full: TrialResult, o: RunCommandOptions): { trial: TrialResult; sequential: RunSequential } {
  const index = calendarIndex(model, full);
  const end = studyEndDay(model, index);
  const endTrial = cutAt(model, full, end.day, index, end.reached);
  // The study end's twins (as the replicate engine, which scores the trial at its end).
  const scores = p.prognostic ? prognosticScores(p.prognostic, model, endTrial, o.seed) : undefined;
  const plan: AnalysisPlan = { ...p.spec.analysis!, primary: p.spec.analysis!.primary.slice(0, 1), secondary: [] };
  const rows = new Map<number, EfficacyRow>();
  const analyse = (day: number): EfficacyRow => {
    let row = rows.get(day);
    if (!row) {
      const cut = day === end.day ? endTrial : cutAt(model, full, day, index);
      rows.set(day, (row = analyseTrial(model, plan, simulatedAdam(p.cohort.model, p.criteria, model, cut, { prognostic: scores, concentrations: false }).data, { seed: o.seed, replicate: 0 }).efficacy[0]!));
    }
    return row;
  };
  const rec = runSequential(model, im, full, index, end.day, analyse(end.day), analyse);
  const patientsBy = (day: number) => full.enrolled.filter((t) => t.entryDay <= day).length;
  const early = rec.stopLook < rec.lookDay.length && !o.ignoreStopping;
  const trial = early ? cutAt(model, full, rec.day, index, true) : endTrial;
  return {
    trial,
    sequential: {
      looks: rec.lookDay.length,
      stopLook: rec.stopLook,
      decision: rec.decision,
      day: rec.day,
      information: rec.information,
      patients: rec.patients,
      analysedDay: early ? rec.day : end.day,
      ignoringStopping: o.ignoreStopping === true,
      perLook: interimLookRows(im, rec, (day) => rows.get(day), patientsBy),
    },
  };
}
