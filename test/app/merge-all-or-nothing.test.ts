/**
 * `vtrial merge` is all-or-nothing: every check (each point covered, shards of one sweep or run,
 * no replicate twice) comes before anything is written, and the result is published only when
 * complete. A failed merge leaves --out as it was: byte for byte a previous merge (--force), or
 * absent, with no staging folder behind.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { runVtrial } from '../cli-helper.js';

const POWER = 'test/fixtures/protocols/power.yaml';

/** Every entry below dir (hidden ones included) with the SHA-256 of each file's bytes. */
function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(dir, rel)).sort()) {
    const r = rel ? `${rel}/${name}` : name;
    if (lstatSync(join(dir, r)).isDirectory()) {
      out[`${r}/`] = 'dir';
      Object.assign(out, tree(dir, r));
    } else out[r] = createHash('sha256').update(readFileSync(join(dir, r))).digest('hex');
  }
  return out;
}

describe('vtrial merge of a sweep\'s shards is all-or-nothing', async () => {
  const root = tempDir();
  // 2 points x 4 replicates in 2 shards: shard 1 holds point 1, shard 2 point 2.
  // reseeded: shard 1 of the same sweep with another seed (a new sweep meant to replace the merge).
  const shard = (k: number) => join(root, `shard${k}`);
  const reseeded = join(root, 'seed2-shard1');
  for (const [k, out, seed] of [[1, shard(1), '11'], [2, shard(2), '11'], [1, reseeded, '12']] as const) {
    const r = await runVtrial('sweep', POWER, '--vary', 'enrolment.target=32,64', '-r', '4', '--workers', '1', '--scenario', 'base', '--seed', seed, '--shard', `${k}/2`, '-q', '--out', out);
    expect(r.code, r.stderr).toBe(0);
  }
  const good = join(root, 'merged');
  const first = await runVtrial('merge', shard(1), shard(2), '--out', good);
  const pointIds = readdirSync(join(shard(2), 'points'));

  it('the good merge holds both points and the sweep files', () => {
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(join(good, 'points')).sort()).toEqual([...readdirSync(join(shard(1), 'points')), ...pointIds].sort());
    expect(readdirSync(good).sort()).toEqual(['points', 'run.json', 'summary.json', 'sweep-differences.csv', 'sweep.csv']);
  });

  it('--force onto the good merge with a shard missing: exit 2 naming the point, every byte of the merge as before', async () => {
    const before = tree(good);
    // Point 1 of the new sweep is complete, point 2 missing: nothing of the new sweep may replace the old one.
    const r = await runVtrial('merge', reseeded, '--out', good, '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`no shard holds point 2 \\(enrolment\\.target=64\\): points/${pointIds[0]} is missing from every shard`));
    expect(tree(good)).toEqual(before);
  });

  it('into a new directory with a shard missing: exit 2, the directory is not created and nothing is left in its parent', async () => {
    const parent = join(root, 'fresh');
    mkdirSync(parent);
    const r = await runVtrial('merge', shard(1), '--out', join(parent, 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no shard holds point 2/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('a shard holding a point twice (the same shard given twice) is refused before anything is written', async () => {
    const before = tree(good);
    const r = await runVtrial('merge', shard(1), shard(2), shard(2), '--out', good, '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/replicates? .* covered twice/);
    expect(tree(good)).toEqual(before);
  });

  it('--force replaces only vtrial\'s files: a file of the user beside the merge stays; one inside points/ makes the merge refuse, changing nothing', async () => {
    const dir = join(root, 'with-notes');
    expect((await runVtrial('merge', shard(1), shard(2), '--out', dir)).code).toBe(0);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const again = await runVtrial('merge', shard(1), shard(2), '--out', dir, '--force');
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(tree(dir)).toEqual({ ...tree(good), 'notes.txt': tree(dir)['notes.txt']! });
    writeFileSync(join(dir, 'points', 'notes.txt'), 'mine too\n');
    const before = tree(dir);
    const r = await runVtrial('merge', shard(1), shard(2), '--out', dir, '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/points.*notes\.txt.*not written by vtrial|points.* was not written by vtrial/);
    expect(tree(dir)).toEqual(before);
  });

  it('a point\'s report (vtrial report DIR/points/<id>) is vtrial\'s own: --force replaces the point with it; an edited chart spec is the user\'s', async () => {
    const dir = join(root, 'with-report');
    expect((await runVtrial('merge', shard(1), shard(2), '--out', dir)).code).toBe(0);
    const point = join(dir, 'points', pointIds[0]!);
    expect((await runVtrial('report', point, '-q')).code).toBe(0);
    expect(existsSync(join(point, 'report.html'))).toBe(true);
    const again = await runVtrial('merge', shard(1), shard(2), '--out', dir, '--force');
    expect(again.code, again.stderr).toBe(0);
    expect(tree(dir)).toEqual(tree(good));
    // A spec edited since the report wrote it is no longer vtrial's: the merge refuses and changes nothing.
    expect((await runVtrial('report', point, '-q')).code).toBe(0);
    const spec = readdirSync(join(point, 'report')).find((f) => f.endsWith('.vl.json'))!;
    writeFileSync(join(point, 'report', spec), '{}\n');
    const before = tree(dir);
    const r = await runVtrial('merge', shard(1), shard(2), '--out', dir, '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`points/${pointIds[0]}/report was not written by vtrial`);
    expect(tree(dir)).toEqual(before);
  });
});

describe('vtrial merge of a replicate run\'s shards is all-or-nothing', async () => {
  const root = tempDir();
  const shard = (k: number) => join(root, `shard${k}`);
  for (const k of [1, 2]) {
    const r = await runVtrial('run', POWER, '--replicates', '4', '--workers', '1', '--scenario', 'base', '--shard', `${k}/2`, '-q', '--out', shard(k));
    expect(r.code, r.stderr).toBe(0);
  }
  const good = join(root, 'merged');
  const first = await runVtrial('merge', shard(1), shard(2), '--out', good);

  it('--force onto a good merge with a shard missing: exit 2 naming the replicates, the merge byte for byte as before', async () => {
    expect(first.code, first.stderr).toBe(0);
    const before = tree(good);
    const r = await runVtrial('merge', shard(1), '--out', good, '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/replicates 3-4 are missing \(no shard covers them\)/);
    expect(tree(good)).toEqual(before);
  });

  it('into a new directory with a shard missing: exit 2, nothing is created', async () => {
    const parent = join(root, 'fresh');
    mkdirSync(parent);
    const r = await runVtrial('merge', shard(2), '--out', join(parent, 'a', 'out'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/replicates 1-2 are missing/);
    expect(readdirSync(parent)).toEqual([]);
    expect(existsSync(join(parent, 'a'))).toBe(false);
  });
});

describe('vtrial sample-size --merge is all-or-nothing', async () => {
  const root = tempDir();
  const P = 'test/fixtures/protocols/sample-size-normal.yaml';
  const shardOf = async (k: number, seed: string, out: string) => {
    const r = await runVtrial('sample-size', P, '--power', '0.9', '-r', '4', '--start', 'protocol', '-w', '1', '--seed', seed, '--shard', `${k}/2`, '-q', '--out', out);
    expect(r.code, r.stderr).toBe(0);
  };
  const shards = [join(root, 'shard1'), join(root, 'shard2')];
  for (const [i, dir] of shards.entries()) await shardOf(i + 1, '1', dir);
  // A new search (another seed) whose second shard lost its null sweep's manifest: its base sweep merges, its null sweep cannot.
  const broken = [join(root, 'seed2-shard1'), join(root, 'seed2-shard2')];
  for (const [i, dir] of broken.entries()) await shardOf(i + 1, '2', dir);
  rmSync(join(broken[1]!, 'null', 'run.json'));
  const good = join(root, 'merged');
  const first = await runVtrial('sample-size', '--merge', ...shards, '--out', good, '-q');

  it('--force onto a good merge, the null sweep failing after the base one: exit 2, the merge byte for byte as before', async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(good).sort()).toEqual(['base', 'null', 'run.json', 'sample-size-search.csv', 'sample-size.json']);
    const before = tree(good);
    const r = await runVtrial('sample-size', '--merge', ...broken, '--out', good, '--force', '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/seed2-shard2\/null.*run\.json/);
    expect(tree(good)).toEqual(before);
  });

  it('--force replaces base/ only when it holds nothing but vtrial\'s sweep: a stray file there makes the merge refuse, changing nothing', async () => {
    const dir = join(root, 'with-notes');
    expect((await runVtrial('sample-size', '--merge', ...shards, '--out', dir, '-q')).code).toBe(0);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const again = await runVtrial('sample-size', '--merge', ...shards, '--out', dir, '--force', '-q');
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
    writeFileSync(join(dir, 'base', 'notes.txt'), 'mine too\n');
    const before = tree(dir);
    const r = await runVtrial('sample-size', '--merge', ...shards, '--out', dir, '--force', '-q');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/base\/notes\.txt was not written by vtrial/);
    expect(tree(dir)).toEqual(before);
  });

  it('into a new directory: exit 2, nothing is created', async () => {
    const parent = join(root, 'fresh');
    mkdirSync(parent);
    const r = await runVtrial('sample-size', '--merge', ...broken, '--out', join(parent, 'out'), '-q');
    expect(r.code).toBe(2);
    expect(readdirSync(parent)).toEqual([]);
  });
});
