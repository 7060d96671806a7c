/**
 * Type-checks a parsed expression against the names in scope and compiles it to a closure.
 *
 * Types are checked before any twin is generated, so `sex == "mal"` (a level that does not
 * exist), `age > "18"` or a criterion that is not true/false is a spec error, not a silent
 * always-false filter at run time.
 */
import { ExprError, parseExpression, type Expr } from './parse.js';
import { closestName } from '../util/closest-name.js';
import { quoteShort } from '../util/shorten.js';

export type ValueType =
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'categorical'; levels: readonly string[] }
  /** A string literal; compares equal to a categorical level. */
  | { kind: 'string'; value: string };

export type Value = number | string | boolean;
export type Row = Readonly<Record<string, Value>>;
export type Evaluator = (row: Row) => Value;

export interface Compiled {
  type: ValueType;
  evaluate: Evaluator;
}

export type Scope = ReadonlyMap<string, ValueType>;

const NUMBER: ValueType = { kind: 'number' };
const BOOLEAN: ValueType = { kind: 'boolean' };

/**
 * A numeric sub-expression that is NaN or infinite for the row at hand (sqrt or log of a negative
 * number, division by zero, overflow): thrown, because a comparison with NaN would otherwise
 * silently be false and decide a criterion or a ternary. Callers that evaluate formulas per twin
 * turn it into a SimulationError naming the twin.
 */
export class ExprEvalError extends Error {
  override name = 'ExprEvalError';
  constructor(
    readonly formula: string,
    readonly subexpression: string,
    readonly value: number,
  ) {
    super(`"${formula}": ${subexpression} is ${value} (a formula's numbers must be finite)`);
  }
}

/** The source text of a node, for error messages (operands of operators in parentheses). */
function show(node: Expr): string {
  const inner = (n: Expr) => (n.type === 'BinaryExpression' || n.type === 'ConditionalExpression' ? `(${show(n)})` : show(n));
  switch (node.type) {
    case 'Literal':
      return typeof node.raw === 'string' ? node.raw : String(node.value);
    case 'Identifier':
      return String(node.name);
    case 'UnaryExpression':
      return `${String(node.operator)}${/^[a-z]/.test(String(node.operator)) ? ' ' : ''}${inner(node.argument as Expr)}`;
    case 'BinaryExpression':
      return `${inner(node.left as Expr)} ${String(node.operator)} ${inner(node.right as Expr)}`;
    case 'ConditionalExpression':
      return `${inner(node.test as Expr)} ? ${inner(node.consequent as Expr)} : ${inner(node.alternate as Expr)}`;
    case 'CallExpression':
      return `${show(node.callee as Expr)}(${(node.arguments as Expr[]).map(show).join(', ')})`;
    default:
      return node.type;
  }
}

type Fn = { arity: [number, number]; impl: (...a: number[]) => number; doc: string };

/** The functions an expression may call; all take and return numbers. */
export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  abs: { arity: [1, 1], impl: Math.abs, doc: 'absolute value' },
  sqrt: { arity: [1, 1], impl: Math.sqrt, doc: 'square root' },
  exp: { arity: [1, 1], impl: Math.exp, doc: 'e to the power x' },
  log: { arity: [1, 1], impl: Math.log, doc: 'natural logarithm' },
  log10: { arity: [1, 1], impl: Math.log10, doc: 'base-10 logarithm' },
  log2: { arity: [1, 1], impl: Math.log2, doc: 'base-2 logarithm' },
  pow: { arity: [2, 2], impl: Math.pow, doc: 'x to the power y' },
  min: { arity: [1, 32], impl: Math.min, doc: 'smallest argument' },
  max: { arity: [1, 32], impl: Math.max, doc: 'largest argument' },
  floor: { arity: [1, 1], impl: Math.floor, doc: 'round down' },
  ceil: { arity: [1, 1], impl: Math.ceil, doc: 'round up' },
  round: { arity: [1, 1], impl: (x: number) => Math.sign(x) * Math.round(Math.abs(x)), doc: 'round half away from zero' },
};

function describe(t: ValueType): string {
  switch (t.kind) {
    case 'categorical':
      return `a category (${t.levels.map((l) => JSON.stringify(l)).join(', ')})`;
    case 'string':
      return `the text ${quoteShort(t.value)}`;
    case 'boolean':
      return 'true/false';
    default:
      return 'a number';
  }
}

function requireType(c: Compiled, kind: 'number' | 'boolean', what: string): void {
  if (c.type.kind !== kind) throw new ExprError(`${what} needs ${kind === 'number' ? 'a number' : 'true/false'}, found ${describe(c.type)}`);
}

