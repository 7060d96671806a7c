import { describe, expect, it } from 'vitest';
import { compileExpression, compilePredicate, ExprEvalError, type ValueType } from '../../src/expr/compile.js';
import { ExprError } from '../../src/expr/parse.js';

const scope = new Map<string, ValueType>([
  ['age', { kind: 'number' }],
  ['weight', { kind: 'number' }],
  ['height', { kind: 'number' }],
  ['sex', { kind: 'categorical', levels: ['female', 'male'] }],
]);
const row = { age: 60, weight: 81, height: 180, sex: 'male' };
const value = (text: string) => compileExpression(text, scope).evaluate(row);

describe('expression language', () => {
  it('arithmetic with ^ as a right-associative power binding tighter than * and /', () => {
    expect(value('weight / (height / 100) ^ 2')).toBe(81 / 1.8 ** 2);
    expect(value('2 ^ 3 ^ 2')).toBe(512);
    expect(value('2 * 3 ^ 2')).toBe(18);
    expect(value('age % 7 + 1')).toBe(5);
  });
  it('functions', () => {
    expect(value('min(age, 50, 70)')).toBe(50);
    expect(value('max(1, 2)')).toBe(2);
    expect(value('log(exp(2))')).toBe(2);
    expect(value('sqrt(abs(-16))')).toBe(4);
    expect(value('round(-2.5)')).toBe(-3);
    expect(value('pow(2, 10)')).toBe(1024);
  });
  it('comparisons, logic (symbols and words) and categorical levels', () => {
    expect(value('age >= 18 and age <= 75')).toBe(true);
    expect(value('age > 65 || sex == "female"')).toBe(false);
    expect(value('not (sex == "male")')).toBe(false);
    expect(value('!(age < 18) && sex != "female"')).toBe(true);
    expect(value('sex == "male" ? 0.9 : 0.7')).toBe(0.9);
    expect(value('age > 50 ? "old" : "young"')).toBe('old');
  });
  it('a ternary of text gives a categorical value with both levels', () => {
    expect(compileExpression('age > 50 ? "old" : "young"', scope).type).toEqual({ kind: 'categorical', levels: ['old', 'young'] });
  });

  const error = (text: string) => {
    try {
      compileExpression(text, scope);
    } catch (e) {
      expect(e).toBeInstanceOf(ExprError);
      return (e as Error).message;
    }
    throw new Error(`"${text}" compiled`);
  };
  it('rejects unknown names with a suggestion, and unknown functions', () => {
    expect(error('wieght / 2')).toBe('unknown name "wieght" (did you mean "weight"?); known names: age, weight, height, sex');
    expect(error('foo(age)')).toMatch(/^unknown function "foo"/);
    expect(error('sqrt(age, 2)')).toBe('sqrt() takes 1 argument, found 2');
  });
  it('rejects a level that does not exist and type mismatches', () => {
    expect(error('sex == "mal"')).toBe('"mal" is not a level; the levels are "female", "male"');
    expect(error('age > "18"')).toMatch(/needs a number, found the text "18"/);
    expect(error('age and sex')).toMatch(/needs true\/false, found a number/);
    expect(error('sex + 1')).toMatch(/needs a number, found a category/);
    expect(error('age > 3 ? 1 : "x"')).toMatch(/both branches/);
  });
  it('never evaluates JavaScript: member access, assignment, bitwise operators and this are errors', () => {
    expect(error('age.constructor')).toMatch(/not allowed/);
    expect(error('this')).toMatch(/not allowed/);
    expect(error('age | 1')).toMatch(/cannot parse/);
    expect(error('process.exit(1)')).toMatch(/unknown function|not allowed|unknown name/);
    expect(error('age = 3')).toMatch(/cannot parse|not allowed/);
    expect(error('')).toBe('the expression is empty');
    expect(error('age > ')).toMatch(/^the expression "age > " is incomplete/);
  });
  it('a criterion must be true/false', () => {
    expect(() => compilePredicate('age + 1', scope)).toThrow(/must be true\/false/);
    expect(compilePredicate('age > 50', scope)(row)).toBe(true);
  });
});

describe('expression hints', () => {
  const error = (text: string) => {
    try {
      compileExpression(text, scope);
    } catch (e) {
      if (e instanceof ExprError) return e.message;
      throw e;
    }
    throw new Error('compiled');
  };
  it('"=" suggests "==", "=<" and "=>" suggest "<=" and ">="', () => {
    expect(error('age = 30')).toBe('cannot parse "age = 30": Unexpected "=" at character 5 (to compare, write "=="; a single "=" is not an operator)');
    expect(error('age =< 30')).toMatch(/\(did you mean "<="\?\)$/);
    expect(error('age => 30')).toMatch(/\(did you mean ">="\?\)$/);
  });
  it('a formula that stops short says it is incomplete', () => {
    expect(error('age < 30 and')).toBe('the expression is incomplete: "and" needs a true/false condition on each side');
    expect(error('age < 30 or')).toBe('the expression is incomplete: "or" needs a true/false condition on each side');
    expect(error('not')).toBe('the expression is incomplete: "not" needs a true/false condition after it');
    expect(error('max(age,')).toBe('the expression "max(age," is incomplete: Expected ) at character 9');
  });
  it('functions are own names only: toString() and constructor() are unknown', () => {
    expect(error('toString()')).toMatch(/^unknown function "toString"; functions: abs/);
    expect(error('constructor(1)')).toMatch(/^unknown function "constructor"/);
    expect(error('hasOwnProperty(age)')).toMatch(/^unknown function "hasOwnProperty"/);
  });
});

describe('a numeric sub-expression that is NaN or infinite is an evaluation error, never a silent false', () => {
  const failure = (text: string, r: Record<string, number | string> = row) => {
    try {
      compileExpression(text, scope).evaluate(r);
    } catch (err) {
      expect(err).toBeInstanceOf(ExprEvalError);
      const e = err as ExprEvalError;
      return [e.formula, e.subexpression, e.value];
    }
    throw new Error(`no error for ${text}`);
  };
  it.each<[string, string, number]>([
    ['not (sqrt(age - 70) > 2)', 'sqrt(age - 70)', NaN],
    ['sqrt(age - 70) > 1 ? 1 : 0', 'sqrt(age - 70)', NaN],
    ['log(age - 60) < 0', 'log(age - 60)', -Infinity],
    ['weight / (age - 60) > 1', 'weight / (age - 60)', Infinity],
    ['age % (age - 60) == 0', 'age % (age - 60)', NaN],
    ['exp(age * 100) > 0', 'exp(age * 100)', Infinity],
    ['age * 1e306 * 10 > 0', '(age * 1e306) * 10', Infinity],
    ['pow(0, -1) + 1', 'pow(0, -1)', Infinity],
    ['max(age, log(0)) > 0', 'log(0)', -Infinity],
  ])('%s: %s is %d', (text, sub, v) => {
    expect(failure(text)).toEqual([text, sub, v]);
  });
  it('only the branch a ternary takes is evaluated, and finite formulas are unchanged', () => {
    expect(value('age > 70 ? sqrt(age - 70) : 0')).toBe(0);
    expect(value('sqrt(age - 44)')).toBe(4);
  });
  it('a literal that is not finite is a spec error', () => {
    expect(() => compileExpression('age * 1e999', scope)).toThrow(/the number 1e999 is not finite/);
  });
});
