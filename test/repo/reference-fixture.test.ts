import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../adversarial/harness.js';
import { R, REFERENCE_DIR } from '../stats/reference.js';

describe('R reference data are a fixture of the repository', () => {
  it('is read from test/fixtures/r-reference inside the clone, with every section', () => {
    expect(relative(REPO, REFERENCE_DIR)).toBe(join('test', 'fixtures', 'r-reference'));
    for (const f of ['README.md', 'expected.json', 'continuous.csv', 'binary.csv', 'binary_cov.csv', 'survival.csv', 'survival_strat.csv', 'longitudinal.csv']) {
      expect(existsSync(join(REFERENCE_DIR, f)), f).toBe(true);
    }
    for (const section of ['continuous', 'binary', 'survival', 'mmrm', 'stratified', 'logistic', 'group_sequential', 'sample_size']) expect(R, section).toHaveProperty(section);
  });
  it('equals its source ../shared/reference where that sits beside the clone (refresh the copy when it changes)', () => {
    const source = join(REPO, '..', 'shared', 'reference');
    const files = existsSync(source) ? readdirSync(source).sort() : readdirSync(REFERENCE_DIR).sort();
    expect(readdirSync(REFERENCE_DIR).sort()).toEqual(files);
    const from = existsSync(source) ? source : REFERENCE_DIR;
    for (const f of files) expect(readFileSync(join(REFERENCE_DIR, f)).equals(readFileSync(join(from, f))), f).toBe(true);
  });
});
