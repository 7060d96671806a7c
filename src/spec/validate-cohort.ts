/** Shape-checks a parsed cohort spec (the zod part); returns the typed spec or the issues. */
import { drawnCovariateSchemas, derivedCovariateSchema, cohortTopSchema, DIST_NAMES, type CohortSpec, type CovariateSpec, type DistName } from './cohort-schema.js';
import { IssueList, describeFound, type SpecIssue } from './spec-error.js';
import { zodToSpecIssues } from './zod-issues.js';
import { closestName } from '../util/closest-name.js';
import { RESERVED_KEY } from '../util/spreadsheet-safety.js';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: SpecIssue[] };

export interface CohortShape {
  issues: SpecIssue[];
  /**
   * The valid part of the spec, so the compiler can still report the problems it finds there
   * (all problems are listed together); undefined when the top level is unusable.
   */
  partial?: CohortSpec;
  /** Covariates whose entries are broken: known names (no cascade of "unknown name"), never drawn. */
  broken: string[];
}

export function checkCohortShape(data: unknown): CohortShape {
  const issues = new IssueList();
  const top = cohortTopSchema.safeParse(data, { reportInput: true });
  if (!top.success) issues.addAll([], zodToSpecIssues(top.error, data));
  const raw = (data ?? {}) as Record<string, unknown>;
  const covIn = top.success ? (top.data.covariates ?? {}) : isMapping(raw.covariates) ? (raw.covariates as Record<string, unknown>) : {};
  // No prototype: covariate names are user text ("constructor" must be only the covariate).
  const covariates: Record<string, CovariateSpec> = Object.create(null) as Record<string, CovariateSpec>;
  const broken: string[] = [];

  for (const [name, entry] of Object.entries(covIn)) {
    const path = ['covariates', name];
    if (!NAME_RE.test(name)) {
      issues.add(path, 'a covariate name must be letters, digits and _ (not starting with a digit), so formulas can use it');
      continue;
    }
    if (name === RESERVED_KEY) {
      issues.add(path, `"${RESERVED_KEY}" is reserved (it would reach JavaScript's object prototype); choose another name`, true);
      continue;
    }
    if (!isMapping(entry)) {
      issues.add(path, `expected a mapping with "dist" (a distribution) or "derive" (a formula), found ${describeFound(entry)}`);
      continue;
    }
    const e = entry as Record<string, unknown>;
    let parsed;
    if ('derive' in e) {
      parsed = derivedCovariateSchema.safeParse(e, { reportInput: true });
    } else if (typeof e.dist === 'string' && (DIST_NAMES as string[]).includes(e.dist)) {
      parsed = drawnCovariateSchemas[e.dist as DistName].safeParse(e, { reportInput: true });
    } else if ('dist' in e) {
      const hint = typeof e.dist === 'string' ? closestName(e.dist, DIST_NAMES) : undefined;
      issues.add([...path, 'dist'], `expected one of ${DIST_NAMES.join(', ')}${hint ? ` (did you mean "${hint}"?)` : ''}, found ${describeFound(e.dist)}`);
      // Check the other keys as if the likely meant distribution had been written, so a typo in
      // `dist` does not hide the entry's other problems until the next run.
      if (hint) {
        const asMeant = drawnCovariateSchemas[hint as DistName].safeParse({ ...e, dist: hint }, { reportInput: true });
        if (!asMeant.success) issues.addAll(path, zodToSpecIssues(asMeant.error, { ...e, dist: hint }).filter((i) => i.path[0] !== 'dist'));
      }
      broken.push(name);
      continue;
    } else {
      issues.add(path, 'expected "dist" (a distribution) or "derive" (a formula)');
      broken.push(name);
      continue;
    }
    if (!parsed.success) {
      issues.addAll(path, zodToSpecIssues(parsed.error, e));
      broken.push(name);
    } else covariates[name] = parsed.data as CovariateSpec;
  }
  if (top.success && !top.data.covariates && !top.data.empirical) {
    issues.add([], 'a cohort needs "covariates", "empirical" or both');
  }
  if (top.success) {
    const { covariates: _ignored, ...rest } = top.data;
    return { issues: issues.items, partial: { ...rest, covariates } as CohortSpec, broken };
  }
  // The top level has problems: keep the sections that are sound for the compiler's checks.
  const badSection = (key: string) => issues.items.some((i) => i.path[0] === key);
  if (!isMapping(data) || badSection('empirical') && 'empirical' in raw) return { issues: issues.items, broken };
  const partial: CohortSpec = {
    name: typeof raw.name === 'string' ? raw.name : '',
    covariates,
    correlation: badSection('correlation') ? undefined : (raw.correlation as CohortSpec['correlation']),
    empirical: raw.empirical as CohortSpec['empirical'],
  };
  return { issues: issues.items, partial, broken };
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
