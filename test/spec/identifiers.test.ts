import { describe, expect, it } from 'vitest';
import { identifier, safeName, unsafeNameReason } from '../../src/spec/zod-helpers.js';
import { shorten } from '../../src/util/shorten.js';
import { describeFound } from '../../src/spec/spec-error.js';

describe('ids and names', () => {
  it.each(['age', '_x', 'constructor', 'toString', 'hasOwnProperty', 'A1_b'])('identifier accepts %j', (s) => {
    expect(identifier.safeParse(s).success).toBe(true);
  });
  it.each(['__proto__', '=cmd', '+a', '-a', '@a', '1a', 'a b', ''])('identifier rejects %j', (s) => {
    expect(identifier.safeParse(s).success).toBe(false);
  });
  it.each(['female', 'constructor', 'Injection site reaction', '-1', '+2.5', '<65', '>= 65 years', 'a=b'])('safeName accepts %j', (s) => {
    expect(safeName.safeParse(s).success).toBe(true);
  });
  it.each([
    ['=HYPERLINK("x")', 'must not begin with =, +, - or @ (a spreadsheet would run it as a formula)'],
    ['+cmd', 'must not begin with =, +, - or @ (a spreadsheet would run it as a formula)'],
    ['-1+2', 'must not begin with =, +, - or @ (a spreadsheet would run it as a formula)'],
    ['@A1', 'must not begin with =, +, - or @ (a spreadsheet would run it as a formula)'],
    ['a\nb', 'expected one line of text without tabs or control characters'],
    ['__proto__', '"__proto__" is reserved (it would reach JavaScript\'s object prototype); choose another name'],
  ])('safeName rejects %j', (s, why) => {
    expect(unsafeNameReason(s)).toBe(why);
  });
});

describe('quoting what the user wrote', () => {
  it('shortens to the first line and at most 80 characters', () => {
    expect(shorten('short')).toBe('short');
    expect(shorten('line one\nline two')).toBe('line one...');
    expect(shorten('x'.repeat(100))).toBe(`${'x'.repeat(77)}...`);
    expect(shorten('last\n')).toBe('last');
    expect(describeFound('a'.repeat(200))).toBe(`"${'a'.repeat(77)}..."`);
  });
});
