/**
 * Adversarial cases for output files and directories (issue 9, items 7, 13-16): --force replaces
 * only vtrial's files, a failed or interrupted re-run leaves the previous results intact, the
 * publication is all-or-nothing, merge checks what it reads, and single-file outputs refuse to
 * overwrite without --force (never an input).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';
import { expectClean, expectPreserved, REPO, snapshotTree, stagingLeftovers, vtrial, type CliRun } from './harness.js';

const COHORT = join(REPO, 'test/fixtures/protocols/cohort.yaml');
const DEAD_PID = 2 ** 22 + 4242; // above Linux's largest pid_max: never a live process
let root: string;
let TINY: string; // two scenarios, 20 enrolled: a run takes well under a second
let FAIL: string; // nobody is eligible: enrolment shortfall, exit 3
let shards: string; // shards 1/2 and 2/2 of 30 replicates, and the unsharded run

const protocol = (extra: string) => `name: Tiny
cohort: ${COHORT}
enrolment: { target: 20${extra} }
arms:
  - { id: control, role: control, treatment: { type: placebo } }
  - { id: soc, role: active, treatment: { type: standard_of_care } }
study: { duration_days: 28 }
visits: { days: [28] }
biomarkers: { y: { baseline: y0, residual_sd: 1 } }
endpoints: [{ id: Y, type: continuous, biomarker: y, visit: Week 4 }]
scenarios:
  - { name: other, set: { biomarkers.y.residual_sd: 2 } }
`;

const fresh = (name = 'out') => join(tempDir('vtrial-adv-out-'), name);
const run = (out: string, ...more: string[]) => vtrial(['run', TINY, '--out', out, '--quiet', ...more]);
const reps = (out: string, ...more: string[]) => vtrial(['run', TINY, '--replicates', '6', '--workers', '1', '--out', out, '--quiet', ...more]);
const noLeftovers = (dir: string) => expect(stagingLeftovers(dir), `staging leftovers in ${dir}`).toEqual([]);

let templates: { single: string; replicates: string };
/** A fresh copy of a finished run (made once in beforeAll) with the user's notes.txt beside it. */
async function oldRun(kind: 'single' | 'replicates' = 'single'): Promise<string> {
  const d = fresh();
  cpSync(templates[kind], d, { recursive: true });
  writeFileSync(join(d, 'notes.txt'), 'my notes\n');
  return d;
}

