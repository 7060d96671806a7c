/**
 * Replicate runs of a protocol with accrual are byte-identical for any worker count, batch size
 * and shard split (entry days come from each twin's own stream), and report the cut-off per
 * replicate (replicate-trials.csv) and its mean per scenario (summary.json).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { mergeCommand } from '../../src/app/merge-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { tempDir } from '../helpers.js';
import { calendarProtocol } from './accrual-helpers.js';

const R = 6;
const protocolFile = calendarProtocol({
  accrual: '{ rate_per_month: [{ months: 2, rate: 5 }, { rate: 20 }] }',
  studyEnd: '{ events: 12, endpoint: OS }',
  extra: 'scenarios: [ { name: "null", no_effect: true } ]',
});
const files = (dir: string) => readdirSync(dir).filter((f) => f !== 'run.json' && f !== 'patients').sort();

describe('replicates with accrual', () => {
  const root = tempDir('vtrial-accrual-reps-');
  const run = (name: string, workers: number, batchSize?: number, shard?: { k: number; n: number }) =>
    replicatesCommand({ protocolFile, seed: 17, replicates: R, workers, batchSize, keepPatients: 0, shard, out: join(root, name), force: false });

  it('1 worker, 2 workers with batches of 2, and two shards merged write the same bytes', async () => {
    await run('one', 1);
    await run('two', 2, 2);
    await run('s1', 1, undefined, { k: 1, n: 2 });
    await run('s2', 2, undefined, { k: 2, n: 2 });
    await mergeCommand([join(root, 's1'), join(root, 's2')], join(root, 'merged'), false);
    const names = files(join(root, 'one'));
    expect(names).toContain('replicate-trials.csv');
    for (const other of ['two', 'merged']) {
      expect(files(join(root, other))).toEqual(names);
      for (const f of names) expect(readFileSync(join(root, other, f), 'utf8'), `${other}/${f}`).toBe(readFileSync(join(root, 'one', f), 'utf8'));
    }
  }, 60_000);

  it('replicate-trials.csv holds each cut-off (the 12th event: 12 events, reached) and summary.json their means', () => {
    const rows = parseCsv(readFileSync(join(root, 'one', 'replicate-trials.csv')), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!).slice(-4)).toEqual(['study_end_day', 'events_at_cutoff', 'study_end_reached', 'entered_by_cutoff']);
    expect(rows).toHaveLength(2 * R);
    expect(rows.every((r) => r.events_at_cutoff === '12' && r.study_end_reached === 'Y' && Number(r.study_end_day) > 0)).toBe(true);
    const summary = JSON.parse(readFileSync(join(root, 'one', 'summary.json'), 'utf8')) as { scenarios: { name: string; trial: Record<string, number> }[] };
    for (const s of summary.scenarios) {
      const mine = rows.filter((r) => r.scenario === s.name);
      const mean = mine.reduce((a, r) => a + Number(r.study_end_day), 0) / mine.length;
      expect(s.trial.meanStudyDurationDays).toBeCloseTo(mean, 9);
      expect(s.trial.meanEventsAtCutoff).toBe(12);
      expect(s.trial.studyEndNotReached).toBe(0);
    }
    // Under the null more patients die sooner: the 12th death comes earlier on average.
    const [base, nul] = summary.scenarios.map((s) => s.trial.meanStudyDurationDays!);
    expect(nul!).toBeLessThan(base!);
  });
});

describe('the dropout rate with a cut-off before the last entry', () => {
  // 5 a month for two months, then 20 (the 40th enters near day 106): the 2nd death comes earlier in most replicates.
  const early = calendarProtocol({ accrual: '{ rate_per_month: [{ months: 2, rate: 5 }, { rate: 20 }] }', studyEnd: '{ events: 2, endpoint: OS }', dropout: 2 });
  it('divides the dropouts by the twins randomised by the cut-off, not by the target', async () => {
    const out = join(tempDir('vtrial-accrual-drop-'), 'run');
    await replicatesCommand({ protocolFile: early, seed: 5, replicates: 8, workers: 1, keepPatients: 0, out, force: false });
    const rows = parseCsv(readFileSync(join(out, 'replicate-trials.csv')), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(8);
    for (const r of rows) {
      expect(Number(r.enrolled)).toBe(40);
      expect(Number(r.entered_by_cutoff)).toBeGreaterThan(0);
      expect(Number(r.entered_by_cutoff)).toBeLessThanOrEqual(40);
    }
    expect(rows.filter((r) => Number(r.entered_by_cutoff) < 40).length).toBeGreaterThanOrEqual(4);
    const expected = rows.reduce((a, r) => a + Number(r.dropouts) / Number(r.entered_by_cutoff), 0) / rows.length;
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { scenarios: { trial: { dropoutRate: number } }[] };
    expect(expected).toBeGreaterThan(0);
    expect(summary.scenarios[0]!.trial.dropoutRate).toBeCloseTo(expected, 12);
    // The old denominator (the target) gives a smaller rate.
    const old = rows.reduce((a, r) => a + Number(r.dropouts) / 40, 0) / rows.length;
    expect(summary.scenarios[0]!.trial.dropoutRate).toBeGreaterThan(old);
  }, 60_000);
});
