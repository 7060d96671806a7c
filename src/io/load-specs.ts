/**
 * Loads and fully checks spec files: read (YAML/JSON), shape-check (zod), load the empirical
 * CSV, compile. Throws SpecError (every problem, with file:line:column) or DataError.
 */
import { dirname, relative, resolve } from 'node:path';
import type { CohortModel } from '../cohort/cohort-model.js';
import type { EmpiricalTable } from '../cohort/empirical.js';
import { compileCohort } from '../cohort/compile-cohort.js';
import { compileCriteria, type Criterion } from '../screening/criteria.js';
import { compileTrial } from '../trial/compile-trial.js';
import { ADSL_CALENDAR_COLUMNS, ADSL_ID_COLUMNS, ADSL_PROGNOSTIC_COLUMN, ADSL_STATUS_COLUMNS } from '../adam/adam-tables.js';
import type { TrialModel } from '../trial/trial-model.js';
import type { PrognosticRuntime } from '../twins/prognostic.js';
import { readHistoricalFit } from './read-historical.js';
import { defaultPlan } from '../analysis/analyse-trial.js';
import type { CohortSpec } from '../spec/cohort-schema.js';
import { DEFAULT_SCREENING_FACTOR, enrolmentSchema, protocolSchema, type ProtocolSpec } from '../spec/protocol-schema.js';
import { SpecError, type SpecIssue } from '../spec/spec-error.js';
import { overLimit, resolveLimits } from '../spec/limits.js';
import { repairShape, touches } from '../spec/repair-shape.js';
import { applyScenario, BASE_SCENARIO, scenarioIssues, type ScenarioSpec } from '../replicates/scenarios.js';
import type { ExternalCohort } from '../trial/simulate-trial.js';
import { checkCohortShape } from '../spec/validate-cohort.js';
import { zodToSpecIssues } from '../spec/zod-issues.js';
import { readEmpiricalCsv } from './read-empirical.js';
import { DataError } from '../errors/data-error.js';
import { readSpecFile, type SpecFile } from './read-spec-file.js';

export interface LoadedCohort {
  file: string;
  sha256: string;
  spec: CohortSpec;
  model: CohortModel;
  /** The empirical table the model draws from (workers compile the cohort again from spec and table). */
  empirical?: EmpiricalTable;
  /** Data files the cohort read (empirical CSV), with hashes. */
  inputs: { file: string; sha256: string }[];
}

function fail(sf: SpecFile, issues: Parameters<SpecFile['locate']>[0]): never {
  throw new SpecError(sf.file, sf.locate(issues));
}

export function loadCohort(file: string): LoadedCohort {
  const sf = readSpecFile(file);
  const shape = checkCohortShape(sf.data);
  if (!shape.partial) fail(sf, shape.issues);
  const spec = shape.partial;
  const inputs: LoadedCohort['inputs'] = [];
  let table;
  if (spec.empirical) {
    const csvPath = resolve(dirname(file), spec.empirical.file);
    const shown = relative(process.cwd(), csvPath) || csvPath;
    table = readEmpiricalCsv(csvPath, shown, spec.empirical.columns);
    inputs.push({ file: shown, sha256: table.sha256 });
  }
  const compiled = compileCohort(spec, table, shape.broken);
  const issues = [...shape.issues, ...(compiled.ok ? [] : compiled.issues)];
  if (issues.length > 0 || !compiled.ok) fail(sf, issues);
  return { file, sha256: sf.sha256, spec, model: compiled.model, empirical: table, inputs };
}

export type ResolvedProtocolSpec = ProtocolSpec & { enrolment: ProtocolSpec['enrolment'] & { max_screened: number } };

/** The protocol under one scenario, compiled exactly like the protocol itself. */
export interface LoadedScenario {
  scenario: ScenarioSpec;
  spec: ResolvedProtocolSpec;
  cohort: LoadedCohort;
  criteria: Criterion[];
  trial?: TrialModel;
  prognostic?: PrognosticRuntime;
  /** External control twins' cohort and criteria (synthetic or hybrid control arm). */
  external?: ExternalCohort;
  /** Every file this scenario reads besides the protocol (see LoadedProtocol.inputs). */
  inputs: InputFile[];
}

/** A file a command reads, as messages show it, with its SHA-256. */
export interface InputFile {
  file: string;
  sha256: string;
}

