/**
 * Golden outputs: the SHA-256 of every file a single run and a small replicate run of each shipped
 * protocol write for one seed, checked in (test/fixtures/golden/digests.json). Any change to a
 * number vtrial writes then shows here, so it is always deliberate: when it is, replace the
 * fixture with the digests this test prints, and say in the commit why the numbers moved.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { runCommand } from '../../src/app/run-command.js';
import { REPO } from '../adversarial/harness.js';
import { tempDir } from '../helpers.js';

const FIXTURE = join(REPO, 'test', 'fixtures', 'golden', 'digests.json');
const PROTOCOLS = readdirSync(join(REPO, 'protocols')).filter((f) => f.endsWith('.yaml')).sort();
const SEED = 20261130;
const REPLICATES = 4;

/** Every file below `dir` (run.json aside: it holds paths and the command line) and its SHA-256. */
function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name !== 'run.json') out[relative(dir, p).split('\\').join('/')] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function current(): Promise<Record<string, Record<string, string>>> {
  const all: Record<string, Record<string, string>> = {};
  for (const file of PROTOCOLS) {
    const protocolFile = join('protocols', file);
    const single = join(tempDir('vtrial-golden-'), 'single');
    await runCommand({ protocolFile, seed: SEED, out: single, force: false });
    all[`${file} run`] = digests(single);
    const reps = join(tempDir('vtrial-golden-'), 'replicates');
    await replicatesCommand({ protocolFile, seed: SEED, replicates: REPLICATES, workers: 1, keepPatients: 1, out: reps, force: false });
    all[`${file} run --replicates ${REPLICATES}`] = digests(reps);
  }
  return all;
}

describe('golden outputs of the shipped protocols', () => {
  it(`every file of a single run and of ${REPLICATES} replicates (seed ${SEED}) is byte for byte as checked in`, async () => {
    const now = await current();
    const expected = existsSync(FIXTURE) ? (JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown) : null;
    expect(Object.keys(now)).toHaveLength(2 * PROTOCOLS.length);
    expect(now, `outputs changed; if deliberately, replace ${relative(REPO, FIXTURE)} with:\n${JSON.stringify(now, null, 2)}\n`).toEqual(expected);
  }, 120_000);
});
