/**
 * Replicate runs with interim looks write the same bytes for any worker count, batch size and
 * shard split (merge rebuilds the sequential records from replicate-trials.csv and the analytic
 * design from the resolved protocol); a protocol without interim looks gets no sequential file or column.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { mergeCommand } from '../../src/app/merge-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { tempDir } from '../helpers.js';
import { meansProtocol, rpactSurvivalProtocol } from './interim-helpers.js';

const files = (dir: string) => readdirSync(dir).filter((f) => f !== 'run.json' && f !== 'patients').sort();

describe('interim looks: byte-identical across workers and shards', () => {
  const root = tempDir('vtrial-interim-shards-');
  const cases = [
    ['survival', rpactSurvivalProtocol('scenarios: [ { name: "null", no_effect: true } ]')],
    // Calendar-day looks: information differs per replicate, so each replicate's boundaries are its own.
    ['means', meansProtocol({ interim: '{ looks: [ { calendar_day: 150 }, { calendar_day: 260 } ], spending: hsd, gamma: -2, futility: { bounds: [-0.5, 0], binding: true } }' })],
  ] as const;
  for (const [name, protocolFile] of cases) {
    it(`${name}: 1 worker, 2 workers in batches of 3, and 2 shards merged`, async () => {
      const run = (sub: string, workers: number, batchSize?: number, shard?: { k: number; n: number }) =>
        replicatesCommand({ protocolFile, seed: 5, replicates: 8, workers, batchSize, keepPatients: 0, shard, out: join(root, name, sub), force: false });
      await run('one', 1);
      await run('two', 2, 3);
      await run('s1', 1, undefined, { k: 1, n: 2 });
      await run('s2', 1, undefined, { k: 2, n: 2 });
      await mergeCommand([join(root, name, 's1'), join(root, name, 's2')], join(root, name, 'merged'), false);
      const names = files(join(root, name, 'one'));
      expect(names).toEqual(expect.arrayContaining(['sequential-characteristics.csv', 'sequential-looks.csv']));
      for (const other of ['two', 'merged']) {
        expect(files(join(root, name, other))).toEqual(names);
        for (const f of names) expect(readFileSync(join(root, name, other, f), 'utf8'), `${other}/${f}`).toBe(readFileSync(join(root, name, 'one', f), 'utf8'));
      }
      const rows = parseCsv(readFileSync(join(root, name, 'one', 'replicate-trials.csv')), { columns: true }) as Record<string, string>[];
      for (const r of rows) {
        expect(['efficacy', 'futility', 'final']).toContain(r.seq_decision);
        const k = Number(r.seq_stop_look);
        expect(Number(r[`look${k}_day`])).toBe(Number(r.seq_stop_day));
        expect(Number(r.seq_stop_day)).toBeLessThanOrEqual(Number(r.study_end_day));
      }
    }, 120_000);
  }

  it('without interim looks: no sequential files, no sequential columns', async () => {
    const out = join(root, 'plain');
    const file = meansProtocol({ interim: '' });
    await replicatesCommand({ protocolFile: file, seed: 5, replicates: 2, workers: 1, keepPatients: 0, out, force: false });
    expect(existsSync(join(out, 'sequential-characteristics.csv'))).toBe(false);
    expect(readFileSync(join(out, 'replicate-trials.csv'), 'utf8')).not.toContain('seq_');
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).not.toContain('"sequential"');
  }, 60_000);
});
