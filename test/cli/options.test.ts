import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { checkWorkers, defaultWorkers, LIMITS, parseInteger, parseReal, parseShard } from '../../src/cli/options.js';

describe('parseInteger: plain whole numbers within limits only', () => {
  const p = parseInteger(1, 'a number of twins', LIMITS.twins, 'generate more as several files');
  it.each(['1', '42', '+7', ' 12 ', '100000000'])('accepts "%s"', (v) => {
    expect(p(v)).toBe(Number(v));
  });
  it.each(['1e9', '1e3', '1.5', '10.0', '0x10', '', ' ', '-5', '0', 'NaN', 'Infinity', 'ten', '1_000', '9007199254740993', '99999999999999999999'])('refuses "%s"', (v) => {
    expect(() => p(v)).toThrow(InvalidArgumentError);
    expect(() => p(v)).toThrow(`found "${v}"`);
  });
  it('above the maximum: states the limit and how to go further', () => {
    expect(() => p('100000001')).toThrow('100,000,001 is above the limit of 100,000,000 for a number of twins; generate more as several files');
  });
  it('without a maximum: any safe integer >= min', () => {
    expect(parseInteger(0, 'a seed')('9007199254740991')).toBe(9007199254740991);
    expect(() => parseInteger(0, 'a seed')('-1')).toThrow(/whole number >= 0\), found "-1"/);
  });
});

describe('parseReal: finite decimal numbers only', () => {
  const p = parseReal('a correlation');
  it.each([['0.5', 0.5], ['-2', -2], ['1e-3', 0.001], ['.25', 0.25], ['+3.', 3], ['0', 0]])('accepts "%s"', (v, n) => {
    expect(p(v)).toBe(n);
  });
  it.each(['', ' ', 'NaN', 'Infinity', '-Infinity', '0x10', '1,5', 'abc', '1e999', '--1'])('refuses "%s"', (v) => {
    expect(() => p(v)).toThrow(`expected a correlation (a finite decimal number such as 0.5), found "${v}"`);
  });
});

describe('parseShard', () => {
  it('accepts k/n with 1 <= k <= n', () => expect(parseShard('2/4')).toEqual({ k: 2, n: 4 }));
  it.each(['0/3', '4/3', '1/0', 'a/b', '1/', '-1/3', '1.5/3', '1/99999999999999999999'])('refuses "%s"', (v) => {
    expect(() => parseShard(v)).toThrow(InvalidArgumentError);
  });
  it('refuses more shards than the limit', () => expect(() => parseShard('1/1000001')).toThrow('above the limit of 1,000,000'));
});

describe('checkWorkers: at most the cores unless oversubscription is explicit, never above the hard cap', () => {
  it('within the cores: fine', () => expect(checkWorkers(2, 2, false)).toBeNull());
  it('more than the cores: refused, naming the flag', () => expect(checkWorkers(3, 2, false)).toMatch(/more than the 2 cores available.*--allow-oversubscribe to run up to 256/));
  it('more than the cores with --allow-oversubscribe: fine', () => expect(checkWorkers(64, 2, true)).toBeNull());
  it('the default is the cores, within the hard cap', () => expect([defaultWorkers(2), defaultWorkers(384)]).toEqual([2, 256]));
  it('above the hard cap: refused even with --allow-oversubscribe', () => expect(checkWorkers(1000, 2, true)).toBe('--workers 1000 is above the hard limit of 256 worker threads'));
});
