/**
 * Everything a replicate needs, compiled once per thread (main thread or worker): per scenario
 * the cohort, criteria, trial model and analysis plan. Compiled models hold closures, so they
 * cannot cross threads; what crosses is a RunSource, plain data already read and checked on the
 * main thread (by loadProtocol, exactly as `vtrial validate` checks it): the resolved specs, the
 * parsed empirical tables and the historical fits. Compiling it touches no file.
 */
import type { CohortModel } from '../cohort/cohort-model.js';
import { compileCohort } from '../cohort/compile-cohort.js';
import type { EmpiricalTable } from '../cohort/empirical.js';
import { compileCriteria, type Criterion } from '../screening/criteria.js';
import type { AnalysisPlan } from '../spec/analysis-schema.js';
import type { CohortSpec } from '../spec/cohort-schema.js';
import type { ProtocolSpec } from '../spec/protocol-schema.js';
import { compileTrial } from '../trial/compile-trial.js';
import type { TrialModel } from '../trial/trial-model.js';
import type { ScenarioSpec } from './scenarios.js';
import { defaultPlan } from '../analysis/analyse-trial.js';
import type { PrognosticRuntime } from '../twins/prognostic.js';
import type { ExternalCohort } from '../trial/simulate-trial.js';

export interface RunScenario {
  spec: ScenarioSpec;
  model: TrialModel;
  plan: AnalysisPlan;
  /** The cohort and enrolment criteria of this scenario (a scenario may change them). */
  cohort: CohortModel;
  criteria: Criterion[];
  /** Enrolment target and screening cap of this scenario (a scenario may change them). */
  target: number;
  maxScreened: number;
  prognostic?: PrognosticRuntime;
  /** External control twins' cohort and criteria (synthetic or hybrid control arm). */
  external?: ExternalCohort;
}

/** What identifies a run in its manifests (run.json, summary.json). */
export interface RunIdentityFields {
  protocolFile: string;
  protocolSha256: string;
  cohortFile: string;
  cohortSha256: string;
  seed: number;
  /** Every file the run reads besides the protocol (see LoadedProtocol.inputs), with hashes. */
  inputs: { file: string; sha256: string }[];
  /** Resolved specs, for manifests. */
  resolved: { protocol: unknown; cohort: unknown };
}

/** A cohort as read and checked: its spec and its empirical table (if it has one). */
export interface CohortSource {
  file: string;
  spec: CohortSpec;
  empirical?: EmpiricalTable;
}

/** One scenario as read and checked: the protocol under it, resolved (screening cap and analysis plan filled in). */
export interface ScenarioSource {
  scenario: ScenarioSpec;
  spec: ProtocolSpec;
  maxScreened: number;
  /** Indices into RunSource.cohorts: the screened cohort and the external control twins' cohort. */
  cohort: number;
  external?: number;
  /** Plain data (the historical fit is numbers). */
  prognostic?: PrognosticRuntime;
}

/** A run as plain data (structured-cloneable): what the main thread sends each worker once. */
export interface RunSource extends RunIdentityFields {
  cohorts: CohortSource[];
  scenarios: ScenarioSource[];
}

export interface CompiledRun extends RunIdentityFields {
  scenarios: RunScenario[];
}

/** Compiles checked plain data; a problem here is a bug (loadProtocol checked the same data), not a user error. */
export function compileRun(source: RunSource): CompiledRun {
  const cohorts = source.cohorts.map((c) => {
    const r = compileCohort(c.spec, c.empirical);
    if (!r.ok) throw new Error(`compileRun: the checked cohort ${c.file} does not compile: ${r.issues.map((i) => i.message).join('; ')}`);
    return r.model;
  });
  const scenarios = source.scenarios.map((s): RunScenario => {
    const cohort = cohorts[s.cohort]!;
    const criteria = criteriaOf(s, cohort);
    const trial = compileTrial(s.spec, cohort.scope);
    if (!trial.ok) throw new Error(`compileRun: the checked scenario ${s.scenario.name} does not compile: ${trial.issues.map((i) => i.message).join('; ')}`);
    // The external twins are screened with the trial's criteria, compiled against their own cohort.
    const external = s.external === undefined ? undefined : { cohort: cohorts[s.external]!, criteria: s.external === s.cohort ? criteria : criteriaOf(s, cohorts[s.external]!) };
    return {
      spec: s.scenario,
      model: trial.model,
      plan: s.spec.analysis ?? defaultPlan(trial.model),
      cohort,
      criteria,
      target: s.spec.enrolment.target,
      maxScreened: s.maxScreened,
      prognostic: s.prognostic,
      external,
    };
  });
  const { cohorts: _c, scenarios: _s, ...identity } = source;
  return { ...identity, scenarios };
}

function criteriaOf(s: ScenarioSource, cohort: CohortModel): Criterion[] {
  const r = compileCriteria(s.spec.enrolment, cohort.scope);
  if (!r.ok) throw new Error(`compileRun: the checked criteria of scenario ${s.scenario.name} do not compile: ${r.issues.map((i) => i.message).join('; ')}`);
  return r.criteria;
}
