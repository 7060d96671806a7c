import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnrolmentShortfall } from '../../src/screening/enrolment-shortfall.js';
import { mergeCommand } from '../../src/app/merge-command.js';
import { replicatesCommand, shardRange } from '../../src/app/replicates-command.js';
import { powerTTest } from '../../src/stats/power.js';
import { tempDir } from '../helpers.js';

const POWER = 'test/fixtures/protocols/power.yaml';
const SUMMARY_FILES = ['summary.json', 'operating-characteristics.csv', 'safety-characteristics.csv', 'replicates.csv', 'replicate-trials.csv', 'replicate-safety.csv'];
const run = (out: string, extra: Partial<Parameters<typeof replicatesCommand>[0]> = {}) =>
  replicatesCommand({ protocolFile: POWER, seed: 11, replicates: 60, workers: 1, keepPatients: 0, out, force: false, ...extra });
const same = (a: string, b: string) => {
  for (const f of SUMMARY_FILES) expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
};

describe('replicate runs are reproducible whatever the parallelism', () => {
  const root = tempDir();
  it('1, 2 and 3 workers, and different batch sizes, give byte-identical files', async () => {
    await run(join(root, 'w1'), { workers: 1 });
    await run(join(root, 'w2'), { workers: 2, batchSize: 7 });
    await run(join(root, 'w3'), { workers: 3, batchSize: 2 });
    same(join(root, 'w1'), join(root, 'w2'));
    same(join(root, 'w1'), join(root, 'w3'));
    const s = JSON.parse(readFileSync(join(root, 'w1', 'summary.json'), 'utf8'));
    expect(s.scenarios.map((x: { name: string }) => x.name)).toEqual(['base', 'null', 'smaller']);
    expect(s.scenarios[0].operatingCharacteristics[0].replicates).toBe(60);
  });
  it('shards 1/3 + 2/3 + 3/3 merged equal the unsharded run', async () => {
    for (const k of [1, 2, 3]) await run(join(root, `s${k}`), { shard: { k, n: 3 }, workers: k === 2 ? 2 : 1 });
    expect(readdirSync(join(root, 's2')).sort()).toEqual(['replicate-safety.csv', 'replicate-trials.csv', 'replicates.csv', 'run.json']);
    await mergeCommand([join(root, 's3'), join(root, 's1'), join(root, 's2')], join(root, 'merged'), false);
    same(join(root, 'w1'), join(root, 'merged'));
  });
  it('merge refuses incomplete or overlapping shard sets', async () => {
    await expect(mergeCommand([join(root, 's1'), join(root, 's3')], join(root, 'bad1'), false)).rejects.toThrow(/replicates 21-40 are missing/);
    await expect(mergeCommand([join(root, 's1'), join(root, 's1'), join(root, 's2'), join(root, 's3')], join(root, 'bad2'), false)).rejects.toThrow(/covered twice/);
  });
  it('a single missing replicate is named as one (B19)', async () => {
    const small = (out: string, k: number) => run(join(root, out), { replicates: 3, shard: { k, n: 3 } });
    for (const k of [1, 2, 3]) await small(`one${k}`, k);
    await expect(mergeCommand([join(root, 'one1'), join(root, 'one2')], join(root, 'bad3'), false)).rejects.toThrow(/: replicate 3 is missing \(no shard covers it\)$/);
    await expect(mergeCommand([join(root, 'one2'), join(root, 'one3')], join(root, 'bad4'), false)).rejects.toThrow(/: replicate 1 is missing \(no shard covers it\)$/);
    await expect(mergeCommand([join(root, 'one1'), join(root, 'one2'), join(root, 'one2'), join(root, 'one3')], join(root, 'bad5'), false)).rejects.toThrow(/: replicate 2 is covered twice$/);
  });
  it('shard ranges partition the replicates', () => {
    expect([1, 2, 3].map((k) => shardRange(10, { k, n: 3 }))).toEqual([[0, 3], [3, 6], [6, 10]]);
  });
});

describe('operating characteristics agree with theory', async () => {
  const out = join(tempDir(), 'oc');
  const R = 1000;
  const result = await replicatesCommand({ protocolFile: POWER, seed: 2026, replicates: R, workers: 2, keepPatients: 1, out, force: false });
  const oc = (scenario: string) => result.summary!.scenarios.find((s) => s.name === scenario)!.operatingCharacteristics[0]!;
  const within3se = (observed: number, expected: number) => {
    const se = Math.sqrt((expected * (1 - expected)) / R);
    expect(Math.abs(observed - expected), `observed ${observed}, expected ${expected} (SE ${se})`).toBeLessThan(3 * se);
  };

  it('simulated power lies within 3 Monte Carlo SEs of power.t.test', () => {
    within3se(oc('base').power, powerTTest({ n: 32, delta: 0.6, sd: 1 }));
    within3se(oc('smaller').power, powerTTest({ n: 32, delta: 0.3, sd: 1 }));
  });
  it("the null scenario's type I error lies within 3 SEs of alpha", () => {
    within3se(oc('null').power, 0.05);
    expect(oc('null').trueEffect).toBe(0);
  });
  it('95% CI coverage of the true effect lies within 3 SEs of 0.95; the truth is the simulated effect', () => {
    expect(oc('base').trueEffect).toBeCloseTo(0.6, 9);
    for (const s of ['base', 'null', 'smaller']) within3se(oc(s).coverage!, 0.95);
    expect(Math.abs(oc('base').bias!)).toBeLessThan(3 * (Math.sqrt(2 / 32) / Math.sqrt(R)));
  });
  it('keeps patient-level files for the first replicate of each scenario only', () => {
    expect(readdirSync(join(out, 'patients'))).toEqual(['base', 'null', 'smaller']);
    expect(readdirSync(join(out, 'patients', 'base'))).toEqual(['replicate-000001']);
    expect(readdirSync(join(out, 'patients', 'base', 'replicate-000001')).sort()).toEqual(['adae.csv', 'adeff.csv', 'adpc.csv', 'adsl.csv', 'adtte.csv', 'counterfactual.csv']);
  });
});

describe('a failed run leaves nothing behind in the process', () => {
  it('a run after a failed one (files open when it stopped) writes the same bytes as before it: no descriptor of the failed run is closed late', async () => {
    const root = tempDir();
    await run(join(root, 'before'), { replicates: 20 });
    for (let k = 0; k < 3; k++) {
      const err = await replicatesCommand({ protocolFile: 'test/fixtures/protocols/shortfall.yaml', seed: 1, replicates: 200, workers: 1, keepPatients: 200, out: join(root, `failed-${k}`), force: false }).catch((e) => e);
      expect(err).toBeInstanceOf(EnrolmentShortfall);
      await run(join(root, `after-${k}`), { replicates: 20 });
      same(join(root, 'before'), join(root, `after-${k}`));
    }
  });
});

describe('failures stop the run and name the replicate', () => {
  for (const workers of [1, 2]) {
    it(`a replicate that cannot enrol stops the run (${workers} worker${workers > 1 ? 's' : ''}), leaving no output file`, async () => {
      const out = join(tempDir(), 'x');
      const err = await replicatesCommand({ protocolFile: 'test/fixtures/protocols/shortfall.yaml', seed: 1, replicates: 200, workers, keepPatients: 0, out, force: false }).catch((e) => e);
      expect(err).toBeInstanceOf(EnrolmentShortfall);
      expect(err.message).toMatch(/^replicate \d+ of scenario base: enrolment target not reached: \d+ of 40 twins enrolled after screening 84/);
      expect(existsSync(out)).toBe(false); // the folder this run created is removed again
    });
  }
});