export interface LoadedProtocol {
  file: string;
  sha256: string;
  spec: ResolvedProtocolSpec;
  cohort: LoadedCohort;
  criteria: Criterion[];
  /** The compiled trial, when the protocol has arms (a screening-only protocol has none). */
  trial?: TrialModel;
  prognostic?: PrognosticRuntime;
  /** Every scenario, "base" first, each fully checked and compiled. */
  scenarios: LoadedScenario[];
  /**
   * Every file the protocol reads besides itself, over all scenarios, each once with its SHA-256:
   * cohorts and their empirical CSVs, external control cohorts and theirs, historical CSVs of a
   * prognostic score. Recorded in run.json, and never replaced by an output (RunWriter.open).
   */
  inputs: InputFile[];
  /** Every cohort the scenarios read (screened or external control), each loaded once. */
  cohorts: LoadedCohort[];
}

/** Loads a protocol, its cohort and every scenario (`cohortFile` overrides the protocol's `cohort:` path). */
export function loadProtocol(file: string, cohortFile?: string): LoadedProtocol {
  return loadProtocolFrom(readSpecFile(file), cohortFile);
}

/** Loads a protocol already read (a sweep point: the file's data with values set), checked exactly as loadProtocol checks a file. */
export function loadProtocolFrom(sf: SpecFile, cohortFile?: string): LoadedProtocol {
  const file = sf.file;
  const parsed = protocolSchema.safeParse(sf.data, { reportInput: true });
  if (!parsed.success) fail(sf, [...zodToSpecIssues(parsed.error, sf.data), ...issuesDespiteShape(sf.data, file, cohortFile)]);
  const spec = parsed.data;
  if (!cohortFile && !spec.cohort) fail(sf, [{ path: ['cohort'], message: 'is required (the path of a cohort spec, relative to this file), unless --cohort is given' }]);
  const cohortPath = cohortFile ?? relativeTo(file, spec.cohort!);
  const cohorts = new Map<string, LoadedCohort>();
  const fits: HistoricalFits = new Map();
  // The protocol's own cohort: a file that cannot be read is reported at the protocol's `cohort:` line.
  cohorts.set(cohortPath, loadReferencedCohort(sf, cohortPath, !cohortFile));
  const base = compileProtocol(file, spec, cohortPath, cohorts, listsAnalyses(sf.data), fits);
  if ('issues' in base) fail(sf, base.issues);
  const scenarios: LoadedScenario[] = [{ ...base.loaded, scenario: BASE_SCENARIO }];
  const issues: SpecIssue[] = [];
  spec.scenarios.forEach((sc, i) => {
    if (scenarios.some((x) => x.scenario.name === sc.name)) {
      issues.push({ path: ['scenarios', i, 'name'], message: `scenario "${sc.name}" is ${sc.name === 'base' ? 'the name of the protocol as written' : 'listed twice'}` });
      return;
    }
    const applied = applyScenario(spec, sc, i);
    issues.push(...applied.issues);
    // A scenario that changes the target keeps the protocol's screening ratio unless it sets a cap.
    const enrolment = applied.data.enrolment as ProtocolSpec['enrolment'];
    if ('enrolment.target' in sc.set && !('enrolment.max_screened' in sc.set) && spec.enrolment.max_screened !== undefined && typeof enrolment.target === 'number') {
      enrolment.max_screened = Math.ceil((spec.enrolment.max_screened * enrolment.target) / spec.enrolment.target);
    }
    const reparsed = protocolSchema.safeParse(applied.data, { reportInput: true });
    if (!reparsed.success) return void issues.push(...scenarioIssues(zodToSpecIssues(reparsed.error, applied.data), sc, i));
    if (applied.issues.length > 0) return;
    // `set: { cohort: other.yaml }` screens that cohort (relative to this file) in the scenario.
    const path = typeof sc.set.cohort === 'string' ? relativeTo(file, sc.set.cohort) : cohortPath;
    let compiled: ReturnType<typeof compileProtocol>;
    try {
      compiled = compileProtocol(file, reparsed.data, path, cohorts, scenarioListsAnalyses(sf.data, sc), fits);
    } catch (err) {
      // A cohort (or data file) the scenario names is broken: report it at the scenario, with the others.
      if (!(err instanceof SpecError) && !(err instanceof DataError)) throw err;
      const key = ['cohort', 'control_arm.external_cohort', 'prognostic_score.file'].find((k) => k in sc.set);
      return void issues.push({ path: key ? ['scenarios', i, 'set', key] : ['scenarios', i], message: `in scenario ${sc.name}: ${err.message.split('\n').map((l) => l.trim()).join('; ')}` });
    }
    if ('issues' in compiled) return void issues.push(...scenarioIssues(compiled.issues, sc, i));
    scenarios.push({ ...compiled.loaded, scenario: sc });
  });
  if (issues.length > 0) fail(sf, issues);
  const b = scenarios[0]!;
  const inputs = [...new Map(scenarios.flatMap((x) => x.inputs).map((i) => [i.file, i])).values()];
  return { file, sha256: sf.sha256, spec: b.spec, cohort: b.cohort, criteria: b.criteria, trial: b.trial, prognostic: b.prognostic, scenarios, inputs, cohorts: [...cohorts.values()] };
}

