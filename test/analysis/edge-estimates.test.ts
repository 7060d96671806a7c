/**
 * Edge cases of estimates through the plan: a one-sided log-rank test whose active arm has no
 * events (no hazard ratio; the direction comes from observed against expected events), and a
 * responder endpoint with a zero cell (logistic: not estimable, as the odds ratio is infinite).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { logRank } from '../../src/stats/log-rank.js';
import { tempDir } from '../helpers.js';

describe('edge estimates', () => {
  it('one-sided log-rank without events in the active arm, and logistic with a zero cell', async () => {
    const dir = tempDir();
    const ids = Array.from({ length: 40 }, (_, i) => `S${i + 1}`);
    const arm = (i: number) => (i < 20 ? 'ACTIVE' : 'PLACEBO');
    const w = (name: string, columns: string[], rows: unknown[][]) => writeFileSync(join(dir, name), stringify(rows, { header: true, columns }));
    w('adsl.csv', ['USUBJID', 'RANDFL', 'TRT01A', 'EOSSTT', 'AGE'], ids.map((u, i) => [u, 'Y', arm(i), 'COMPLETED', 50 + i]));
    // Active: all censored at day 100; placebo: 15 events on days 5..75, 5 censored at 100.
    const times = ids.map((_, i) => (i < 20 ? 100 : i < 35 ? 5 * (i - 19) : 100));
    const events = ids.map((_, i) => (i >= 20 && i < 35 ? 1 : 0));
    w('adtte.csv', ['USUBJID', 'PARAMCD', 'AVAL', 'CNSR'], ids.map((u, i) => [u, 'SURV', times[i], 1 - events[i]!]));
    // Responders: 6 of 20 active, 0 of 20 placebo.
    w('adeff.csv', ['USUBJID', 'PARAMCD', 'AVISIT', 'AVAL', 'BASE', 'CHG'], ids.map((u, i) => [u, 'R', 'Week 4', i < 6 ? 1 : 0, 0, i < 6 ? 1 : 0]));
    w('adae.csv', ['USUBJID', 'AEDECOD', 'AETOXGR', 'AESER', 'AEACN'], []);
    const r = await analyzeCommand({ dir, protocolFile: 'test/fixtures/analysis/one-sided-edges.yaml', out: join(dir, 'out') });
    const [lr, logit, fisher] = r.efficacy;
    const two = logRank(times, events, ids.map((_, i) => arm(i)), ['ACTIVE', 'PLACEBO']);
    expect(lr!.estimate).toBeNull();
    expect(lr!.p).toBeCloseTo(two.p / 2, 15); // every event in the control arm: the favourable half
    expect(lr!.reject).toBe(true);
    expect(logit!.estimate).toBeNull();
    expect(logit!.note).toMatch(/not estimable: .*zero cell/);
    expect(fisher!.note).toMatch(/zero cell/);
  });
});
