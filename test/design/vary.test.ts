import { describe, expect, it } from 'vitest';
import { decimalRange } from '../../src/design/decimal-range.js';
import { checkDistinct, parseValues, parseVary, pathKeys, varyFromSpec } from '../../src/design/vary.js';
import { UsageError } from '../../src/errors/usage-error.js';

describe('decimalRange: FROM:TO:STEP stepped exactly', () => {
  it('100:400:50 gives 7 values, both ends included', () => expect(decimalRange('100:400:50')).toEqual([100, 150, 200, 250, 300, 350, 400]));
  it('0.1:0.5:0.1 gives the decimals themselves (no 0.30000000000000004), 0.5 included', () => expect(decimalRange('0.1:0.5:0.1')).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]));
  it('0.6:0.8:0.05 (mixed scales)', () => expect(decimalRange('0.6:0.8:0.05')).toEqual([0.6, 0.65, 0.7, 0.75, 0.8]));
  it('a step that does not land on TO stops before it', () => expect(decimalRange('1:10:4')).toEqual([1, 5, 9]));
  it('descending with a negative step; exponents', () => {
    expect(decimalRange('-0.5:-1.5:-0.5')).toEqual([-0.5, -1, -1.5]);
    expect(decimalRange('1e2:3e2:1e2')).toEqual([100, 200, 300]);
  });
  it.each([
    ['1:2:0', 'the step is 0'],
    ['5:1:1', 'goes away from 1'],
    ['1:2', 'not a range FROM:TO:STEP'],
    ['0:1:0.00001', 'more than the limit of 10000'],
  ])('refuses %s', (text, message) => expect(() => decimalRange(text)).toThrow(message));
});

describe('parseValues: lists, ranges, booleans and text', () => {
  it('a list of numbers', () => expect(parseValues('0.6,0.7, 0.8')).toEqual([0.6, 0.7, 0.8]));
  it('ranges inside a list', () => expect(parseValues('50,100:300:100')).toEqual([50, 100, 200, 300]));
  it('text, an enrolment expression and a cohort file', () => {
    expect(parseValues('hba1c >= 7.5 and hba1c <= 10.0')).toEqual(['hba1c >= 7.5 and hba1c <= 10.0']);
    expect(parseValues('../cohorts/t2d.yaml,../cohorts/t2d-empirical.yaml')).toEqual(['../cohorts/t2d.yaml', '../cohorts/t2d-empirical.yaml']);
  });
  it('quoted items are text and keep their commas', () => expect(parseValues(`"region in ('eu', 'us')", '100', plain`)).toEqual(["region in ('eu', 'us')", '100', 'plain']));
  it('true and false', () => expect(parseValues('true,false')).toEqual([true, false]));
  it.each([['1,,2', 'an empty value'], ['1,', 'an empty value at the end'], ['"abc', 'an unclosed "'], ['"a" b', 'text after the closing "']])('refuses %s', (text, message) => expect(() => parseValues(text)).toThrow(message));
});

describe('parseVary: PATH=VALUES', () => {
  it('splits at the first =, keeps = in the values', () => {
    expect(parseVary('enrolment.inclusion.1.expr=age >= 40')).toEqual({ path: 'enrolment.inclusion.1.expr', keys: ['enrolment', 'inclusion', 1, 'expr'], values: ['age >= 40'] });
    expect(parseVary('enrolment.target=100:300:100').values).toEqual([100, 200, 300]);
  });
  it.each([
    ['enrolment.target', 'expected PATH=VALUES'],
    ['=1,2', 'the path is empty'],
    ['a..b=1', 'an empty part'],
    ['__proto__.polluted=1', '"__proto__" names no protocol value'],
    ['biomarkers.__proto__=1', '"__proto__" names no protocol value'],
    ['endpoints.01.visit=1', '"01" is not a list index'],
    ['sweeps.replicates=1,2', 'the sweeps section cannot be varied'],
    ['enrolment.target=100,200,100', 'the value 100 is listed twice'],
    ['enrolment.target=1:0:1', 'goes away from 0'],
  ])('refuses %s (UsageError: exit code 2)', (text, message) => {
    expect(() => parseVary(text)).toThrow(UsageError);
    expect(() => parseVary(text)).toThrow(message);
  });
  it('numeric keys are list indices; "constructor" is an ordinary key', () => expect(pathKeys('biomarkers.constructor.0')).toEqual(['biomarkers', 'constructor', 0]));
  it('the same path twice, or a path inside another, is refused', () => {
    expect(() => checkDistinct([parseVary('enrolment.target=1'), parseVary('enrolment.target=2')])).toThrow('enrolment.target is varied twice');
    expect(() => checkDistinct([parseVary('enrolment=1'), parseVary('enrolment.target=2')])).toThrow('enrolment.target lies inside enrolment');
    expect(() => checkDistinct([parseVary('enrolment.target=1'), parseVary('enrolment.max_screened=2')])).not.toThrow();
  });
});

describe('varyFromSpec: the protocol sweeps: section', () => {
  it('a YAML list, a VALUES text or a single value', () => {
    expect(varyFromSpec('enrolment.target', [100, 200], 'p.yaml').values).toEqual([100, 200]);
    expect(varyFromSpec('enrolment.target', '100:300:100', 'p.yaml').values).toEqual([100, 200, 300]);
    expect(varyFromSpec('cohort', 'a.yaml', 'p.yaml').values).toEqual(['a.yaml']);
    expect(varyFromSpec('x', 0.5, 'p.yaml').values).toEqual([0.5]);
  });
  it('messages name the file and the entry', () => expect(() => varyFromSpec('enrolment.target', '1:2:0', 'p.yaml')).toThrow('p.yaml: sweeps.vary.enrolment.target: "1:2:0": the step is 0'));
});
