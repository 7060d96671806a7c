/**
 * Compiles a shape-checked cohort spec (plus its empirical table, if any) into a CohortModel,
 * checking everything that needs the whole spec: `by` tables against the levels of earlier
 * categorical covariates, probabilities summing to 1, bounds, the correlation matrix, and the
 * derived formulas (unknown names, types, cycles). All problems are reported together.
 */
import type { CohortSpec, DerivedCovariate, DrawnCovariate, Param } from '../spec/cohort-schema.js';
import { CONTINUOUS_DISTS } from '../spec/distribution-names.js';
import { IssueList, type SpecIssue, type SpecPath } from '../spec/spec-error.js';
import { compileExpression, type Row as ExprRow, type ValueType } from '../expr/compile.js';
import { ExprError, identifiersOf, parseExpression } from '../expr/parse.js';
import { checkCorrelationMatrix } from './copula.js';
import { closestName } from '../util/closest-name.js';
import { quoteShort } from '../util/shorten.js';
import { unsafeNameReason } from '../spec/safe-name.js';
import { categoricalIndex, fromZ, poissonDraw, truncatedMass } from './marginals.js';
import type { CohortModel, CovariateColumn, DrawStep, Row } from './cohort-model.js';
import type { EmpiricalTable } from './empirical.js';

export type CompileResult = { ok: true; model: CohortModel } | { ok: false; issues: SpecIssue[] };

type Resolver<T> = (row: Row) => T;

interface Ctx {
  issues: IssueList;
  /** Categorical covariates available so far, with their levels. */
  categorical: Map<string, readonly string[]>;
}

