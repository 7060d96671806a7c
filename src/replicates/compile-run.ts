/**
 * Everything a replicate needs, compiled once per process (main thread or worker): the cohort,
 * the criteria, and per scenario the trial model and analysis plan.
 */
import type { CohortModel } from '../cohort/cohort-model.js';
import { loadProtocol } from '../io/load-specs.js';
import type { Criterion } from '../screening/criteria.js';
import type { AnalysisPlan } from '../spec/analysis-schema.js';
import { SpecError } from '../spec/spec-error.js';
import { compileTrial } from '../trial/compile-trial.js';
import type { TrialModel } from '../trial/trial-model.js';
import { UsageError } from '../app/errors.js';
import { applyScenario, scenariosOf, type ScenarioSpec } from './scenarios.js';
import { defaultPlan } from '../analysis/analyse-trial.js';
import type { PrognosticRuntime } from '../twins/prognostic.js';
import { loadExternalCohort } from '../io/load-external-cohort.js';
import type { ExternalCohort } from '../trial/simulate-trial.js';

export interface RunScenario {
  spec: ScenarioSpec;
  model: TrialModel;
  plan: AnalysisPlan;
  /** Enrolment target and screening cap of this scenario (a scenario may change them). */
  target: number;
  maxScreened: number;
  /** External control twins' cohort and criteria (synthetic or hybrid control arm). */
  external?: ExternalCohort;
}

export interface CompiledRun {
  protocolFile: string;
  protocolSha256: string;
  cohortFile: string;
  cohortSha256: string;
  seed: number;
  cohort: CohortModel;
  criteria: Criterion[];
  target: number;
  maxScreened: number;
  scenarios: RunScenario[];
  prognostic?: PrognosticRuntime;
  /** Resolved specs, for manifests. */
  resolved: { protocol: unknown; cohort: unknown };
}

/** Loads and compiles a protocol for replicate runs; `only` restricts the scenarios (by name). */
export function compileRun(protocolFile: string, cohortFile: string | undefined, seed: number, only?: string): CompiledRun {
  const p = loadProtocol(protocolFile, cohortFile);
  if (!p.trial) throw new UsageError(`${protocolFile} has no arms: it can be screened (vtrial screen) but not run`);
  const all = scenariosOf(p.spec);
  const chosen = only ? all.filter((s) => s.name === only) : all;
  if (only && chosen.length === 0) throw new UsageError(`--scenario ${only}: the protocol has the scenarios ${all.map((s) => s.name).join(', ')}`);
  const scenarios = chosen.map((s) => {
    const index = p.spec.scenarios.indexOf(s as (typeof p.spec.scenarios)[number]);
    const applied = applyScenario(p.spec, s, index);
    if ('issues' in applied) throw new SpecError(protocolFile, applied.issues);
    const compiled = s.name === 'base' ? { ok: true as const, model: p.trial! } : compileTrial(applied.spec, p.cohort.model.scope);
    if (!compiled.ok) throw new SpecError(protocolFile, compiled.issues.map((i) => ({ ...i, message: `${i.message} (in scenario ${s.name})` })));
    const target = applied.spec.enrolment.target;
    // A scenario that changes the target keeps the protocol's screening ratio unless it sets a cap.
    const setCap = s.set['enrolment.max_screened'];
    const base = p.spec.enrolment;
    const maxScreened = typeof setCap === 'number' ? setCap : target === base.target ? base.max_screened : Math.ceil((base.max_screened * target) / base.target);
    const external = loadExternalCohort(protocolFile, compiled.model, applied.spec.enrolment);
    return { spec: s, model: compiled.model, plan: applied.spec.analysis ?? defaultPlan(compiled.model), target, maxScreened, external };
  });
  return {
    protocolFile: p.file,
    protocolSha256: p.sha256,
    cohortFile: p.cohort.file,
    cohortSha256: p.cohort.sha256,
    seed,
    cohort: p.cohort.model,
    criteria: p.criteria,
    target: p.spec.enrolment.target,
    maxScreened: p.spec.enrolment.max_screened,
    scenarios,
    prognostic: p.prognostic,
    resolved: { protocol: p.spec, cohort: p.cohort.spec },
  };
}
