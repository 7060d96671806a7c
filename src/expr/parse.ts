/**
 * Parsing of vtrial's expression language (derived covariates, enrolment criteria, later model
 * formulas). jsep does the parsing; nothing here ever evaluates user text as JavaScript.
 *
 * Grammar additions to jsep's defaults: `^` is power (right-associative, binds tighter than
 * `*`), and `and`, `or`, `not` are word forms of `&&`, `||`, `!`.
 */
import jsep from 'jsep';

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
  try {
    return jsep(text);
  } catch (err) {
    const e = err as { description?: string; index?: number; message?: string };
    const where = typeof e.index === 'number' ? ` at character ${e.index + 1}` : '';
    throw new ExprError(`cannot parse "${text}": ${e.description ?? e.message ?? String(err)}${where}`);
  }
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