const ARITH: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '%': (a, b) => a % b,
  '^': (a, b) => Math.pow(a, b),
};
const ORDER: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function compileNode(node: Expr, scope: Scope, text: string): Compiled {
  switch (node.type) {
    case 'Literal': {
      const v = node.value;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new ExprError(`the number ${String(node.raw)} is not finite`);
        return { type: NUMBER, evaluate: () => v };
      }
      if (typeof v === 'boolean') return { type: BOOLEAN, evaluate: () => v };
      if (typeof v === 'string') return { type: { kind: 'string', value: v }, evaluate: () => v };
      throw new ExprError(`${String(node.raw)} is not allowed in an expression`);
    }
    case 'Identifier': {
      const name = node.name as string;
      const t = scope.get(name);
      if (!t) {
        const hint = closestName(name, [...scope.keys()]);
        throw new ExprError(
          `unknown name ${quoteShort(name)}${hint ? ` (did you mean "${hint}"?)` : ''}; known names: ${[...scope.keys()].join(', ') || '(none)'}`,
        );
      }
      return { type: t, evaluate: (row) => row[name] as Value };
    }
    case 'UnaryExpression': {
      const op = node.operator as string;
      const arg = compileNode(node.argument as Expr, scope, text);
      const f = arg.evaluate;
      if (op === '-' || op === '+') {
        requireType(arg, 'number', `unary ${op}`);
        return { type: NUMBER, evaluate: op === '-' ? (r) => -(f(r) as number) : f };
      }
      if (op === '!' || op === 'not') {
        requireType(arg, 'boolean', `"${op}"`);
        return { type: BOOLEAN, evaluate: (r) => !f(r) };
      }
      throw new ExprError(`operator "${op}" is not supported`);
    }
    case 'BinaryExpression':
      return compileBinary(node, scope, text);
    case 'ConditionalExpression': {
      const test = compileNode(node.test as Expr, scope, text);
      requireType(test, 'boolean', 'the condition of "? :"');
      const a = compileNode(node.consequent as Expr, scope, text);
      const b = compileNode(node.alternate as Expr, scope, text);
      const type = unifyBranches(a.type, b.type);
      const [t, fa, fb] = [test.evaluate, a.evaluate, b.evaluate];
      return { type, evaluate: (r) => (t(r) ? fa(r) : fb(r)) };
    }
    case 'CallExpression': {
      const callee = node.callee as Expr;
      const name = callee.type === 'Identifier' ? (callee.name as string) : '';
      // Own keys only: `toString()` must be an unknown function, not Object.prototype's.
      const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
      if (!fn) {
        const hint = closestName(name, Object.keys(FUNCTIONS));
        throw new ExprError(`unknown function ${quoteShort(name)}${hint ? ` (did you mean "${hint}"?)` : ''}; functions: ${Object.keys(FUNCTIONS).join(', ')}`);
      }
      const args = (node.arguments as Expr[]).map((a) => compileNode(a, scope, text));
      const [lo, hi] = fn.arity;
      if (args.length < lo || args.length > hi) {
        throw new ExprError(`${name}() takes ${lo === hi ? lo : `${lo} to ${hi}`} argument${hi === 1 ? '' : 's'}, found ${args.length}`);
      }
      args.forEach((a, i) => requireType(a, 'number', `argument ${i + 1} of ${name}()`));
      const fs = args.map((a) => a.evaluate);
      const impl = fn.impl;
      const sub = show(node);
      if (fs.length === 1) {
        const f0 = fs[0]!;
        return { type: NUMBER, evaluate: (r) => finite(impl(f0(r) as number), text, sub) };
      }
      // Two or three arguments (pow, min, max) without an argument list per evaluation.
      if (fs.length === 2) {
        const [f0, f1] = [fs[0]!, fs[1]!];
        return { type: NUMBER, evaluate: (r) => finite(impl(f0(r) as number, f1(r) as number), text, sub) };
      }
      if (fs.length === 3) {
        const [f0, f1, f2] = [fs[0]!, fs[1]!, fs[2]!];
        return { type: NUMBER, evaluate: (r) => finite(impl(f0(r) as number, f1(r) as number, f2(r) as number), text, sub) };
      }
      return { type: NUMBER, evaluate: (r) => finite(impl(...fs.map((f) => f(r) as number)), text, sub) };
    }
    case 'Compound':
      throw new ExprError('an expression must be a single formula (found several separated by "," or ";")');
    default:
      throw new ExprError(`${node.type} is not allowed in an expression`);
  }
}

/** x, or an ExprEvalError when it is NaN or infinite (one check per numeric operation). */
function finite(x: number, text: string, sub: string): number {
  if (Number.isFinite(x)) return x;
  throw new ExprEvalError(text, sub, x);
}

