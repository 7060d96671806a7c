import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { tempDir } from '../helpers.js';

const P = 'test/fixtures/protocols/sample-size-normal.yaml';
const cli = async (args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'vtrial', 'sample-size', ...args], { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), interactive: false });
  return { code, out: out.join(''), err: err.join('') };
};
const bytes = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe('sample-size PROTOCOL on a fixed grid, sharded', () => {
  it('the merged shards write the unsharded grid run\'s files byte for byte', async () => {
    const common = [P, '--power', '0.9', '-r', '60', '--pilot', '50', '-w', '1', '-q', '--format', 'json'];
    const whole = tempDir();
    const g = await cli([...common, '--grid', '--out', whole]);
    expect(g.code, g.err).toBe(0);
    const r = JSON.parse(g.out);
    // Centred on the pilot's analytic guess (power.t.test's 319.8 from the pilot's delta and SD): 0.5x to 2x, rounded up to the block of 4.
    expect(r.mode).toBe('grid');
    expect(r.start.from).toBe('analytic');
    expect(r.start.value).toBeGreaterThan(290);
    expect(r.start.value).toBeLessThan(350);
    expect(r.grid).toHaveLength(7);
    expect(r.search.map((s: { n: number }) => s.n)).toEqual(r.grid);
    expect(r.n % 4).toBe(0);
    expect(r.typeIError.n).toBe(r.power.n);
    const shards = [1, 2, 3].map(() => tempDir());
    for (const [k, dir] of shards.entries()) {
      const s = await cli([...common, '--shard', `${k + 1}/3`, '--out', dir]);
      expect(s.code, s.err).toBe(0);
      expect(JSON.parse(s.out).n).toBeNull();
    }
    // All shards are needed.
    const partial = await cli(['--merge', shards[0]!, shards[2]!, '--out', tempDir(), '-q']);
    expect(partial.code).toBe(2);
    expect(partial.err).toContain('expected the shards 1..3');
    const merged = tempDir();
    const m = await cli(['--merge', ...shards, '--out', merged, '-q', '--format', 'json']);
    expect(m.code, m.err).toBe(0);
    for (const f of ['sample-size.json', 'sample-size-search.csv', 'base/sweep.csv', 'base/summary.json', 'null/sweep.csv']) expect(bytes(merged, f), f).toBe(bytes(whole, f));
    for (const id of readdirSync(join(whole, 'base', 'points'))) expect(bytes(merged, `base/points/${id}/replicates.csv`)).toBe(bytes(whole, `base/points/${id}/replicates.csv`));
    expect(JSON.parse(m.out).n).toBe(r.n);
  }, 300_000);
});