/** Runs vtrial and sends `signal` once it has begun writing into `dir` (a hidden entry naming its pid). */
function interrupt(args: string[], dir: string, signal: NodeJS.Signals): Promise<CliRun> {
  const writing = (pid: number) => existsSync(dir) && readdirSync(dir).some((n) => n.startsWith('.') && n.endsWith(`-${pid}`));
  return vtrial(args, {
    timeoutMs: 40_000,
    onSpawn: (child) => {
      const poll = setInterval(() => {
        if (child.pid && writing(child.pid)) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 10);
      child.on('close', () => clearInterval(poll));
    },
  });
}
const LONG = ['--replicates', '100000', '--workers', '1'];

beforeAll(async () => {
  root = tempDir('vtrial-adv-out-');
  TINY = join(root, 'tiny.yaml');
  FAIL = join(root, 'fail.yaml');
  writeFileSync(TINY, protocol(''));
  writeFileSync(FAIL, protocol(', inclusion: [{ id: impossible, expr: age >= 500 }]'));
  shards = join(root, 'shards');
  const base = ['run', TINY, '--replicates', '30', '--workers', '1', '--keep-patients', '0', '--quiet'];
  templates = { single: join(root, 'single'), replicates: join(root, 'replicates') };
  const rs = await Promise.all([
    vtrial([...base, '--shard', '1/2', '--out', join(shards, 's1')]),
    vtrial([...base, '--shard', '2/2', '--out', join(shards, 's2')]),
    vtrial([...base, '--out', join(shards, 'whole')]),
    run(templates.single),
    reps(templates.replicates),
  ]);
  for (const r of rs) expectClean(r, 0);
}, 60_000);

describe.concurrent('--force replaces only the files vtrial writes (item 13)', () => {
  it('a non-empty directory is refused without --force, and nothing changes', async () => {
    const d = await oldRun();
    const before = snapshotTree(d);
    const r = await run(d);
    expectClean(r, 2);
    expect(r.stderr).toMatch(/is not empty .* add --force/);
    expectPreserved(before, d);
  });

  it('a single run with --force keeps the user\'s patients/ folder, notes and hidden files', async () => {
    const d = await oldRun();
    mkdirSync(join(d, 'patients', 'alice'), { recursive: true });
    writeFileSync(join(d, 'patients', 'alice', 'labs.csv'), 'a,b\n1,2\n');
    writeFileSync(join(d, '.mine'), 'hidden\n');
    const keep = new Map([...snapshotTree(d)].filter(([p]) => p.startsWith('patients') || p === 'notes.txt' || p === '.mine'));
    expectClean(await run(d, '--force', '--seed', '9'), 0);
    expectPreserved(keep, d);
    expect(JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')).seed).toBe(9);
    noLeftovers(d);
  });

  it('a replicate run keeping patients refuses (exit 2) to replace a patients/ folder vtrial did not write, even with --force', async () => {
    const d = await oldRun();
    mkdirSync(join(d, 'patients'));
    writeFileSync(join(d, 'patients', 'alice.csv'), 'mine\n');
    const before = snapshotTree(d);
    const r = await reps(d, '--force');
    expectClean(r, 2);
    expect(r.stderr).toMatch(/patients was not written by vtrial/);
    expectPreserved(before, d);
    expect([...snapshotTree(d).keys()].sort()).toEqual([...before.keys()].sort());
  });

  it('a replicate run without patient files leaves a user\'s patients/ folder alone', async () => {
    const d = await oldRun();
    mkdirSync(join(d, 'patients'));
    writeFileSync(join(d, 'patients', 'alice.csv'), 'mine\n');
    const keep = new Map([...snapshotTree(d)].filter(([p]) => p.startsWith('patients') || p === 'notes.txt'));
    expectClean(await reps(d, '--force', '--keep-patients', '0'), 0);
    expectPreserved(keep, d);
    expect(existsSync(join(d, 'operating-characteristics.csv'))).toBe(true);
    expect(existsSync(join(d, 'adsl.csv'))).toBe(false); // the single run's files went with its run.json
  });

  it('a replicate run with --force replaces vtrial\'s own patients/ entirely (no folder of an earlier scenario stays)', async () => {
    const d = await oldRun('replicates');
    expect(readdirSync(join(d, 'patients')).sort()).toEqual(['base', 'other']);
    expectClean(await reps(d, '--force', '--scenario', 'other'), 0);
    expect(readdirSync(join(d, 'patients'))).toEqual(['other']);
    expect(readFileSync(join(d, 'notes.txt'), 'utf8')).toBe('my notes\n');
  });

  it('a single run with --force over a replicate run removes the replicate files and vtrial\'s patients/', async () => {
    const d = await oldRun('replicates');
    expectClean(await run(d, '--force'), 0);
    expect(readdirSync(d).sort()).toEqual(['adae.csv', 'adeff.csv', 'adpc.csv', 'adsl.csv', 'adtte.csv', 'counterfactual.csv', 'efficacy.csv', 'ite.csv', 'notes.txt', 'run.json', 'safety.csv', 'summary.json']);
  });

  it('--out naming an existing file is refused (exit 2), the file unchanged', async () => {
    const f = join(tempDir(), 'file');
    writeFileSync(f, 'data');
    const r = await run(f, '--force');
    expectClean(r, 2);
    expect(readFileSync(f, 'utf8')).toBe('data');
  });
});

describe.concurrent('--force never replaces a file the protocol reads (B8)', () => {
  const COHORT_JSON = JSON.stringify({ name: 'External', covariates: { sex: { dist: 'categorical', levels: ['female', 'male'], p: [0.5, 0.5] }, age: { dist: 'normal', mean: 55, sd: 10 }, y0: { dist: 'normal', mean: 8, sd: 1 } } });
  const EMPIRICAL_COHORT = 'name: Empirical\nempirical:\n  file: adsl.csv\n  columns:\n    age: { type: numeric }\n    y0: { type: numeric }\n';
  const CSV = 'age,y0,Y\n' + Array.from({ length: 30 }, (_, i) => `${40 + i},${7 + (i % 5) / 4},${(i % 7) / 3}`).join('\n') + '\n';
  // Each case: the protocol's extra lines, and the files inside the old run directory o/ it reads.
  const CASES: [string, string, Record<string, string>][] = [
    ['an external cohort at o/run.json', 'control_arm: { mode: hybrid, external_cohort: o/run.json, external_n: 5 }\n', { 'run.json': COHORT_JSON }],
    ['an external cohort\'s empirical CSV at o/adsl.csv', 'control_arm: { mode: hybrid, external_cohort: o/ext.yaml, external_n: 5 }\n', { 'ext.yaml': EMPIRICAL_COHORT, 'adsl.csv': CSV }],
    ['a historical prognostic CSV at o/efficacy.csv', 'prognostic_score: { endpoint: Y, method: historical, file: o/efficacy.csv, outcome: Y, covariates: [age] }\n', { 'efficacy.csv': CSV }],
    ['a scenario\'s cohort at o/summary.json', '', { 'summary.json': COHORT_JSON }],
    ['an external cohort in o/patients/', 'control_arm: { mode: hybrid, external_cohort: o/patients/ext.json, external_n: 5 }\n', { 'patients/ext.json': COHORT_JSON }],
  ];
  it.each(CASES)('%s: run and run --replicates with --out o --force refuse (exit 2); the file is unchanged', async (what, extra, files) => {
    const dir = tempDir('vtrial-adv-inputs-');
    const scenario = what.includes('scenario') ? '  - { name: ext, set: { cohort: o/summary.json } }\n' : '';
    writeFileSync(join(dir, 'p.yaml'), protocol('') + scenario + extra);
    mkdirSync(join(dir, 'o', 'patients'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'o', name), text);
    const v = await vtrial(['validate', 'p.yaml'], { cwd: dir });
    expectClean(v, 0, `${what}: validate`);
    const before = snapshotTree(dir);
    for (const more of [[], ['--replicates', '2', '--workers', '1', '--keep-patients', '1']]) {
      const r = await vtrial(['run', 'p.yaml', '--out', 'o', '--force', '-q', ...more], { cwd: dir });
      expectClean(r, 2, `${what} ${more.join(' ')}`);
      expect(r.stderr).toMatch(/--out o (holds|is) an input of this command \(o\//);
      expectPreserved(before, dir, what);
    }
  });
  it('run.json lists every file the run read, with SHA-256 (single and replicate runs)', async () => {
    const dir = tempDir('vtrial-adv-inputs-');
    writeFileSync(join(dir, 'ext.json'), COHORT_JSON);
    writeFileSync(join(dir, 'hist.csv'), CSV);
    writeFileSync(join(dir, 'p.yaml'), protocol('') + 'control_arm: { mode: hybrid, external_cohort: ext.json, external_n: 5 }\nprognostic_score: { endpoint: Y, method: historical, file: hist.csv, outcome: Y, covariates: [age] }\n');
    for (const more of [[], ['--replicates', '2', '--workers', '1']]) {
      const r = await vtrial(['run', 'p.yaml', '--out', `o${more.length}`, '-q', ...more], { cwd: dir });
      expectClean(r, 0);
      const m = JSON.parse(readFileSync(join(dir, `o${more.length}`, 'run.json'), 'utf8')) as { inputs: { file: string; sha256: string }[] };
      expect(m.inputs.map((i) => i.file)).toEqual([COHORT, 'hist.csv', 'ext.json'].map((f) => (f === COHORT ? expect.stringContaining('cohort.yaml') : f)));
      for (const i of m.inputs) expect(i.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});

describe.concurrent('a failed re-run leaves the previous results intact (item 14)', () => {
  it.each([
    ['enrolment shortfall (single run)', () => FAIL, [] as string[], 3],
    ['enrolment shortfall (replicates)', () => FAIL, ['--replicates', '4', '--workers', '1'], 3],
    ['a spec error', () => join(root, 'missing.yaml'), [], 2],
    ['an unknown scenario', () => TINY, ['--scenario', 'nope'], 2],
  ])('%s with --force: exit code, old files byte-identical, no staging left', async (_what, proto, extra, code) => {
    const d = await oldRun();
    const before = snapshotTree(d);
    const r = await vtrial(['run', proto(), '--out', d, '--force', '--quiet', ...extra]);
    expectClean(r, code);
    expectPreserved(before, d);
    expect(snapshotTree(d).size).toBe(before.size);
  });

  it('a failed first run into a new nested directory creates nothing', async () => {
    const top = tempDir();
    const r = await vtrial(['run', FAIL, '--out', join(top, 'a', 'b', 'c'), '--quiet']);
    expectClean(r, 3);
    expect(readdirSync(top)).toEqual([]);
  });
});

describe.concurrent('interruption: SIGINT/SIGTERM clean up, SIGKILL never leaves a mixed directory (item 15)', () => {
  it('SIGINT while a large single run is still simulating ends it at once (nothing written yet, nothing to clean up)', async () => {
    const top = tempDir();
    const big = join(top, 'big.yaml');
    writeFileSync(big, protocol('').replace('target: 20', 'target: 300000').replace(/scenarios:[\s\S]*$/, ''));
    const d = join(top, 'out');
    let sentAt = 0;
    const startedAt = performance.now();
    const r = await vtrial(['run', big, '--out', d, '--quiet'], {
      timeoutMs: 60_000,
      onSpawn: (child) => {
        setTimeout(() => {
          sentAt = performance.now();
          child.kill('SIGINT');
        }, 1500);
      },
    });
    // The simulation takes many seconds; a signal handler waiting for it would hold the exit that long.
    expect(sentAt).toBeGreaterThan(0);
    expect(startedAt + r.ms - sentAt, 'exit delay after SIGINT (ms)').toBeLessThan(5000);
    expect(r.signal === 'SIGINT' || r.code === 130, `ended by SIGINT: code ${r.code}, signal ${r.signal}`).toBe(true);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(d)).toBe(false);
  });
  it.each([['single runs', []], ['replicate runs', ['--replicates', '4', '--workers', '1']]])('two %s given the same --out at once: one result, whole; the other run is refused (exit 2), never a mix', async (_, more) => {
    const d = fresh();
    const rs = await Promise.all([run(d, ...more), run(d, ...more)]);
    expect(rs.map((r) => r.code).sort()).toEqual([0, 2]);
    for (const r of rs) expectClean(r, r.code === 0 ? 0 : 2);
    expect(rs.find((r) => r.code === 2)!.stderr).toMatch(/another vtrial run published .* while this one ran|is being written by another process|is not empty/); // or it started after the other finished
    // Every file run.json records is there with its recorded content, and nothing else of vtrial's.
    const manifest = JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
    const tree = snapshotTree(d);
    for (const [name, rec] of Object.entries(manifest.files)) expect(tree.get(name), name).toBe(rec.sha256);
    expect([...tree.keys()].filter((n) => !n.includes('/') && n !== 'run.json').sort()).toEqual(Object.keys(manifest.files).sort());
    noLeftovers(d);
    expect(readdirSync(d).filter((n) => n.startsWith('.'))).toEqual([]);
  });
  it('SIGINT during a first replicate run: exit 130, no staging, the new directory is removed', async () => {
    const top = tempDir();
    const d = join(top, 'new');
    const r = await interrupt(['run', TINY, ...LONG, '--out', d, '--quiet'], d, 'SIGINT');
    expectClean(r, 130);
    expect(r.stderr).toMatch(/interrupted \(SIGINT\)/);
    expect(readdirSync(top)).toEqual([]);
  });

  it('SIGTERM during a --force re-run: exit 143, previous results byte-identical, no staging', async () => {
    const d = await oldRun('replicates');
    const before = snapshotTree(d);
    const r = await interrupt(['run', TINY, ...LONG, '--out', d, '--force', '--quiet'], d, 'SIGTERM');
    expectClean(r, 143);
    expectPreserved(before, d);
    expect(snapshotTree(d).size).toBe(before.size);
  });

  it('SIGINT during a replicate run with 2 workers: exit 130, previous results intact', async () => {
    const d = await oldRun();
    const before = snapshotTree(d);
    const r = await interrupt(['run', TINY, '--replicates', '100000', '--workers', '2', '--allow-oversubscribe', '--out', d, '--force', '--quiet'], d, 'SIGINT');
    expectClean(r, 130);
    expectPreserved(before, d);
    noLeftovers(d);
  });

  it('SIGKILL during a --force re-run: the old complete result stays; the stale staging is recovered by the next run', async () => {
    const d = await oldRun('replicates');
    const before = snapshotTree(d);
    const r = await interrupt(['run', TINY, ...LONG, '--out', d, '--force', '--quiet'], d, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    expectPreserved(before, d); // run.json and every old file unchanged
    expect(stagingLeftovers(d).length).toBeGreaterThan(0);
    const again = await reps(d); // no --force: refused because of the old results, not the staging
    expectClean(again, 2);
    expect(again.stderr).toMatch(/is not empty/);
    noLeftovers(d);
    expectPreserved(before, d);
    expectClean(await reps(d, '--force'), 0);
    noLeftovers(d);
  });

  it('SIGKILL during a first run: a re-run without --force is not refused because of the stale staging', async () => {
    const d = fresh();
    const r = await interrupt(['run', TINY, ...LONG, '--out', d, '--quiet'], d, 'SIGKILL');
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(join(d, 'run.json'))).toBe(false);
    expectClean(await reps(d), 0);
    noLeftovers(d);
    expect(existsSync(join(d, 'run.json'))).toBe(true);
  });

  it('a publication killed midway (old run.json already moved away) is rolled back to the old result by the next command', async () => {
    const d = await oldRun();
    const before = snapshotTree(d);
    // The state after a SIGKILL between two renames of a dead process's publication.
    const s = join(d, `.vtrial-staging-${DEAD_PID}`);
    const b = join(d, `.vtrial-backup-${DEAD_PID}`);
    mkdirSync(s);
    mkdirSync(b);
    writeFileSync(join(s, 'run.json'), '{"new": true}\n');
    writeFileSync(join(s, '.journal'), JSON.stringify({ marker: 'run.json', entries: ['run.json', 'adsl.csv', 'replicates.csv'] }));
    for (const f of ['run.json', 'adsl.csv']) cpSync(join(d, f), join(b, f));
    rmSync(join(d, 'run.json'));
    writeFileSync(join(d, 'adsl.csv'), 'new adsl\n');
    writeFileSync(join(d, 'replicates.csv'), 'new replicates\n');
    // Readers see an incomplete directory.
    const m = await vtrial(['merge', d, '--out', fresh()]);
    expectClean(m, 2);
    expect(m.stderr).toContain(d);
    expect(m.stderr).toMatch(/has no run\.json: a vtrial run writing into it was interrupted/);
    const a = await vtrial(['analyze', d, '--protocol', TINY, '--out', fresh()]);
    expectClean(a, 2);
    expect(a.stderr).toMatch(/interrupted while publishing/);
    // The next writer rolls back, then applies its usual rule (not empty: refused).
    const r = await run(d);
    expectClean(r, 2);
    expectPreserved(before, d);
    expect(snapshotTree(d).size).toBe(before.size);
  });

  it('a dead process\'s staging without a journal (killed while computing) is simply removed', async () => {
    const d = await oldRun();
    const before = snapshotTree(d);
    mkdirSync(join(d, `.vtrial-staging-${DEAD_PID}`, 'patients', 'base'), { recursive: true });
    writeFileSync(join(d, `.vtrial-staging-${DEAD_PID}`, 'replicates.csv'), 'partial');
    expectClean(await run(d, '--force'), 0);
    noLeftovers(d);
    expect(readFileSync(join(d, 'notes.txt'), 'utf8')).toBe('my notes\n');
    expect(before.get('run.json')).not.toBe(snapshotTree(d).get('run.json') ?? '');
  });

  it('staging of a live process makes the command refuse (exit 2) instead of mixing two writers', async () => {
    const d = await oldRun();
    mkdirSync(join(d, `.vtrial-staging-${process.pid}`));
    const before = snapshotTree(d);
    const r = await run(d, '--force');
    expectClean(r, 2);
    expect(r.stderr).toMatch(new RegExp(`being written by another process \\(pid ${process.pid}`));
    expectPreserved(before, d);
  });

  it('SIGINT during cohort --out: exit 130, no partial file, other files intact', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'keep.csv'), 'x\n');
    const before = snapshotTree(dir);
    const r = await interrupt(['cohort', COHORT, '--n', '50000000', '--out', join(dir, 'twins.csv'), '--quiet'], dir, 'SIGINT');
    expectClean(r, 130);
    expectPreserved(before, dir);
    expect(readdirSync(dir)).toEqual(['keep.csv']);
  });
});

describe.concurrent('merge verifies what it reads and names the folder (item 7)', () => {
  const copyShards = () => {
    const d = tempDir();
    cpSync(shards, d, { recursive: true });
    return { s1: join(d, 's1'), s2: join(d, 's2'), whole: join(d, 'whole'), out: join(d, 'merged') };
  };
  const editJson = (file: string, edit: (j: Record<string, unknown>) => void) => {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(j);
    writeFileSync(file, JSON.stringify(j));
  };

  it('intact shards still merge to the unsharded result', async () => {
    const c = copyShards();
    expectClean(await vtrial(['merge', c.s1, c.s2, '--out', c.out, '--quiet']), 0);
    for (const f of ['summary.json', 'operating-characteristics.csv', 'replicates.csv']) expect(readFileSync(join(c.out, f)).equals(readFileSync(join(c.whole, f))), f).toBe(true);
  });

  it.each([
    ['replicates.csv truncated at a row boundary', (c: { s2: string }) => writeFileSync(join(c.s2, 'replicates.csv'), readFileSync(join(c.s2, 'replicates.csv'), 'utf8').split('\n').slice(0, -7).join('\n') + '\n'), /s2\/replicates\.csv: has 24 rows .* run\.json records 30 rows/],
    ['replicates.csv truncated mid-row', (c: { s2: string }) => truncateSync(join(c.s2, 'replicates.csv'), statSync(join(c.s2, 'replicates.csv')).size - 700), /s2\/replicates\.csv: has unreadable rows .* run\.json records 30 rows/],
    ['replicate-trials.csv edited, same row count', (c: { s2: string }) => writeFileSync(join(c.s2, 'replicate-trials.csv'), readFileSync(join(c.s2, 'replicate-trials.csv'), 'utf8').replace(/,20,/, ',19,')), /s2\/replicate-trials\.csv: .*truncated or changed/],
    ['replicate-safety.csv missing', (c: { s2: string }) => rmSync(join(c.s2, 'replicate-safety.csv')), /s2\/replicate-safety\.csv: is missing/],
    ['run.json truncated', (c: { s2: string }) => truncateSync(join(c.s2, 'run.json'), 100), /s2\/run\.json: is not valid JSON/],
    ['run.json from another vtrial version', (c: { s2: string }) => editJson(join(c.s2, 'run.json'), (j) => (j.vtrial = '0.0.1')), /s2\/run\.json: was written by vtrial 0\.0\.1/],
    ['run.json without file records', (c: { s2: string }) => editJson(join(c.s2, 'run.json'), (j) => delete j.files), /s2\/run\.json: is not the manifest of a replicate run \(files/],
    ['run.json is not an object', (c: { s2: string }) => writeFileSync(join(c.s2, 'run.json'), '[1, 2]'), /s2\/run\.json: is not the manifest of a replicate run/],
    ['run.json missing (an interrupted shard)', (c: { s2: string }) => rmSync(join(c.s2, 'run.json')), /s2: has no run\.json/],
    ['a shard folder that does not exist', (c: { s2: string }) => rmSync(c.s2, { recursive: true }), /s2: not found/],
  ])('%s: exit 2 naming the file, nothing written', async (_what, corrupt, message) => {
    const c = copyShards();
    corrupt(c);
    const before = snapshotTree(join(c.s1, '..'));
    const r = await vtrial(['merge', c.s1, c.s2, '--out', c.out]);
    expectClean(r, 2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(c.out)).toBe(false);
    expectPreserved(before, join(c.s1, '..'));
  });

  it('a single-run folder: exit 2 with a clear message', async () => {
    const d = await oldRun();
    const r = await vtrial(['merge', d, '--out', fresh()]);
    expectClean(r, 2);
    expect(r.stderr).toMatch(/run\.json: is the manifest of a single run/);
  });

  it('--out naming one of the shards is refused even with --force', async () => {
    const c = copyShards();
    const before = snapshotTree(c.s1);
    const r = await vtrial(['merge', c.s1, c.s2, '--out', c.s1, '--force']);
    expectClean(r, 2);
    expect(r.stderr).toMatch(/is an input of this command/);
    expectPreserved(before, c.s1);
  });
});

describe.concurrent('cohort --out and analyze --out: refuse existing outputs, never an input, check first (item 16)', () => {
  it('an existing file is refused without --force (unchanged) and replaced with it', async () => {
    const dir = tempDir();
    const f = join(dir, 'twins.csv');
    writeFileSync(f, 'mine\n');
    const r = await vtrial(['cohort', COHORT, '--n', '5', '--out', f]);
    expectClean(r, 2);
    expect(r.stderr).toMatch(/twins\.csv exists; .* --force/);
    expect(readFileSync(f, 'utf8')).toBe('mine\n');
    expectClean(await vtrial(['cohort', COHORT, '--n', '5', '--out', f, '--force', '--quiet']), 0);
    expect(readFileSync(f, 'utf8').split('\n')[0]).toBe('twin,sex,region,age,weight,y0');
    noLeftovers(dir);
  });

  it.each([
    ['the empirical input CSV', 'data/t2d-baseline-example.csv', []],
    ['the cohort spec itself', 't2d-empirical.yaml', ['--out-format', 'csv']],
  ])('--out naming %s is refused even with --force, the file unchanged', async (_what, target, extra) => {
    const dir = tempDir();
    cpSync(join(REPO, 'cohorts'), dir, { recursive: true });
    const before = snapshotTree(dir);
    const r = await vtrial(['cohort', join(dir, 't2d-empirical.yaml'), '--n', '5', '--out', join(dir, target), '--force', ...extra]);
    expectClean(r, 2);
    expect(r.stderr).toMatch(/is an input of this command/);
    expectPreserved(before, dir);
  });

  it.each([
    ['a FIFO', (f: string) => void spawnSync('mkfifo', [f])],
    ['a link to /dev/null (a character device)', (f: string) => symlinkSync('/dev/null', f)],
  ])('cohort --out naming %s is refused even with --force (exit 2), never replaced by a regular file (B9)', async (what, make) => {
    const dir = tempDir('vtrial-adv-dev-');
    make(join(dir, 'x.csv'));
    const r = await vtrial(['cohort', COHORT, '--n', '5', '--out', 'x.csv', '--force'], { cwd: dir });
    expectClean(r, 2, what);
    expect(r.stderr).toMatch(/--out x.csv exists and is not a regular file \(a (FIFO|character device)\); vtrial only replaces regular files: write to standard output with --out -/);
    const st = statSync(join(dir, 'x.csv'));
    expect(st.isFile()).toBe(false);
    expect(readdirSync(dir)).toEqual(['x.csv']);
  });
  it('run --force into a directory where efficacy.csv is a FIFO is refused (exit 2); the FIFO stays (B9)', async () => {
    const d = fresh();
    mkdirSync(d);
    spawnSync('mkfifo', [join(d, 'efficacy.csv')]);
    const r = await run(d, '--force');
    expectClean(r, 2);
    expect(r.stderr).toMatch(/efficacy.csv exists and is not a regular file \(a FIFO\)/);
    expect(lstatSync(join(d, 'efficacy.csv')).isFIFO()).toBe(true);
    expect(readdirSync(d)).toEqual(['efficacy.csv']);
  });
  it('a missing folder is a usage error naming it, not a raw ENOENT', async () => {
    const dir = tempDir();
    const r = await vtrial(['cohort', COHORT, '--n', '5', '--out', join(dir, 'nope', 'x.csv')]);
    expectClean(r, 2);
    expect(r.stderr).toMatch(/the folder .*nope does not exist/);
    expect(r.stderr).not.toMatch(/ENOENT|partial/);
  });

  it('an existing directory is refused before generating anything (50 million twins would take minutes)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'd.csv'));
    const r = await vtrial(['cohort', COHORT, '--n', '50000000', '--out', join(dir, 'd.csv'), '--force'], { timeoutMs: 20_000 });
    expectClean(r, 2);
    expect(r.stderr).toMatch(/is a directory/);
  });

  it('a crashed earlier write\'s partial file is removed by the next write of the same target', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, `.t.csv.partial-${DEAD_PID}`), 'half');
    expectClean(await vtrial(['cohort', COHORT, '--n', '5', '--out', join(dir, 't.csv'), '--quiet']), 0);
    expect(readdirSync(dir)).toEqual(['t.csv']);
  });

  it('analyze refuses to overwrite the user\'s efficacy.csv in --out; --force replaces only its three files', async () => {
    const d = await oldRun();
    const out = tempDir();
    for (const f of ['efficacy.csv', 'notes.txt']) writeFileSync(join(out, f), `my ${f}\n`);
    const before = snapshotTree(out);
    const r = await vtrial(['analyze', d, '--protocol', TINY, '--out', out]);
    expectClean(r, 2);
    expect(r.stderr).toMatch(/already has efficacy\.csv; .* --force/);
    expectPreserved(before, out);
    expectClean(await vtrial(['analyze', d, '--protocol', TINY, '--out', out, '--force', '--quiet']), 0);
    expect(readdirSync(out).sort()).toEqual(['efficacy.csv', 'notes.txt', 'safety.csv', 'summary.json']);
    expect(readFileSync(join(out, 'efficacy.csv')).equals(readFileSync(join(d, 'efficacy.csv')))).toBe(true);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('my notes.txt\n');
  });

  it('analyze never writes into a run directory (its run.json records its files), even with --force; nothing there changes', async () => {
    const d = await oldRun();
    const before = snapshotTree(d);
    for (const extra of [[], ['--force']]) {
      const r = await vtrial(['analyze', d, '--protocol', TINY, ...extra]);
      expectClean(r, 2);
      expect(r.stderr).toMatch(/is a vtrial run's directory \(its run\.json records its files\); write the re-analysis elsewhere with --out/);
      expectPreserved(before, d);
    }
    noLeftovers(d);
  });
});