/** Historical fits by file, outcome and covariates. */
type HistoricalFits = Map<string, ReturnType<typeof readHistoricalFit>>;

/** The cohort's covariates whose names ADSL also uses for its own columns. */
function adslClashes(cohort: CohortModel): string[] {
  const reserved = new Set<string>([...ADSL_ID_COLUMNS, ...ADSL_STATUS_COLUMNS, ...ADSL_CALENDAR_COLUMNS, ADSL_PROGNOSTIC_COLUMN]);
  return cohort.columns.map((c) => c.name).filter((n) => reserved.has(n));
}

const clashMessage = (names: readonly string[], cohortPath: string): string =>
  `the cohort ${cohortPath} defines ${names.join(', ')}, ${names.length > 1 ? 'names' : 'a name'} ADSL uses for its own column${names.length > 1 ? 's' : ''}; rename ${names.length > 1 ? 'them' : 'it'} in the cohort`;

/** A path written in `file`, relative to the working directory (as messages show it). */
function relativeTo(file: string, path: string): string {
  return relative(process.cwd(), resolve(dirname(file), path)) || path;
}

/** Whether the protocol as written has an `analysis` section that lists `primary` or `secondary` analyses. */
function listsAnalyses(raw: unknown): boolean {
  const a = (raw as { analysis?: unknown } | null)?.analysis;
  return typeof a === 'object' && a !== null && (Object.hasOwn(a, 'primary') || Object.hasOwn(a, 'secondary'));
}

/** Whether the protocol under a scenario lists its analyses: as written, or set by the scenario. */
function scenarioListsAnalyses(raw: unknown, sc: ScenarioSpec): boolean {
  const set = sc.set as Record<string, unknown>;
  if (Object.hasOwn(set, 'analysis')) return listsAnalyses({ analysis: set.analysis });
  return listsAnalyses(raw) || Object.keys(set).some((k) => /^analysis\.(primary|secondary)(\.|$)/.test(k));
}

/**
 * The analysis plan a run applies: an `analysis` section without `primary` and `secondary`
 * (settings only, such as `alpha: 0.01`) analyses the endpoints as if the section were absent
 * (the first primary, the others secondary), with its settings; lists that are given but both
 * empty would analyse nothing, which is a spec problem rather than a run of header-only tables.
 */
function resolvePlan(spec: ProtocolSpec, trial: TrialModel | undefined, listed: boolean): { plan?: ProtocolSpec['analysis']; issues: SpecIssue[] } {
  const a = spec.analysis;
  if (!a || !trial) return { plan: a, issues: [] };
  if (!listed) {
    const d = defaultPlan(trial);
    return { plan: { ...a, primary: d.primary, secondary: d.secondary }, issues: [] };
  }
  if (a.primary.length === 0 && a.secondary.length === 0 && trial.endpoints.length > 0) {
    return { issues: [{ path: ['analysis'], message: 'names no analyses (primary and secondary are both empty); list at least one, or leave both out to analyse every endpoint by default (the first as primary, the others as secondary)' }] };
  }
  return { plan: a, issues: [] };
}

/**
 * Compiles a shape-checked protocol against its cohort: criteria, trial, prognostic score,
 * screening cap and size limits. Problems of this protocol come back as issues (paths in it);
 * a broken cohort or data file throws its own SpecError or DataError.
 * @param cohorts cohorts loaded so far, by path (scenarios share them)
 * @param listed whether the protocol as written lists its analyses (see resolvePlan)
 * @param fits historical fits read so far (scenarios share them, so each file is read once)
 */
