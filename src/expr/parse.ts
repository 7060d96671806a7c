/**
 * Parsing of vtrial's expression language (derived covariates, enrolment criteria, later model
 * formulas). jsep does the parsing; nothing here ever evaluates user text as JavaScript.
 *
 * Grammar additions to jsep's defaults: `^` is power (right-associative, binds tighter than
 * `*`), and `and`, `or`, `not` are word forms of `&&`, `||`, `!`.
 */
import jsep from 'jsep';
import { quoteShort } from '../util/shorten.js';

jsep.addBinaryOp('^', 11, true);
jsep.addBinaryOp('and', 2);
jsep.addBinaryOp('or', 1);
jsep.addUnaryOp('not');
// Bitwise operators are never what a clinician means by `|` or `&`; remove them so they are errors.
for (const op of ['|', '&', '<<', '>>', '>>>']) jsep.removeBinaryOp(op);
jsep.removeUnaryOp('~');

export type Expr = jsep.Expression;

export class ExprError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExprError';
  }
}

export function parseExpression(text: string): Expr {
  if (text.trim() === '') throw new ExprError('the expression is empty');
  let node: Expr;
  try {
    node = jsep(text);
  } catch (err) {
    throw new ExprError(describeParseError(text, err as { description?: string; index?: number; message?: string }));
  }
  checkWordOperators(node);
  return node;
}

const WORD_OPERATORS = new Set(['and', 'or', 'not']);

/** jsep's message, with what the user most likely meant: `==` for `=`, or that the formula stops short. */
function describeParseError(text: string, e: { description?: string; index?: number; message?: string }): string {
  const desc = e.description ?? e.message ?? String(e);
  const at = typeof e.index === 'number' ? e.index : -1;
  const where = at >= 0 ? ` at character ${at + 1}` : '';
  let hint = '';
  if (text[at] === '=' && /^Unexpected "="/.test(desc)) {
    const next = text[at + 1];
    hint = next === '<' ? ' (did you mean "<="?)' : next === '>' ? ' (did you mean ">="?)' : ' (to compare, write "=="; a single "=" is not an operator)';
  } else if (at >= text.trimEnd().length || /^Unclosed|^Expected \)/.test(desc)) {
    return `the expression ${quoteShort(text)} is incomplete: ${desc}${where}`;
  }
  return `cannot parse ${quoteShort(text)}: ${desc}${where}${hint}`;
}

/** jsep reads a dangling `and`/`or`/`not` (as in `egfr < 30 and`) as a name: say the formula is incomplete. */
function checkWordOperators(node: Expr): void {
  const names = identifiersOf(node);
  const word = [...WORD_OPERATORS].find((w) => names.has(w));
  if (word) throw new ExprError(`the expression is incomplete: "${word}" needs a true/false condition ${word === 'not' ? 'after it' : 'on each side'}`);
}

/** Every identifier the expression reads (function names excluded). */
export function identifiersOf(node: Expr, out: Set<string> = new Set()): Set<string> {
  switch (node.type) {
    case 'Identifier':
      out.add(node.name as string);
      break;
    case 'CallExpression':
      for (const a of node.arguments as Expr[]) identifiersOf(a, out);
      break;
    case 'BinaryExpression':
      identifiersOf(node.left as Expr, out);
      identifiersOf(node.right as Expr, out);
      break;
    case 'UnaryExpression':
      identifiersOf(node.argument as Expr, out);
      break;
    case 'ConditionalExpression':
      identifiersOf(node.test as Expr, out);
      identifiersOf(node.consequent as Expr, out);
      identifiersOf(node.alternate as Expr, out);
      break;
    case 'Compound':
      for (const b of node.body as Expr[]) identifiersOf(b, out);
      break;
    default:
      break;
  }
  return out;
}
