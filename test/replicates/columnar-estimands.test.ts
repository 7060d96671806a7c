/**
 * With intercurrent events and estimands the replicate engine's columnar analysis
 * (src/analysis/trial-source.ts) and the ADaM path (`vtrial analyze` on the patient files, reading
 * ADSL's ICE days) must still give the same numbers, true effects included (counterfactual.csv's
 * estimand columns): every strategy, continuous, responder and time-to-event endpoints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

const REPLICATES = 2;
type Row = Record<string, string>;
const csv = (file: string): Row[] => parseCsv(readFileSync(file), { columns: true }) as Row[];
const NUMBERS = ['estimate', 'se', 'lower', 'upper', 'p', 'p_adjusted', 'true_effect'] as const;

describe('columnar analysis equals the ADaM path under estimands', () => {
  it.each(['estimand-all.yaml', 'estimand-mar.yaml', 'estimand-policy.yaml'])('%s', async (name) => {
    const dir = tempDir('vtrial-columnar-estimands-');
    const protocolFile = join(REPO, 'test/fixtures/protocols', name);
    const out = join(dir, 'reps');
    await replicatesCommand({ protocolFile, seed: 20261130, replicates: REPLICATES, workers: 1, keepPatients: REPLICATES, scenario: 'base', out, force: false });
    const reps = csv(join(out, 'replicates.csv'));
    let compared = 0;
    for (let r = 1; r <= REPLICATES; r++) {
      const patients = join(out, 'patients', 'base', `replicate-${String(r).padStart(6, '0')}`);
      const analysed = join(dir, `analysed-${r}`);
      await analyzeCommand({ dir: patients, protocolFile, out: analysed, seed: 20261130, replicate: r - 1 });
      const single = csv(join(analysed, 'efficacy.csv'));
      const replicate = reps.filter((x) => x.replicate === String(r));
      expect(replicate.length).toBe(single.length);
      single.forEach((s, i) => {
        const x = replicate[i]!;
        expect([x.endpoint, x.method, x.arm]).toEqual([s.endpoint, s.method, s.arm]);
        for (const k of NUMBERS) expect(x[k], `replicate ${r}, row ${i + 1} (${s.endpoint} ${s.method}), ${k}`).toBe(s[k] === '' ? 'NA' : s[k]);
        compared++;
      });
    }
    expect(reps.every((x) => x.true_effect !== 'NA')).toBe(true);
    expect(compared).toBeGreaterThanOrEqual(2 * REPLICATES);
  });
});