function unifyBranches(a: ValueType, b: ValueType): ValueType {
  const asLevels = (t: ValueType): readonly string[] | null =>
    t.kind === 'string' ? [t.value] : t.kind === 'categorical' ? t.levels : null;
  const la = asLevels(a);
  const lb = asLevels(b);
  if (la && lb) return { kind: 'categorical', levels: [...new Set([...la, ...lb])] };
  if (a.kind === b.kind && (a.kind === 'number' || a.kind === 'boolean')) return a;
  throw new ExprError(`both branches of "? :" must have the same type, found ${describe(a)} and ${describe(b)}`);
}

/**
 * One closure per operator, so that each closure calls its operands and computes its operator
 * directly (a shared closure calling ARITH[op] sees every operator at one call site). The same
 * operation in the same order as ARITH.
 */
function arithmetic(op: string, fl: Evaluator, fr: Evaluator, text: string, sub: string): Evaluator | undefined {
  switch (op) {
    case '+':
      return (row) => finite((fl(row) as number) + (fr(row) as number), text, sub);
    case '-':
      return (row) => finite((fl(row) as number) - (fr(row) as number), text, sub);
    case '*':
      return (row) => finite((fl(row) as number) * (fr(row) as number), text, sub);
    case '/':
      return (row) => finite((fl(row) as number) / (fr(row) as number), text, sub);
    default:
      return undefined;
  }
}

function compileBinary(node: Expr, scope: Scope, text: string): Compiled {
  const op = node.operator as string;
  const l = compileNode(node.left as Expr, scope, text);
  const r = compileNode(node.right as Expr, scope, text);
  const fl = l.evaluate;
  const fr = r.evaluate;
  const arith = Object.hasOwn(ARITH, op) ? ARITH[op] : undefined;
  if (arith) {
    requireType(l, 'number', `the left side of "${op}"`);
    requireType(r, 'number', `the right side of "${op}"`);
    const sub = show(node);
    return { type: NUMBER, evaluate: arithmetic(op, fl, fr, text, sub) ?? ((row) => finite(arith(fl(row) as number, fr(row) as number), text, sub)) };
  }
  const order = Object.hasOwn(ORDER, op) ? ORDER[op] : undefined;
  if (order) {
    requireType(l, 'number', `the left side of "${op}"`);
    requireType(r, 'number', `the right side of "${op}"`);
    return { type: BOOLEAN, evaluate: (row) => order(fl(row) as number, fr(row) as number) };
  }
  if (op === '==' || op === '!=' || op === '===' || op === '!==') {
    checkComparable(l.type, r.type, op);
    const neg = op.startsWith('!');
    return { type: BOOLEAN, evaluate: (row) => (fl(row) === fr(row)) !== neg };
  }
  if (op === '&&' || op === 'and' || op === '||' || op === 'or') {
    requireType(l, 'boolean', `the left side of "${op}"`);
    requireType(r, 'boolean', `the right side of "${op}"`);
    const isAnd = op === '&&' || op === 'and';
    return { type: BOOLEAN, evaluate: isAnd ? (row) => (fl(row) as boolean) && (fr(row) as boolean) : (row) => (fl(row) as boolean) || (fr(row) as boolean) };
  }
  throw new ExprError(`operator "${op}" is not supported`);
}

function checkComparable(a: ValueType, b: ValueType, op: string): void {
  const lit = a.kind === 'string' ? a : b.kind === 'string' ? b : null;
  const cat = a.kind === 'categorical' ? a : b.kind === 'categorical' ? b : null;
  if (lit && cat) {
    if (!cat.levels.includes(lit.value)) {
      throw new ExprError(`${quoteShort(lit.value)} is not a level; the levels are ${cat.levels.map((x) => JSON.stringify(x)).join(', ')}`);
    }
    return;
  }
  const textual = (t: ValueType) => t.kind === 'string' || t.kind === 'categorical';
  if (textual(a) && textual(b)) return;
  if (a.kind === b.kind) return;
  throw new ExprError(`"${op}" compares ${describe(a)} with ${describe(b)}`);
}

/** Parses, type-checks and compiles `text` against `scope`. Throws ExprError with a readable message. */
export function compileExpression(text: string, scope: Scope): Compiled {
  return compileNode(parseExpression(text), scope, text);
}

/** Compiles a criterion: an expression that must be true/false. */
export function compilePredicate(text: string, scope: Scope): (row: Row) => boolean {
  const c = compileExpression(text, scope);
  if (c.type.kind !== 'boolean') throw new ExprError(`a criterion must be true/false (a comparison), found ${describe(c.type)}`);
  return c.evaluate as (row: Row) => boolean;
}