/** Turns a parameter (a value or a {by, values} table) into a function of the twin's row. */
function resolve<T>(p: Param<T>, path: SpecPath, ctx: Ctx): { fn: Resolver<T>; by?: string; values: T[] } | null {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) {
    const v = p as T;
    return { fn: () => v, values: [v] };
  }
  const { by, values } = p as { by: string; values: Record<string, T> };
  const levels = ctx.categorical.get(by);
  if (!levels) {
    const known = [...ctx.categorical.keys()];
    ctx.issues.add([...path, 'by'], `"${by}" is not a categorical covariate defined earlier in the file${known.length ? ` (available: ${known.join(', ')})` : ' (none is)'}`);
    return null;
  }
  // Own keys only: a level named "constructor" or "toString" must not find Object.prototype's.
  const table = new Map(Object.entries(values));
  let missing = levels.filter((l) => !table.has(l));
  const extra = [...table.keys()].filter((k) => !levels.includes(k));
  for (const e of extra) {
    const meant = closestName(e, missing);
    if (meant) missing = missing.filter((m) => m !== meant);
    ctx.issues.add([...path, 'values', e], `"${e}" is not a level of ${by} (${meant ? `did you mean "${meant}"?` : `levels: ${levels.join(', ')}`})`, true);
  }
  if (missing.length) ctx.issues.add([...path, 'values'], `needs a value for every level of ${by}; missing ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  if (missing.length || extra.length) return null;
  return { fn: (row) => table.get(row[by] as string) as T, by, values: [...table.values()] };
}

/** Every combination of the levels of the given categorical covariates, as rows (for checks). */
function combinations(byVars: string[], ctx: Ctx): Row[] {
  let rows: Row[] = [{}];
  for (const v of [...new Set(byVars)]) {
    const levels = ctx.categorical.get(v) ?? [];
    rows = rows.flatMap((r) => levels.map((l) => ({ ...r, [v]: l })));
  }
  return rows;
}

function describeCase(row: Row): string {
  const keys = Object.keys(row);
  return keys.length ? ` (when ${keys.map((k) => `${k} = ${String(row[k])}`).join(', ')})` : '';
}

const roundTo = (x: number, digits: number | undefined): number => {
  if (digits === undefined) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

export { roundTo };

function compileDrawn(name: string, c: DrawnCovariate, zIndex: number, ctx: Ctx): DrawStep | null {
  const path: SpecPath = ['covariates', name];
  const params: Record<string, { fn: Resolver<unknown>; by?: string } | null> = Object.create(null);
  for (const [key, value] of Object.entries(c)) {
    if (['dist', 'round', 'unit', 'description', 'source', 'levels'].includes(key) || value === undefined) continue;
    params[key] = resolve(value as Param<unknown>, [...path, key], ctx);
  }
  if (Object.values(params).some((p) => p === null)) return null;
  const P = (k: string) => params[k]!.fn as Resolver<number>;
  const byVars = Object.values(params).flatMap((p) => (p?.by ? [p.by] : []));
  const cases = combinations(byVars, ctx);
  const round = c.round;

  switch (c.dist) {
    case 'normal':
    case 'lognormal':
    case 'gamma':
    case 'beta': {
      const [k1, k2] = ({ normal: ['mean', 'sd'], lognormal: ['meanlog', 'sdlog'], gamma: ['shape', 'rate'], beta: ['shape1', 'shape2'] } as const)[c.dist];
      const f = fromZ[c.dist];
      const a = P(k1);
      const b = P(k2);
      return { name, kind: 'continuous', zIndex, round, transform: (z, row) => f(z, a(row), b(row)) };
    }
    case 'uniform': {
      const lo = P('min');
      const hi = P('max');
      for (const row of cases) if (!(lo(row) < hi(row))) ctx.issues.add([...path, 'max'], `must be greater than min${describeCase(row)}: min = ${lo(row)}, max = ${hi(row)}`);
      return { name, kind: 'continuous', zIndex, round, transform: (z, row) => fromZ.uniform(z, lo(row), hi(row)) };
    }
    case 'truncnormal': {
      if (!params.lower && !params.upper) {
        ctx.issues.add(path, 'a truncated normal needs "lower", "upper" or both (without bounds, use dist: normal)');
        return null;
      }
      const m = P('mean');
      const s = P('sd');
      const lo = params.lower ? P('lower') : () => -Infinity;
      const hi = params.upper ? P('upper') : () => Infinity;
      for (const row of cases) {
        if (!(lo(row) < hi(row))) {
          ctx.issues.add([...path, 'upper'], `must be greater than lower${describeCase(row)}: lower = ${lo(row)}, upper = ${hi(row)}`);
        } else if (truncatedMass(m(row), s(row), lo(row), hi(row)) < 1e-10) {
          ctx.issues.add(path, `the bounds [${lo(row)}, ${hi(row)}] hold almost none of N(${m(row)}, ${s(row)})${describeCase(row)}; check mean, sd and bounds`);
        }
      }
      return { name, kind: 'continuous', zIndex, round, transform: (z, row) => fromZ.truncnormal(z, m(row), s(row), lo(row), hi(row)) };
    }
    case 'bernoulli': {
      const p = P('p');
      return { name, kind: 'discrete', draw: (src, row) => (src() < p(row) ? 1 : 0) };
    }
    case 'poisson': {
      const lambda = P('lambda');
      return { name, kind: 'discrete', draw: (src, row) => poissonDraw(src, lambda(row)) };
    }
    case 'categorical': {
      const levels = c.levels as string[];
      const dup = levels.find((l, i) => levels.indexOf(l) !== i);
      if (dup) ctx.issues.add([...path, 'levels'], `level "${dup}" is listed twice`);
      const pParam = params.p!;
      const cumulativeFor = new Map<unknown, number[]>();
      for (const row of cases) {
        const probs = (pParam.fn as Resolver<number[]>)(row);
        const where = pParam.by ? [...path, 'p', 'values', String(row[pParam.by])] : [...path, 'p'];
        if (probs.length !== levels.length) {
          ctx.issues.add(where, `expected ${levels.length} probabilities (one per level), found ${probs.length}`);
          continue;
        }
        const sum = probs.reduce((s, x) => s + x, 0);
        if (Math.abs(sum - 1) > 1e-6) ctx.issues.add(where, `probabilities must sum to 1, found ${sum}`);
        let acc = 0;
        cumulativeFor.set(probs, probs.map((x) => (acc += x / sum)));
      }
      const pf = pParam.fn as Resolver<number[]>;
      ctx.categorical.set(name, levels);
      return { name, kind: 'discrete', draw: (src, row) => levels[categoricalIndex(src(), cumulativeFor.get(pf(row))!)]! };
    }
  }
}

const isDerived = (c: DrawnCovariate | DerivedCovariate): c is DerivedCovariate => 'derive' in c;

/**
 * @param broken covariates whose entries failed the shape check: known to formulas as numbers
 *   (so they cause no second "unknown name" error) but not generated.
 */
export function compileCohort(spec: CohortSpec, empirical?: EmpiricalTable, broken: readonly string[] = []): CompileResult {
  const ctx: Ctx = { issues: new IssueList(), categorical: new Map() };
  const columns: CovariateColumn[] = [];
  const scope = new Map<string, ValueType>();

  if (spec.empirical && !empirical) throw new Error('compileCohort: the empirical table was not loaded');
  for (const col of empirical?.columns ?? []) {
    const type: ValueType = col.type === 'numeric' ? { kind: 'number' } : { kind: 'categorical', levels: col.levels ?? [] };
    columns.push({ name: col.name, origin: 'empirical', type });
    scope.set(col.name, type);
    if (col.type === 'categorical') ctx.categorical.set(col.name, col.levels ?? []);
  }

  for (const name of broken) scope.set(name, { kind: 'number' });
  const drawSteps: DrawStep[] = [];
  const derivedSpecs: [string, DerivedCovariate][] = [];
  let zIndex = 0;
  const zIndexOf = new Map<string, number>();
  for (const [name, c] of Object.entries(spec.covariates)) {
    if (scope.has(name)) {
      ctx.issues.add(['covariates', name], `"${name}" is also a column of the empirical file; use another name`);
      continue;
    }
    if (isDerived(c)) {
      derivedSpecs.push([name, c]);
      columns.push({ name, origin: 'derived', type: { kind: 'number' }, unit: c.unit });
      continue;
    }
    const continuous = CONTINUOUS_DISTS.includes(c.dist);
    const step = compileDrawn(name, c, continuous ? zIndex : -1, ctx);
    if (continuous) zIndexOf.set(name, zIndex++);
    const type: ValueType = c.dist === 'categorical' ? { kind: 'categorical', levels: c.levels as string[] } : { kind: 'number' };
    scope.set(name, type);
    columns.push({ name, origin: 'drawn', type, unit: c.unit });
    if (step) drawSteps.push(step);
  }

  const copula = compileCorrelation(spec, zIndexOf, ctx, broken);
  const derivedSteps = compileDerived(derivedSpecs, scope, columns, ctx);

  if (!ctx.issues.ok) return { ok: false, issues: ctx.issues.items };
  return {
    ok: true,
    model: { name: spec.name, columns, scope, continuousCount: zIndex, copula, drawSteps, derivedSteps, empirical },
  };
}

function compileCorrelation(spec: CohortSpec, zIndexOf: Map<string, number>, ctx: Ctx, broken: readonly string[]): CohortModel['copula'] {
  const corr = spec.correlation;
  if (!corr) return undefined;
  let bad = false;
  corr.variables.forEach((v, i) => {
    const path = ['correlation', 'variables', i];
    const c = Object.hasOwn(spec.covariates, v) ? spec.covariates[v] : undefined;
    if (broken.includes(v)) {
      bad = true; // already reported where it is defined
    } else if (corr.variables.indexOf(v) !== i) {
      ctx.issues.add(path, `"${v}" is listed twice`);
      bad = true;
    } else if (!c) {
      ctx.issues.add(path, `"${v}" is not a covariate of this cohort`);
      bad = true;
    } else if (!zIndexOf.has(v) && !('derive' in c) && !CONTINUOUS_DISTS.includes(c.dist)) {
      ctx.issues.add(path, `"${v}" cannot be correlated: only continuous drawn covariates can (${CONTINUOUS_DISTS.join(', ')})`);
      bad = true;
    } else if (!zIndexOf.has(v)) {
      ctx.issues.add(path, `"${v}" cannot be correlated: it is derived by a formula, not drawn`);
      bad = true;
    }
  });
  const check = checkCorrelationMatrix(corr.matrix, corr.variables.length);
  for (const p of check.problems) ctx.issues.add(p.at ? ['correlation', 'matrix', p.at[0], p.at[1]] : ['correlation', 'matrix'], p.message);
  if (bad || !check.lower) return undefined;
  return { indices: corr.variables.map((v) => zIndexOf.get(v)!), lower: check.lower };
}

function compileDerived(derived: [string, DerivedCovariate][], scope: Map<string, ValueType>, columns: CovariateColumn[], ctx: Ctx): CohortModel['derivedSteps'] {
  const names = new Set(derived.map(([n]) => n));
  const deps = new Map<string, string[]>();
  for (const [name, d] of derived) {
    try {
      deps.set(name, [...identifiersOf(parseExpression(d.derive))].filter((x) => names.has(x)));
    } catch (err) {
      ctx.issues.add(['covariates', name, 'derive'], (err as Error).message);
    }
  }
  // Topological order; a cycle is reported with its members.
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (n: string, trail: string[]): void => {
    if (state.get(n) === 'done' || !deps.has(n)) return;
    if (state.get(n) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(n)), n];
      ctx.issues.add(['covariates', n, 'derive'], `derived covariates form a cycle: ${cycle.join(' -> ')}`);
      return;
    }
    state.set(n, 'visiting');
    for (const d of deps.get(n)!) visit(d, [...trail, n]);
    state.set(n, 'done');
    order.push(n);
  };
  for (const [n] of derived) visit(n, []);
  if (order.length !== deps.size) return [];

  const specOf = new Map(derived);
  const fullScope = new Map(scope);
  for (const n of names) if (!fullScope.has(n)) fullScope.set(n, { kind: 'number' });
  const steps: CohortModel['derivedSteps'] = [];
  for (const name of order) {
    const d = specOf.get(name)!;
    try {
      const c = compileExpression(d.derive, fullScope);
      if (c.type.kind === 'boolean') throw new ExprError('a derived covariate must be a number or a category, found true/false (write `condition ? 1 : 0` for a 0/1 flag)');
      const type: ValueType = c.type.kind === 'string' ? { kind: 'categorical', levels: [c.type.value] } : c.type;
      if (type.kind === 'categorical') {
        for (const level of type.levels) {
          const why = unsafeNameReason(level);
          if (why) throw new ExprError(`the level ${quoteShort(level)} is not allowed: ${why}`);
        }
      }
      fullScope.set(name, type);
      scope.set(name, type);
      columns.find((col) => col.name === name)!.type = type;
      if (type.kind === 'categorical') ctx.categorical.set(name, type.levels);
      steps.push({ name, evaluate: c.evaluate as (r: ExprRow) => number, round: d.round, formula: d.derive });
    } catch (err) {
      ctx.issues.add(['covariates', name, 'derive'], (err as Error).message);
    }
  }
  return steps;
}
