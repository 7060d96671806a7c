/**
 * Loads and fully checks spec files: read (YAML/JSON), shape-check (zod), load the empirical
 * CSV, compile. Throws SpecError (every problem, with file:line:column) or DataError.
 */
import { dirname, relative, resolve } from 'node:path';
import type { CohortModel } from '../cohort/cohort-model.js';
import { compileCohort } from '../cohort/compile-cohort.js';
import { compileCriteria, type Criterion } from '../screening/criteria.js';
import { compileTrial } from '../trial/compile-trial.js';
import type { TrialModel } from '../trial/trial-model.js';
import type { PrognosticRuntime } from '../twins/prognostic.js';
import { readHistoricalFit } from './read-historical.js';
import type { CohortSpec } from '../spec/cohort-schema.js';
import { DEFAULT_SCREENING_FACTOR, enrolmentSchema, protocolSchema, type ProtocolSpec } from '../spec/protocol-schema.js';
import { SpecError, type SpecIssue } from '../spec/spec-error.js';
import { checkCohortShape } from '../spec/validate-cohort.js';
import { zodToSpecIssues } from '../spec/zod-issues.js';
import { readEmpiricalCsv } from './read-empirical.js';
import { readSpecFile, type SpecFile } from './read-spec-file.js';

export interface LoadedCohort {
  file: string;
  sha256: string;
  spec: CohortSpec;
  model: CohortModel;
  /** Data files the cohort read (empirical CSV), with hashes. */
  inputs: { file: string; sha256: string }[];
}

export interface LoadedProtocol {
  file: string;
  sha256: string;
  spec: ProtocolSpec & { enrolment: ProtocolSpec['enrolment'] & { max_screened: number } };
  cohort: LoadedCohort;
  criteria: Criterion[];
  /** The compiled trial, when the protocol has arms (a screening-only protocol has none). */
  trial?: TrialModel;
  prognostic?: PrognosticRuntime;
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
  return { file, sha256: sf.sha256, spec, model: compiled.model, inputs };
}

/** Loads a protocol and its cohort (`cohortFile` overrides the protocol's `cohort:` path). */
export function loadProtocol(file: string, cohortFile?: string): LoadedProtocol {
  const sf = readSpecFile(file);
  const parsed = protocolSchema.safeParse(sf.data, { reportInput: true });
  if (!parsed.success) fail(sf, [...zodToSpecIssues(parsed.error, sf.data), ...criteriaIssuesDespiteShape(sf.data, file, cohortFile)]);
  const spec = parsed.data;
  let cohortPath = cohortFile;
  if (!cohortPath) {
    if (!spec.cohort) fail(sf, [{ path: ['cohort'], message: 'is required (the path of a cohort spec, relative to this file), unless --cohort is given' }]);
    cohortPath = relative(process.cwd(), resolve(dirname(file), spec.cohort)) || spec.cohort;
  }
  const cohort = loadReferencedCohort(sf, cohortPath, !cohortFile);
  const criteria = compileCriteria(spec.enrolment, cohort.model.scope);
  const trial = spec.arms ? compileTrial(spec, cohort.model.scope) : undefined;
  const issues = [...(criteria.ok ? [] : criteria.issues), ...(trial && !trial.ok ? trial.issues : [])];
  if (issues.length > 0 || !criteria.ok) fail(sf, issues.map((i) => (/unknown name|not a level|covariate/.test(i.message) ? { ...i, message: `${i.message} (cohort: ${cohortPath})` } : i)));
  let prognostic: PrognosticRuntime | undefined;
  const ps = spec.prognostic_score;
  if (ps && trial?.ok) {
    const e = trial.model.endpoints.find((x) => x.id === ps.endpoint);
    const bad: SpecIssue[] = [];
    if (!e) bad.push({ path: ['prognostic_score', 'endpoint'], message: `unknown endpoint "${ps.endpoint}"; endpoints: ${trial.model.endpoints.map((x) => x.id).join(', ')}` });
    else if (e.kind !== 'continuous') bad.push({ path: ['prognostic_score', 'endpoint'], message: `the prognostic score predicts a continuous endpoint; ${ps.endpoint} is ${e.kind}` });
    if (ps.method === 'historical') {
      if (!ps.file) bad.push({ path: ['prognostic_score', 'file'], message: 'is required for method: historical (a CSV of historical controls)' });
      if (!ps.outcome) bad.push({ path: ['prognostic_score', 'outcome'], message: 'is required for method: historical (the outcome column)' });
      if (ps.covariates.length === 0) bad.push({ path: ['prognostic_score', 'covariates'], message: 'list at least one covariate for method: historical' });
      ps.covariates.forEach((c, i) => {
        if (cohort.model.scope.get(c)?.kind !== 'number') bad.push({ path: ['prognostic_score', 'covariates', i], message: `"${c}" is not a numeric covariate of the cohort` });
      });
    }
    if (bad.length) fail(sf, bad);
    const fit = ps.method === 'historical' ? readHistoricalFit(resolve(dirname(file), ps.file!), relative(process.cwd(), resolve(dirname(file), ps.file!)), ps.outcome!, ps.covariates) : undefined;
    prognostic = { endpoint: ps.endpoint, method: ps.method, draws: ps.draws, fit };
  }
  const max = spec.enrolment.max_screened ?? DEFAULT_SCREENING_FACTOR * spec.enrolment.target;
  if (max < spec.enrolment.target) {
    fail(sf, [{ path: ['enrolment', 'max_screened'], message: `must be at least the target (${spec.enrolment.target}), found ${max}` }]);
  }
  return {
    file,
    sha256: sf.sha256,
    spec: { ...spec, enrolment: { ...spec.enrolment, max_screened: max } },
    cohort,
    criteria: criteria.criteria,
    trial: trial?.ok ? trial.model : undefined,
    prognostic,
  };
}

/**
 * When the protocol's shape has problems, its criteria are still checked against the cohort (if
 * the enrolment section and the cohort are sound), so every problem is listed at once.
 */
function criteriaIssuesDespiteShape(data: unknown, file: string, cohortFile?: string): SpecIssue[] {
  const raw = data as { enrolment?: unknown; cohort?: unknown };
  const enrolment = enrolmentSchema.safeParse(raw.enrolment);
  const cohortPath = cohortFile ?? (typeof raw.cohort === 'string' && raw.cohort !== '' ? relative(process.cwd(), resolve(dirname(file), raw.cohort)) || raw.cohort : undefined);
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
