/**
 * Adversarial cases for command-line flags, closed pipes and progress output (issue 9, items 9-11):
 * runaway sizes and malformed numbers are refused up front (exit 2, no file touched); a closed
 * pipe ends the output quietly (exit 0); progress never floods, stalls or colours under NO_COLOR.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { BIN, expectClean, expectPreserved, REPO, snapshotTree, vtrial, stagingLeftovers } from './harness.js';

const T2D = join(REPO, 'cohorts/t2d.yaml');
const POWER = join(REPO, 'test/fixtures/protocols/power.yaml');
const CORES = availableParallelism();

/** A temp dir holding one file, and a check that a refused command left it exactly as it was. */
function workspace() {
  const dir = tempDir();
  writeFileSync(join(dir, 'keep.txt'), 'precious');
  const before = snapshotTree(dir);
  return { dir, before, untouched: (what: string) => {
    expectPreserved(before, dir, what);
    expect([...snapshotTree(dir).keys()], `${what}: new files`).toEqual([...before.keys()]);
  } };
}

const cohort = (...a: string[]) => ['cohort', T2D, '--out', 'x.csv', ...a];
const screen = (...a: string[]) => ['screen', POWER, ...a];
const run = (...a: string[]) => ['run', POWER, '--replicates', '2', '--out', 'r', ...a];
const sampleSize = (...a: string[]) => ['sample-size', '--delta', '0.5', '--sd', '1', '--rho', '0.5', ...a];