function compileProtocol(file: string, spec: ProtocolSpec, cohortPath: string, cohorts: Map<string, LoadedCohort>, listed = true, fits: HistoricalFits = new Map()): { loaded: Omit<LoadedScenario, 'scenario'> } | { issues: SpecIssue[] } {
  let cohort = cohorts.get(cohortPath);
  if (!cohort) cohorts.set(cohortPath, (cohort = loadCohort(cohortPath)));
  const limits = resolveLimits(spec.limits);
  const issues: SpecIssue[] = [];
  const target = spec.enrolment.target;
  if (target > limits.max_enrolled) issues.push({ path: ['enrolment', 'target'], message: overLimit('max_enrolled', limits, target) });
  const explicitCap = spec.enrolment.max_screened;
  if (explicitCap !== undefined && explicitCap > limits.max_screened) issues.push({ path: ['enrolment', 'max_screened'], message: overLimit('max_screened', limits, explicitCap) });
  // The default cap (20 x target) stays within the limit, but never below the target.
  const max = explicitCap ?? Math.max(target, Math.min(DEFAULT_SCREENING_FACTOR * target, limits.max_screened));
  if (max < target) issues.push({ path: ['enrolment', 'max_screened'], message: `must be at least the target (${target}), found ${max}` });
  if (issues.length > 0) return { issues };

  const inputs: InputFile[] = [{ file: cohort.file, sha256: cohort.sha256 }, ...cohort.inputs];
  // A covariate named like an ADSL column would give ADSL two columns of that name (and the analysis the wrong one).
  const clash = spec.arms ? adslClashes(cohort.model) : [];
  if (clash.length) issues.push({ path: ['cohort'], message: clashMessage(clash, cohortPath) });
  const criteria = compileCriteria(spec.enrolment, cohort.model.scope);
  const trial = spec.arms ? compileTrial(spec, cohort.model.scope) : undefined;
  issues.push(...(criteria.ok ? [] : criteria.issues), ...(trial && !trial.ok ? trial.issues : []));
  if (issues.length > 0 || !criteria.ok) return { issues: issues.map((i) => (/unknown name|not a level|covariate/.test(i.message) ? { ...i, message: `${i.message} (cohort: ${cohortPath})` } : i)) };
  const plan = resolvePlan(spec, trial?.ok ? trial.model : undefined, listed);
  if (plan.issues.length > 0) return { issues: plan.issues };
  let prognostic: PrognosticRuntime | undefined;
  const ps = spec.prognostic_score;
  if (ps && trial?.ok) {
    const e = trial.model.endpoints.find((x) => x.id === ps.endpoint);
    if (!e) issues.push({ path: ['prognostic_score', 'endpoint'], message: `unknown endpoint "${ps.endpoint}"; endpoints: ${trial.model.endpoints.map((x) => x.id).join(', ')}` });
    else if (e.kind !== 'continuous') issues.push({ path: ['prognostic_score', 'endpoint'], message: `the prognostic score predicts a continuous endpoint; ${ps.endpoint} is ${e.kind}` });
    if (ps.method === 'historical') {
      if (!ps.file) issues.push({ path: ['prognostic_score', 'file'], message: 'is required for method: historical (a CSV of historical controls)' });
      if (!ps.outcome) issues.push({ path: ['prognostic_score', 'outcome'], message: 'is required for method: historical (the outcome column)' });
      if (ps.covariates.length === 0) issues.push({ path: ['prognostic_score', 'covariates'], message: 'list at least one covariate for method: historical' });
      ps.covariates.forEach((c, i) => {
        if (cohort.model.scope.get(c)?.kind !== 'number') issues.push({ path: ['prognostic_score', 'covariates', i], message: `"${c}" is not a numeric covariate of the cohort` });
      });
    }
    if (issues.length > 0) return { issues };
    let fit: PrognosticRuntime['fit'];
    if (ps.method === 'historical') {
      const key = JSON.stringify([relativeTo(file, ps.file!), ps.outcome, ps.covariates]);
      const read = fits.get(key) ?? readHistoricalFit(resolve(dirname(file), ps.file!), relativeTo(file, ps.file!), ps.outcome!, ps.covariates);
      fits.set(key, read);
      fit = read.fit;
      inputs.push({ file: relativeTo(file, ps.file!), sha256: read.sha256 });
    }
    prognostic = { endpoint: ps.endpoint, method: ps.method, draws: ps.draws, fit };
  }
  let external: ExternalCohort | undefined;
  const ext = trial?.ok ? trial.model.externalControl : undefined;
  if (ext) {
    // The external twins are screened with the trial's criteria, so these must compile against their cohort too.
    const extPath = spec.control_arm?.external_cohort ? relativeTo(file, spec.control_arm.external_cohort) : cohortPath;
    let extCohort = cohorts.get(extPath);
    if (!extCohort) cohorts.set(extPath, (extCohort = loadCohort(extPath)));
    const extCriteria = extPath === cohortPath ? criteria : compileCriteria(spec.enrolment, extCohort.model.scope);
    if (!extCriteria.ok) return { issues: extCriteria.issues.map((i) => ({ ...i, message: `${i.message} (against the external cohort ${extPath})` })) };
    // External twins are simulated and analysed like the trial's: every formula, analysis covariate
    // and stratum the protocol names must exist in their cohort too (else run would fail, or put
    // them all in one blank stratum).
    const extTrial = extPath === cohortPath ? undefined : compileTrial(spec, extCohort.model.scope);
    if (extTrial && !extTrial.ok) return { issues: extTrial.issues.map((i) => ({ ...i, message: `${i.message} (against the external cohort ${extPath})` })) };
    const extClash = adslClashes(extCohort.model);
    if (extClash.length) return { issues: [{ path: ['control_arm', 'external_cohort'], message: clashMessage(extClash, extPath) }] };
    external = { cohort: extCohort.model, criteria: extCriteria.criteria };
    inputs.push({ file: extCohort.file, sha256: extCohort.sha256 }, ...extCohort.inputs);
  }
  return {
    loaded: {
      spec: { ...spec, enrolment: { ...spec.enrolment, max_screened: max }, analysis: plan.plan },
      cohort,
      criteria: criteria.criteria,
      trial: trial?.ok ? trial.model : undefined,
      prognostic,
      external,
      inputs,
    },
  };
}

