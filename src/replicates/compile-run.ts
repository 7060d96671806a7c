/**
 * Everything a replicate needs, compiled once per process (main thread or worker): per scenario
 * the cohort, criteria, trial model and analysis plan. Scenarios are checked and compiled by
 * loadProtocol, exactly as `vtrial validate` checks them.
 */
import type { CohortModel } from '../cohort/cohort-model.js';
import { loadProtocol } from '../io/load-specs.js';
import type { Criterion } from '../screening/criteria.js';
import type { AnalysisPlan } from '../spec/analysis-schema.js';
import type { TrialModel } from '../trial/trial-model.js';
import { UsageError } from '../errors/usage-error.js';
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

export interface CompiledRun {
  protocolFile: string;
  protocolSha256: string;
  cohortFile: string;
  cohortSha256: string;
  seed: number;
  scenarios: RunScenario[];
  /** Every file the run reads besides the protocol (see LoadedProtocol.inputs), with hashes. */
  inputs: { file: string; sha256: string }[];
  /** Resolved specs, for manifests. */
  resolved: { protocol: unknown; cohort: unknown };
}

/** Loads and compiles a protocol for replicate runs; `only` restricts the scenarios (by name). */
export function compileRun(protocolFile: string, cohortFile: string | undefined, seed: number, only?: string): CompiledRun {
  const p = loadProtocol(protocolFile, cohortFile);
  if (!p.trial) throw new UsageError(`${protocolFile} has no arms: it can be screened (vtrial screen) but not run`);
  const chosen = only ? p.scenarios.filter((s) => s.scenario.name === only) : p.scenarios;
  if (only && chosen.length === 0) throw new UsageError(`--scenario ${only}: the protocol has the scenarios ${p.scenarios.map((s) => s.scenario.name).join(', ')}`);
  const scenarios = chosen.map((s): RunScenario => {
    // loadProtocol compiled every scenario's trial (the base has arms, and a scenario cannot remove them).
    const model = s.trial!;
    return {
      spec: s.scenario,
      model,
      plan: s.spec.analysis ?? defaultPlan(model),
      cohort: s.cohort.model,
      criteria: s.criteria,
      target: s.spec.enrolment.target,
      maxScreened: s.spec.enrolment.max_screened,
      prognostic: s.prognostic,
      external: s.external,
    };
  });
  return {
    protocolFile: p.file,
    protocolSha256: p.sha256,
    cohortFile: p.cohort.file,
    cohortSha256: p.cohort.sha256,
    seed,
    scenarios,
    inputs: p.inputs,
    resolved: { protocol: p.spec, cohort: p.cohort.spec },
  };
}
