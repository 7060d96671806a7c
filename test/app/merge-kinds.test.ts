/** `vtrial merge` given shards of another kind says what they are, not that a good shard is broken. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { runVtrial } from '../cli-helper.js';

const POWER = 'test/fixtures/protocols/power.yaml';

describe('merge of shards of another kind', async () => {
  const root = tempDir();
  const run = join(root, 'run1');
  const sweep = join(root, 'sweep2');
  expect((await runVtrial('run', POWER, '--replicates', '4', '--workers', '1', '--scenario', 'base', '--shard', '1/2', '-q', '--out', run)).code).toBe(0);
  expect((await runVtrial('sweep', POWER, '--vary', 'enrolment.target=32,64', '-r', '4', '--workers', '1', '--scenario', 'base', '--shard', '2/2', '-q', '--out', sweep)).code).toBe(0);

  it("a sweep shard after a replicate run's: exit 2 naming the sweep shard as one, nothing written", async () => {
    const out = join(root, 'out');
    const r = await runVtrial('merge', run, sweep, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(sweep, 'run.json')}: is the manifest of a sweep shard, and the first shard given is a replicate run's`);
    expect(r.stderr).not.toContain('re-run this shard');
  });
});