/**
 * When the protocol's shape has problems, the later checks still run on a repaired copy (see
 * repair-shape.ts), so every problem is listed at once; problems inside a repaired object are the
 * repair's, not the user's, and are left out. Where no repair is possible, the criteria alone are
 * checked.
 */
function issuesDespiteShape(data: unknown, file: string, cohortFile?: string): SpecIssue[] {
  const fixed = repairShape(protocolSchema, data);
  if (!fixed) return criteriaIssuesDespiteShape(data, file, cohortFile);
  const cohortPath = cohortFile ?? (fixed.spec.cohort ? relativeTo(file, fixed.spec.cohort) : undefined);
  if (!cohortPath) return [];
  try {
    const r = compileProtocol(file, fixed.spec, cohortPath, new Map());
    return 'issues' in r ? r.issues.filter((i) => !touches(i.path, fixed.repaired)) : [];
  } catch (err) {
    // The cohort's or a data file's own problems are reported once the protocol's shape is sound.
    if (err instanceof SpecError || err instanceof DataError) return [];
    throw err;
  }
}

/**
 * When the protocol's shape has problems, its criteria are still checked against the cohort (if
 * the enrolment section and the cohort are sound), so every problem is listed at once.
 */
function criteriaIssuesDespiteShape(data: unknown, file: string, cohortFile?: string): SpecIssue[] {
  const raw = data as { enrolment?: unknown; cohort?: unknown };
  const enrolment = enrolmentSchema.safeParse(raw.enrolment);
  const cohortPath = cohortFile ?? (typeof raw.cohort === 'string' && raw.cohort !== '' ? relativeTo(file, raw.cohort) : undefined);
  if (!enrolment.success || !cohortPath) return [];
  let scope;
  try {
    scope = loadCohort(cohortPath).model.scope;
  } catch {
    return []; // the cohort's own problems are reported once the protocol's shape is sound
  }
  const criteria = compileCriteria(enrolment.data, scope);
  return criteria.ok ? [] : criteria.issues;
}

/** Loads the protocol's cohort; a cohort file that cannot be read is reported at the protocol's `cohort:` line. */
function loadReferencedCohort(sf: SpecFile, cohortPath: string, fromProtocol: boolean): LoadedCohort {
  try {
    return loadCohort(cohortPath);
  } catch (err) {
    const unreadable = err instanceof SpecError && err.file === cohortPath && err.issues.length === 1 && err.issues[0]!.path.length === 0 && !err.issues[0]!.line;
    if (fromProtocol && unreadable) fail(sf, [{ path: ['cohort'], message: `cannot load the cohort ${cohortPath}: ${(err as SpecError).issues[0]!.message} (the path is relative to this protocol)` }]);
    throw err;
  }
}

/** Decides whether a spec file is a cohort or a protocol (`kind:` if given, else by its keys). */
export function specKind(file: string): 'cohort' | 'protocol' {
  const data = readSpecFile(file).data as Record<string, unknown>;
  if (data.kind === 'protocol' || data.kind === 'cohort') return data.kind;
  return 'enrolment' in data || 'arms' in data ? 'protocol' : 'cohort';
}
