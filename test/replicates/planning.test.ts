import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicatesCommand, type ReplicatesProgress } from '../../src/app/replicates-command.js';
import { loadRun } from '../../src/app/replicates-command.js';
import { compileRun } from '../../src/replicates/compile-run.js';
import { executeBatches, planBatches } from '../../src/replicates/executor.js';
import type { BatchTask } from '../../src/replicates/worker.js';
import { tempDir } from '../helpers.js';

const POWER = 'test/fixtures/protocols/power.yaml';
const base = { protocolFile: POWER, seed: 3, keepPatients: 0 };

describe('batches are planned lazily, so memory does not grow with the number of replicates', () => {
  it('10,000,000 replicates of 3 scenarios: the plan is a generator, its first tasks come at once', () => {
    const plan = planBatches(base, 3, 0, 10_000_000, 1);
    expect(Array.isArray(plan)).toBe(false);
    const first = [plan.next().value, plan.next().value] as BatchTask[];
    expect(first.map((t) => [t.scenarioIndex, t.start, t.end])).toEqual([[0, 0, 1], [0, 1, 2]]);
  });
  it('the plan covers [from, to) of every scenario once, in order', () => {
    const tasks = [...planBatches(base, 2, 3, 10, 3)];
    expect(tasks.map((t) => [t.scenarioIndex, t.start, t.end])).toEqual([[0, 3, 6], [0, 6, 9], [0, 9, 10], [1, 3, 6], [1, 6, 9], [1, 9, 10]]);
  });
  for (const workers of [1, 2]) {
    it(`the executor draws at most 2 batches per worker ahead of the results (${workers} worker${workers > 1 ? 's' : ''})`, async () => {
      let drawn = 0;
      function* counted(): Generator<BatchTask> {
        for (const t of planBatches(base, 1, 0, 12, 1)) {
          drawn++;
          yield t;
        }
      }
      const ahead: number[] = [];
      let results = 0;
      const source = loadRun(POWER, undefined, 3);
      await executeBatches(counted(), { workers, source, run: compileRun(source), onResult: () => void ahead.push(drawn - ++results) });
      expect(results).toBe(12);
      expect(Math.max(...ahead)).toBeLessThanOrEqual(2 * workers);
    });
  }
});

describe('progress names the scenario and counts its own replicates', () => {
  it('3 scenarios of 10 replicates: scenario k of 3, replicate i of 10, and the overall count', async () => {
    const calls: ReplicatesProgress[] = [];
    await replicatesCommand({ ...base, replicates: 10, workers: 1, batchSize: 4, out: join(tempDir(), 'r'), force: false, onProgress: (p) => calls.push(p) });
    expect(calls.map((c) => `${c.scenario} ${c.scenarioNumber}/${c.scenarios} ${c.done}/${c.total} ${c.doneAll}/${c.totalAll}`)).toEqual([
      'base 1/3 4/10 4/30', 'base 1/3 8/10 8/30', 'base 1/3 10/10 10/30',
      'null 2/3 4/10 14/30', 'null 2/3 8/10 18/30', 'null 2/3 10/10 20/30',
      'smaller 3/3 4/10 24/30', 'smaller 3/3 8/10 28/30', 'smaller 3/3 10/10 30/30',
    ]);
  });
  it('a shard counts its own share', async () => {
    const calls: ReplicatesProgress[] = [];
    await replicatesCommand({ ...base, replicates: 10, workers: 1, batchSize: 100, shard: { k: 2, n: 2 }, scenario: 'null', out: join(tempDir(), 's'), force: false, onProgress: (p) => calls.push(p) });
    expect(calls.map((c) => `${c.scenario} ${c.scenarioNumber}/${c.scenarios} ${c.done}/${c.total}`)).toEqual(['null 1/1 5/5']);
  });
});
