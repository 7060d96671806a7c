/** Checks an analysis plan against the protocol's endpoints and the cohort's covariates. */
import type { Scope } from '../expr/compile.js';
import type { AnalysisPlan } from './analysis-schema.js';
import { ANALYSIS_METHODS, analysisMethod, methodsFor } from '../methods/registry.js';
import type { EndpointSpec } from './model-schemas.js';
import type { IssueList } from './spec-error.js';
import { closestName } from '../util/closest-name.js';

/** "ancova and cox": the methods that take covariates. */
const METHOD_LIST_ADJUSTING = (): string => {
  const names = [...ANALYSIS_METHODS.values()].filter((m) => m.adjusts).map((m) => m.id);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join('');
};

/**
 * @param endpointVisit the visit index (0 = baseline) of a continuous or responder endpoint, once
 *   the schedule is compiled (repeated-measures methods need two post-baseline visits or more).
 * @param arms the protocol's arms (mi's `reference` must name its control arm).
 */
export function checkAnalysisPlan(plan: AnalysisPlan, endpoints: readonly EndpointSpec[], scope: Scope, issues: IssueList, prognosticEndpoint?: string, endpointVisit?: (id: string) => number | undefined, arms?: readonly { id: string; role: string }[]): void {
  const ids = endpoints.map((e) => e.id);
  for (const role of ['primary', 'secondary'] as const) {
    plan[role].forEach((item, i) => {
      const path = ['analysis', role, i];
      const e = endpoints.find((x) => x.id === item.endpoint);
      if (!e) {
        const hint = closestName(item.endpoint, ids);
        issues.add([...path, 'endpoint'], `unknown endpoint "${item.endpoint}"${hint ? ` (did you mean "${hint}"?)` : ''}; endpoints: ${ids.join(', ') || '(none defined)'}`);
        return;
      }
      const allowed = methodsFor(e.type).map((m) => m.id);
      if (!allowed.includes(item.method)) issues.add([...path, 'method'], `"${item.method}" does not apply to a ${e.type} endpoint; use ${allowed.join(' or ')}`);
      item.covariates.forEach((c, j) => {
        if (c === 'TRT') return void issues.add([...path, 'covariates', j], 'TRT is the treatment indicator of every model; a covariate cannot have that name (rename it in the cohort)');
        if (c === 'PROG') {
          if (prognosticEndpoint !== item.endpoint) issues.add([...path, 'covariates', j], prognosticEndpoint ? `PROG is the prognostic score of ${prognosticEndpoint}, not of ${item.endpoint}` : 'PROG needs a prognostic_score section in the protocol');
          return;
        }
        if (c === 'BASE') {
          if (e.type === 'time_to_event') issues.add([...path, 'covariates', j], 'BASE (the baseline value) applies to continuous and responder endpoints');
          return;
        }
        const t = scope.get(c);
        if (!t || t.kind !== 'number') issues.add([...path, 'covariates', j], `"${c}" is not a numeric covariate of the cohort (or BASE, PROG)`);
      });
      if (item.covariates.length && !analysisMethod(item.method).adjusts) issues.add([...path, 'covariates'], `covariates apply to ${METHOD_LIST_ADJUSTING()}, not ${item.method}`);
      if (item.strata?.length && !analysisMethod(item.method).stratifies) issues.add([...path, 'strata'], `strata apply to ${[...ANALYSIS_METHODS.values()].filter((m) => m.stratifies).map((m) => m.id).join(' and ')}, not ${item.method}`);
      (item.strata ?? []).forEach((c, j) => {
        const t = scope.get(c);
        if (!t) issues.add([...path, 'strata', j], `"${c}" is not a covariate of the cohort (strata are cohort covariates, e.g. the randomisation's stratify_by)`);
        else if (t.kind === 'number') issues.add([...path, 'strata', j], `"${c}" is numeric: nearly every twin would be a stratum of its own; stratify by a categorical covariate (derive one, e.g. an age group)`);
      });
      const cis = analysisMethod(item.method).cis ?? [];
      if (item.ci !== undefined && !cis.includes(item.ci)) issues.add([...path, 'ci'], cis.length ? `${item.method} offers the intervals ${cis.join(' and ')}` : `${item.method} has one confidence interval; ci applies to ${[...ANALYSIS_METHODS.values()].filter((m) => m.cis?.length).map((m) => m.id).join(', ')}`);
      const repeated = [...ANALYSIS_METHODS.values()].filter((m) => m.repeated).map((m) => m.id);
      if (item.covariance !== undefined && !analysisMethod(item.method).repeated) issues.add([...path, 'covariance'], `covariance applies to ${repeated.join(' and ')}, not ${item.method}`);
      const visit = endpointVisit?.(e.id);
      if (analysisMethod(item.method).repeated && e.type === 'continuous' && visit !== undefined && visit < 2) {
        issues.add([...path, 'method'], `${item.method} needs repeated measures, but ${e.id} is measured at the first visit after baseline (one post-baseline visit); use ancova`);
      }
      checkImputation(item, path, issues, arms);
      if ((item.sided ?? plan.sided) === 'one' && !item.direction) issues.add([...path, 'direction'], 'is required for a one-sided test (decrease or increase: the direction that favours the active arm)');
    });
  }
}

/** mi's keys: only on mi; a reference that is the protocol's control arm (each comparison's reference). */
function checkImputation(item: AnalysisPlan['primary'][number], path: (string | number)[], issues: IssueList, arms?: readonly { id: string; role: string }[]): void {
  for (const key of ['imputation', 'imputations', 'delta', 'reference', 'tipping_point'] as const) {
    if (item[key] !== undefined && item.method !== 'mi') issues.add([...path, key], `${key} applies to mi (multiple imputation), not ${item.method}`);
  }
  if (item.method !== 'mi' || item.reference === undefined || !arms) return;
  const arm = arms.find((a) => a.id === item.reference);
  const control = arms.find((a) => a.role === 'control');
  if (!arm) {
    const hint = closestName(item.reference, arms.map((a) => a.id));
    issues.add([...path, 'reference'], `"${item.reference}" is not an arm${hint ? ` (did you mean "${hint}"?)` : ''}; arms: ${arms.map((a) => a.id).join(', ')}`);
  } else if (arm !== control) {
    issues.add([...path, 'reference'], `the reference arm must be the control arm${control ? ` (${control.id})` : ''}: each comparison imputes from its own two arms' model, so another active arm cannot be the reference`);
  }
}
