/** Enrolment criteria compiled against a cohort's covariates. */
import { compilePredicate, ExprEvalError, type Row, type Scope } from '../expr/compile.js';
import { formulaFailure, SimulationError } from '../errors/simulation-error.js';
import type { EnrolmentSpec } from '../spec/protocol-schema.js';
import { IssueList, type SpecIssue } from '../spec/spec-error.js';

export interface Criterion {
  id: string;
  kind: 'inclusion' | 'exclusion';
  text: string;
  expr: string;
  /** True when the twin fails the criterion (an inclusion false, or an exclusion true). */
  fails: (row: Row) => boolean;
}

export type CriteriaResult = { ok: true; criteria: Criterion[] } | { ok: false; issues: SpecIssue[] };

export function compileCriteria(enrolment: EnrolmentSpec, scope: Scope, pathPrefix: (string | number)[] = ['enrolment']): CriteriaResult {
  const issues = new IssueList();
  const criteria: Criterion[] = [];
  const seen = new Map<string, string>();
  for (const kind of ['inclusion', 'exclusion'] as const) {
    enrolment[kind].forEach((c, i) => {
      const path = [...pathPrefix, kind, i];
      const where = seen.get(c.id);
      if (where) issues.add([...path, 'id'], `criterion id "${c.id}" is already used by ${where}`);
      seen.set(c.id, `${kind}[${i}]`);
      try {
        const predicate = compilePredicate(c.expr, scope);
        const holds = (r: Row): boolean => {
          try {
            return predicate(r);
          } catch (err) {
            // NaN in a comparison would silently decide the criterion: an error naming it (the screening loop adds the twin).
            if (err instanceof ExprEvalError) throw new SimulationError('cohort', `${kind} criterion ${c.id}`, formulaFailure(c.expr, r, err));
            throw err;
          }
        };
        const fails = kind === 'inclusion' ? (r: Row) => !holds(r) : holds;
        criteria.push({ id: c.id, kind, text: c.text ?? c.expr, expr: c.expr, fails });
      } catch (err) {
        issues.add([...path, 'expr'], (err as Error).message);
      }
    });
  }
  return issues.ok ? { ok: true, criteria } : { ok: false, issues: issues.items };
}

/** Index of the first criterion the twin fails, or -1 if eligible. Inclusion criteria come first. */
export function firstFailed(criteria: readonly Criterion[], row: Row): number {
  for (let i = 0; i < criteria.length; i++) if (criteria[i]!.fails(row)) return i;
  return -1;
}
