/**
 * The variants of a protocol's enrolment criteria that `vtrial screen --trade-offs` screens: for
 * each criterion, the criteria without it, and (when its expression compares a covariate with a
 * number, e.g. `hba1c >= 7.0`) with every such threshold loosened by a step of 10% of its value
 * (>= and > move down, <= and < move up), or with the expression `--move ID=EXPR` gives.
 */
export interface CriterionText {
  id: string;
  text?: string;
  expr: string;
}

export interface Criteria {
  inclusion: CriterionText[];
  exclusion: CriterionText[];
}

export interface CriteriaVariant {
  /** The criterion changed (`inclusion.ID` or `exclusion.ID`), null for the protocol as written. */
  criterion: string | null;
  change: 'as written' | 'removed' | 'threshold moved';
  /** The changed criterion's expression (threshold moved), else null. */
  expr: string | null;
  criteria: Criteria;
}

/** The fraction of a threshold's value a loosening step moves it by. */
export const THRESHOLD_STEP = 0.1;

const COMPARISON = /([A-Za-z_][A-Za-z0-9_.]*)\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)/g;

/** The expression with every `NAME OP NUMBER` threshold loosened for inclusion (tightened for exclusion, which excludes when true); null without one. */
export function movedThresholds(expr: string, kind: 'inclusion' | 'exclusion', step = THRESHOLD_STEP): string | null {
  let found = false;
  const out = expr.replace(COMPARISON, (_m, name: string, op: string, num: string) => {
    found = true;
    const v = Number(num);
    const decimals = Math.max(1, (num.split('.')[1] ?? '').length);
    const delta = Math.abs(v) * step || step;
    // An inclusion passes more twins when >= moves down and <= up; an exclusion excludes fewer when >= moves up and <= down.
    const down = (op === '>=' || op === '>') === (kind === 'inclusion');
    return `${name} ${op} ${(down ? v - delta : v + delta).toFixed(decimals)}`;
  });
  return found ? out : null;
}

export function criteriaVariants(c: Criteria, moves: ReadonlyMap<string, string> = new Map()): CriteriaVariant[] {
  const out: CriteriaVariant[] = [{ criterion: null, change: 'as written', expr: null, criteria: c }];
  for (const kind of ['inclusion', 'exclusion'] as const) {
    c[kind].forEach((crit, i) => {
      const without = { ...c, [kind]: c[kind].filter((_, j) => j !== i) };
      out.push({ criterion: `${kind}.${crit.id}`, change: 'removed', expr: null, criteria: without });
      const expr = moves.get(crit.id) ?? movedThresholds(crit.expr, kind);
      if (expr !== null) out.push({ criterion: `${kind}.${crit.id}`, change: 'threshold moved', expr, criteria: { ...c, [kind]: c[kind].map((x, j) => (j === i ? { ...x, expr } : x)) } });
    });
  }
  return out;
}
