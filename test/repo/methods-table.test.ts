/**
 * The README's table of analysis methods is the registry's (src/methods/registry.ts): one row
 * per method with its endpoint type, name, estimate and test, in registry order. When a method is
 * added or its docs change, paste the table this test prints into README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANALYSIS_METHODS } from '../../src/methods/registry.js';
import { REPO } from '../adversarial/harness.js';

describe('README analysis methods', () => {
  it('the table lists every registered method with its endpoint type, estimate and test', () => {
    const expected = [
      '| endpoint type | `method` | estimate | p-value |',
      '| --- | --- | --- | --- |',
      ...[...ANALYSIS_METHODS.values()].map((m) => `| ${m.endpoint} | \`${m.id}\` | ${m.docs.estimate} | ${m.docs.test} |`),
    ].join('\n');
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const start = readme.indexOf('| endpoint type | `method` |');
    const table = readme.slice(start, readme.indexOf('\n\n', start));
    expect(table, `README.md's table of methods should read:\n${expected}\n`).toBe(expected);
  });
});