describe('bad numeric flag values: exit 2 with a message, before anything is written', () => {
  it.concurrent.each<[string, string[], RegExp]>([
    ['cohort --n 1e9', cohort('--n', '1e9'), /found "1e9"/],
    ['cohort --n 1000000000', cohort('--n', '1000000000'), /1,000,000,000 is above the limit of 100,000,000 for a number of twins; generate more as several files/],
    ['cohort --n 0', cohort('--n', '0'), /a whole number >= 1 .*found "0"/],
    ['cohort --n -5', cohort('--n', '-5'), /found "-5"/],
    ['cohort --n ""', cohort('--n', ''), /found ""/],
    ['cohort --n 2^53+1', cohort('--n', '9007199254740993'), /found "9007199254740993"/],
    ['cohort --seed -1', cohort('--n', '5', '--seed', '-1'), /expected a seed \(a whole number >= 0\), found "-1"/],
    ['cohort --seed 1.5', cohort('--n', '5', '--seed', '1.5'), /found "1.5"/],
    ['cohort --replicate abc', cohort('--n', '5', '--replicate', 'abc'), /expected a replicate index .*found "abc"/],
    ['screen --target 0', screen('--target', '0'), /expected a target .*found "0"/],
    ['screen --max-screened 1e12', screen('--max-screened', '1e12'), /found "1e12"/],
    ['screen --max-screened 10^12', screen('--max-screened', '1000000000000'), /--max-screened: 1000000000000 is above the limit of 10000000 twins screened/],
    ['run --replicates 100000000', run('--replicates', '100000000'), /100,000,000 is above the limit of 1,000,000 for a number of replicates; this is a hard limit/],
    ['run --workers 0', run('--workers', '0'), /expected a number of workers .*found "0"/],
    ['run --workers 1000', run('--workers', '1000'), /--workers 1000 is above the hard limit of 256/],
    ['run --workers 1000 --allow-oversubscribe', run('--workers', '1000', '--allow-oversubscribe'), /--workers 1000 is above the hard limit of 256/],
    ['run --workers cores+1', run('--workers', String(CORES + 1)), new RegExp(`--workers ${CORES + 1} is more than the ${CORES} cores? available.*--allow-oversubscribe`)],
    ['run --batch-size 0', run('--batch-size', '0'), /expected a batch size .*found "0"/],
    ['run --batch-size 1000000', run('--batch-size', '1000000'), /above the limit of 10,000 for a batch size/],
    ['run --keep-patients -1', run('--keep-patients', '-1'), /found "-1"/],
    ['run --shard 0/3', run('--shard', '0/3'), /expected k\/n with 1 <= k <= n/],
    ['run --shard 1/huge', run('--shard', '1/99999999999999999999'), /expected k\/n/],
    ['sample-size --delta ""', sampleSize('--delta', ''), /expected a treatment difference \(a finite decimal number such as 0.5\), found ""/],
    ['sample-size --sd Infinity', sampleSize('--sd', 'Infinity'), /expected a standard deviation .*found "Infinity"/],
    ['sample-size --rho 0x10', sampleSize('--rho', '0x10'), /found "0x10"/],
    ['sample-size --power 1,5', sampleSize('--power', '1,5'), /found "1,5"/],
    ['sample-size --alpha 0', sampleSize('--alpha', '0'), /--alpha: expected a value between 1e-10 and 0.5, found 0/],
    // B1/B11: where 1 - alpha/2 rounds to 1 or the solver has no root: exit 2 with the reason, never a number.
    ['sample-size --alpha 1e-16', sampleSize('--alpha', '1e-16'), /--alpha: expected a value between 1e-10 and 0.5, found 1e-16/],
    ['sample-size --alpha 1e-11', sampleSize('--alpha', '1e-11'), /--alpha: expected a value between 1e-10 and 0.5, found 1e-11/],
    ['sample-size --power 1', sampleSize('--power', '1'), /--power: expected a value above alpha\/2 and at most 1 - 1e-10, found 1/],
    ['sample-size --rho 0.999999999', sampleSize('--rho', '0.999999999'), /--rho: expected a value between -0.999999 and 0.999999, found 0.999999999/],
    ['sample-size --delta 1e-300', sampleSize('--delta', '1e-300'), /--delta: expected a value with \|delta\|\/sd between 1e-6 and 1e6, found 1e-300/],
    ['sample-size --delta 0.001 --sd 100', sampleSize('--delta', '0.001', '--sd', '100'), /sample-size \(unadjusted\): no per-arm n below 10000000 reaches power 0.8 for these inputs/],
    ['sample-size --delta 100', sampleSize('--delta', '100'), /sample-size \(unadjusted\): the smallest design \(2 per arm\) already has power 1.00000 >= 0.8/],
    ['sample-size --covariates 1000', sampleSize('--delta', '1', '--covariates', '1000'), /sample-size \(PROCOVA\): the smallest design \(502 per arm\) already has power/],
    ['sample-size --deflate 0', sampleSize('--deflate', '0'), /--deflate: expected a value in \(0, 1\], found 0/],
    ['sample-size --covariates 1e3', sampleSize('--covariates', '1e3'), /found "1e3"/],
  ])('%s', async (what, args, message) => {
    const ws = workspace();
    const r = await vtrial(args, { cwd: ws.dir, timeoutMs: 20_000 });
    expectClean(r, 2, what);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    ws.untouched(what);
  });
});

describe('workers beyond the cores', () => {
  it('run with more workers than cores and --allow-oversubscribe works, with the same results as 1 worker', async () => {
    const ws = workspace();
    const many = await vtrial(['run', POWER, '--replicates', '3', '--workers', String(CORES + 2), '--allow-oversubscribe', '--keep-patients', '0', '--out', 'many', '-q'], { cwd: ws.dir, timeoutMs: 60_000 });
    expectClean(many, 0, 'oversubscribed');
    const one = await vtrial(['run', POWER, '--replicates', '3', '--workers', '1', '--keep-patients', '0', '--out', 'one', '-q'], { cwd: ws.dir, timeoutMs: 60_000 });
    expectClean(one, 0, 'one worker');
    expect(readFileSync(join(ws.dir, 'many', 'replicates.csv'), 'utf8')).toBe(readFileSync(join(ws.dir, 'one', 'replicates.csv'), 'utf8'));
  });
});

