/**
 * A tiny, dropout-heavy MMRM (the hypertension protocol with 14 patients in 5 arms and a
 * dropout hazard of 3 per year) where the REML surface is flat in the covariance: the
 * Satterthwaite df of the target contrast falls to about 0 and the fit's estimate is arbitrary
 * (nlme finds another local optimum). Such a row must be NA with a note, never a finite number
 * (review: replicate 21 reported 316 mmHg against a truth of -6.6).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

describe('MMRM with a covariance the data do not identify', () => {
  it('is NA, not a finite estimate, where the Satterthwaite df is below 1', async () => {
    const dir = tempDir();
    const protocol = readFileSync(join(REPO, 'protocols/hypertension-dose-ranging.yaml'), 'utf8')
      .replace('cohort: ../cohorts/hypertension.yaml', `cohort: ${JSON.stringify(join(REPO, 'cohorts/hypertension.yaml'))}`)
      .replace('target: 400', 'target: 14')
      .replace('block_size: 10', 'block_size: 5')
      .replace('background_per_year: 0.25', 'background_per_year: 3')
      .replace('    - { endpoint: SBP_CHG, method: ancova, covariates: [BASE, age] }', '    - { endpoint: SBP_CHG, method: mmrm, covariates: [BASE, age], covariance: toeplitz }');
    expect(protocol).toContain('method: mmrm');
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, protocol);
    const out = join(dir, 'out');
    await replicatesCommand({ protocolFile: file, seed: 2, replicates: 21, workers: 1, keepPatients: 0, scenario: 'base', out, force: false });
    const rows = (parse(readFileSync(join(out, 'replicates.csv')), { columns: true }) as Record<string, string>[]).filter((r) => r.method === 'mmrm');
    const r21 = rows.find((r) => r.replicate === '21' && r.arm === 'arb_20mg')!;
    expect(r21.estimate).toBe('NA');
    for (const r of rows.filter((x) => x.estimate !== 'NA')) {
      // Whatever is estimated is an SBP difference of plausible size, with a finite SE and p.
      expect(Math.abs(Number(r.estimate))).toBeLessThan(60);
      expect(Number.isFinite(Number(r.se))).toBe(true);
      expect(Number(r.p)).toBeGreaterThanOrEqual(0);
    }
  });
});