describe('a closed pipe ends the output quietly (exit 0, no stack trace)', () => {
  it('cohort --out - whose reader stops after a few bytes: stops generating promptly', async () => {
    const r = await vtrial(['cohort', T2D, '--n', '50000000', '--out', '-'], {
      timeoutMs: 30_000,
      onSpawn: (child) => child.stdout!.once('data', () => child.stdout!.destroy()),
    });
    expectClean(r, 0, 'cohort to a closed pipe');
    expect(r.stderr).toBe('');
  });
  it.each([
    ['run --help | head -1', `node ${BIN} run --help | head -1`],
    ['cohort --out - | head -3', `node ${BIN} cohort ${T2D} --n 200000 --out - | head -3`],
    ['validate --format json | head -c 10', `node ${BIN} validate ${T2D} --format json | head -c 10`],
  ])('%s', (what, pipeline) => {
    for (let i = 0; i < 2; i++) {
      const r = spawnSync('bash', ['-c', `${pipeline} >/dev/null; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 30_000 });
      expect(r.stdout.trim(), `${what}: ${r.stderr}`).toBe('status 0');
      expect(r.stderr, what).toBe('');
    }
  });
});

describe('standard output on a full device (B15): one line on stderr, exit 1', () => {
  it.each([
    ['screen', `screen ${POWER}`],
    ['validate', `validate ${T2D}`],
    ['sample-size', 'sample-size --delta 0.5 --sd 1 --rho 0.5'],
    ['run --format json', `run ${POWER} --format json --out r -q`],
    ['cohort --out -', `cohort ${T2D} --n 20000 --out -`],
  ])('%s > /dev/full', (what, args) => {
    const ws = workspace();
    const r = spawnSync('bash', ['-c', `node ${BIN} ${args} > /dev/full`], { cwd: ws.dir, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, `${what}: ${r.stderr}`).toBe(1);
    expect(r.stderr).toBe('vtrial: cannot write the report to standard output: ENOSPC (no space left on device)\n');
  });
});

describe('a deleted working directory (B19)', () => {
  it.each([['run', `run ${POWER} --out o`], ['validate', 'validate x.yaml'], ['cohort', `cohort ${T2D} --n 5 --out x.csv`]])('%s: exit 2 saying so, not a raw uv_cwd error', (what, args) => {
    const ws = workspace();
    const gone = join(ws.dir, 'gone');
    const r = spawnSync('bash', ['-c', `mkdir "${gone}" && cd "${gone}" && rmdir "${gone}" && node ${BIN} ${args}`], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, `${what}: ${r.stderr}`).toBe(2);
    expect(r.stderr).toBe('vtrial: the current directory no longer exists (it was deleted or moved); change to an existing directory\n');
    expect(r.stdout).toBe('');
    ws.untouched(what);
  });
});

describe('progress off a terminal', () => {
  it('run --replicates: plain lines naming the scenario and its replicate (interval shortened for the test)', async () => {
    const ws = workspace();
    const r = await vtrial(['run', POWER, '--replicates', '20', '--batch-size', '5', '--workers', '1', '--keep-patients', '0', '--out', 'r'], { cwd: ws.dir, env: { VTRIAL_PROGRESS_INTERVAL_MS: '0' }, timeoutMs: 60_000 });
    expectClean(r, 0, 'progress lines');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('vtrial run: '));
    expect(lines[0]).toMatch(/^vtrial run: scenario base \(1\/3\): replicate 5\/20 · [\d.]+\/s · ETA /);
    expect(lines).toContainEqual(expect.stringMatching(/^vtrial run: scenario null \(2\/3\): replicate 20\/20 /));
    expect(lines.at(-1)).toMatch(/^vtrial run: scenario smaller \(3\/3\): replicate 20\/20 /);
    expect(r.stderr).not.toMatch(/\x1b/);
  });
  it('cohort: plain lines counting twins', async () => {
    const ws = workspace();
    const r = await vtrial(['cohort', T2D, '--n', '3000', '--out', 'x.csv'], { cwd: ws.dir, env: { VTRIAL_PROGRESS_INTERVAL_MS: '0' }, timeoutMs: 30_000 });
    expectClean(r, 0, 'cohort progress');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('vtrial cohort: twin '))).toHaveLength(3);
  });
  it('--quiet: nothing on stderr, even with the shortest interval', async () => {
    const ws = workspace();
    const r = await vtrial(['run', POWER, '--replicates', '10', '--workers', '1', '--keep-patients', '0', '--out', 'r', '--quiet'], { cwd: ws.dir, env: { VTRIAL_PROGRESS_INTERVAL_MS: '0' }, timeoutMs: 60_000 });
    expectClean(r, 0, 'quiet');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
  });
  it('the default interval is 30 s: a short run prints no progress line', async () => {
    const ws = workspace();
    const r = await vtrial(['cohort', T2D, '--n', '3000', '--out', 'x.csv'], { cwd: ws.dir, env: { VTRIAL_PROGRESS_INTERVAL_MS: '' }, timeoutMs: 30_000 });
    expectClean(r, 0, 'default interval');
    expect(r.stderr).not.toMatch(/vtrial cohort: twin/);
  });
});

describe('progress on a terminal (under script(1))', () => {
  const underScript = (command: string, env: NodeJS.ProcessEnv, timeoutMs: number) => {
    const dir = tempDir();
    const log = join(dir, 'typescript.log');
    const t0 = performance.now();
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    delete childEnv.CI; // a spinner is wanted here, as on a user's terminal
    const r = spawnSync('script', ['-q', '-c', command, log], { cwd: dir, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    return { r, dir, log: existsSync(log) ? readFileSync(log, 'latin1') : '', bytes: existsSync(log) ? statSync(log).size : 0, ms: performance.now() - t0 };
  };
  it('a terminal of 0 columns (stdin /dev/null): the run ends and the output stays small', () => {
    const { r, dir, log, bytes } = underScript(`node ${BIN} cohort ${T2D} --n 20000 --out x.csv`, { NO_COLOR: '' }, 60_000);
    expect(r.error, 'script timed out').toBeUndefined();
    expect(r.status).toBe(0);
    expect(log).toMatch(/COMMAND_EXIT_CODE="0"/);
    expect(bytes).toBeLessThan(20_000);
    expect(readFileSync(join(dir, 'x.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(20_001);
  });
  it('a terminal of 80 columns under NO_COLOR: a spinner without colour', () => {
    const { r, log } = underScript(`stty cols 80 rows 24; node ${BIN} cohort ${T2D} --n 30000 --out x.csv`, { NO_COLOR: '1', FORCE_COLOR: '' }, 60_000);
    expect(r.status).toBe(0);
    expect(log).toMatch(/vtrial cohort: twin \d+\/30000/);
    expect(log).not.toMatch(/\x1b\[(3\d|9\d|1;3\d)m/);
  });
  it('SIGTERM ends a long cohort promptly (generation lets signals through)', async () => {
    const ws = workspace();
    const r = await vtrial(['cohort', T2D, '--n', '50000000', '--out', 'big.csv'], {
      cwd: ws.dir,
      timeoutMs: 30_000,
      onSpawn: (child) => setTimeout(() => child.kill('SIGTERM'), 1500),
    });
    expect(r.timedOut).toBe(false);
    expect(r.code === null ? r.signal : r.code).not.toBe(0);
    expect(existsSync(join(ws.dir, 'big.csv'))).toBe(false);
    expect(stagingLeftovers(ws.dir)).toEqual([]);
    expectPreserved(ws.before, ws.dir, 'SIGTERM');
  });
  it('a large cohort file written with --quiet prints nothing at all (no listener warnings while waiting for the disk)', async () => {
    const ws = workspace();
    const r = await vtrial(['cohort', T2D, '--n', '100000', '--out', 'big.csv', '--quiet'], { cwd: ws.dir, timeoutMs: 60_000 });
    expectClean(r, 0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('');
  });
});
