// npm run bench: replicate-engine speed and memory on two designs, with R peers for design A.
// Prints figures; it is not a test (timings depend on the machine and its load). Every vtrial
// run is a fresh process (bench/run-once.mjs), so peak RSS is that run's; figures are medians.
//
// Design A, bench/designs/survival-2arm.yaml (two-arm exponential survival, 600 patients, log-rank):
//   ms per replicate with 1 and 2 workers (A_REPLICATES replicates, RUNS runs each) and the
//   speed-up. The time is the replicate command in its process (compiling the protocol, starting
//   the workers, simulating, analysing, writing the summary), not Node's start-up.
//   R peers (../shared/peers beside the clone: surv_loop.R, survival::survdiff in an R loop;
//   surv_rpact.R, rpact::getSimulationSurvival): run when Rscript and the R packages survival and
//   rpact are installed, otherwise skipped with the reason. R's start-up is netted out by timing
//   two replicate counts: ms per replicate = (median time at N - median time at n) / (N - n).
//   Printed: ratios vtrial / peer (above 1: vtrial is slower).
// Design B, protocols/t2d-weekly-injectable.yaml (3 arms, 388 enrolled, 16 visits):
//   B_REPLICATES replicates with 1 and 2 workers: trials/s, patient-visits/s (total and per
//   worker), peak RSS, the speed-up; then one run of BIG replicates with 2 workers (peak RSS).
//
// Environment:
//   BENCH_DESIGNS          designs to run, comma-separated: A, B (default A,B)
//   BENCH_RUNS             runs per setting (default 3)
//   BENCH_A_REPLICATES     design A replicates per run (default 2000)
//   BENCH_REPLICATES       design B replicates per run (default 1000)
//   BENCH_BIG              design B's large run (default 10000; 0 skips it)
//   BENCH_PEERS            0 skips the R peers
//   BENCH_PEERS_DIR        where surv_loop.R and surv_rpact.R are (default ../shared/peers beside the clone,
//                          or beside the main clone when this is a git worktree)
//   BENCH_PEER_REPLICATES  the peers' two replicate counts N,n (default A_REPLICATES and A_REPLICATES / 10)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DESIGN_A = join(ROOT, 'bench', 'designs', 'survival-2arm.yaml');
const DESIGN_B = join(ROOT, 'protocols', 't2d-weekly-injectable.yaml');

const fail = (message) => {
  console.error(`bench: ${message}`);
  process.exit(2);
};
const num = (name, fallback) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`${name}: expected a whole number >= 0, found "${v}"`);
  return n;
};
const DESIGNS = new Set((process.env.BENCH_DESIGNS ?? 'A,B').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean));
for (const d of DESIGNS) if (d !== 'A' && d !== 'B') fail(`BENCH_DESIGNS: unknown design "${d}" (expected A, B or A,B)`);
const RUNS = Math.max(1, num('BENCH_RUNS', 3));
const A_R = Math.max(1, num('BENCH_A_REPLICATES', 2000));
const B_R = Math.max(1, num('BENCH_REPLICATES', 1000));
const BIG = num('BENCH_BIG', 10000);
const PEERS = process.env.BENCH_PEERS !== '0';
const PEERS_DIR = resolve(process.env.BENCH_PEERS_DIR ?? defaultPeersDir());
const [PEER_N, PEER_SMALL] = (process.env.BENCH_PEER_REPLICATES ?? `${A_R},${Math.max(1, Math.round(A_R / 10))}`).split(',').map(Number);
if (!(Number.isInteger(PEER_N) && Number.isInteger(PEER_SMALL) && PEER_N > PEER_SMALL && PEER_SMALL >= 1)) fail('BENCH_PEER_REPLICATES: expected N,n with N > n >= 1');

const dir = mkdtempSync(join(tmpdir(), 'vtrial-bench-'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const f = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? 'NA' : x.toFixed(d));
const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');

let counter = 0;
/** One vtrial run in a fresh process: the run's JSON line plus the whole-process wall time. */
function once(protocol, replicates, workers) {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, [join(ROOT, 'bench', 'run-once.mjs'), protocol, String(replicates), String(workers), join(dir, `run-${counter++}`)], { encoding: 'utf8', cwd: ROOT });
  return { ...JSON.parse(out.trim()), processSeconds: (performance.now() - t0) / 1000 };
}
function settings(protocol, replicates, label) {
  const results = {};
  for (const workers of [1, 2]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(once(protocol, replicates, workers));
    results[workers] = runs;
    label(workers, runs);
  }
  return results;
}

console.log(`vtrial benchmark, ${new Date().toISOString()}`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average ${load()}`);
console.log(`designs ${[...DESIGNS].join(',')}, ${RUNS} runs per setting, medians\n`);
const summary = [];

if (DESIGNS.has('A')) {
  console.log(`Design A: bench/designs/survival-2arm.yaml (600 patients, exponential, HR 0.75, 730 days, log-rank), ${A_R} replicates`);
  const a = settings(DESIGN_A, A_R, (workers, runs) =>
    console.log(
      `  vtrial, ${workers} worker${workers > 1 ? 's' : ''}: ms per replicate ${runs.map((r) => f(r.msPerReplicate)).join(', ')} (median ${f(median(runs.map((r) => r.msPerReplicate)))}); ` +
        `whole process median ${f(median(runs.map((r) => r.processSeconds)), 1)} s; peak RSS median ${f(median(runs.map((r) => r.peakRssMB)), 0)} MB; power ${f(runs[0].primaryPower, 3)}`,
    ),
  );
  const ms1 = median(a[1].map((r) => r.msPerReplicate));
  const ms2 = median(a[2].map((r) => r.msPerReplicate));
  console.log(`  speed-up of 2 workers over 1: ${f(ms1 / ms2)}x`);
  summary.push(`A: vtrial ${f(ms1)} ms/replicate with 1 worker, ${f(ms2)} with 2 (speed-up ${f(ms1 / ms2)}x)`);
  const peers = PEERS ? runPeers() : { skipped: 'BENCH_PEERS=0' };
  if (peers.skipped) {
    console.log(`  R peers skipped: ${peers.skipped}`);
    summary.push(`A: R peers skipped (${peers.skipped})`);
  }
  for (const p of peers.results ?? []) {
    if (p.skipped) {
      console.log(`  ${p.name} skipped: ${p.skipped}`);
      summary.push(`A: ${p.name} skipped (${p.skipped})`);
      continue;
    }
    const ratio1 = ms1 / p.msPerReplicate;
    const ratio2 = ms2 / p.msPerReplicate;
    console.log(
      `  ${p.name}: ${PEER_N} replicates ${p.big.map((t) => f(t)).join(', ')} s, ${PEER_SMALL} replicates ${p.small.map((t) => f(t)).join(', ')} s; ` +
        `net ${f(p.msPerReplicate, 3)} ms per replicate, start-up about ${f(p.startup)} s; power ${p.power}; vtrial / ${p.name}: ${f(ratio1, 1)}x (1 worker), ${f(ratio2, 1)}x (2 workers)`,
    );
    summary.push(`A: ${p.name} ${f(p.msPerReplicate, 3)} ms/replicate; vtrial / peer ${f(ratio1, 1)}x (1 worker), ${f(ratio2, 1)}x (2 workers)`);
  }
  console.log('');
}

if (DESIGNS.has('B')) {
  console.log(`Design B: protocols/t2d-weekly-injectable.yaml (base scenario), ${B_R} replicates`);
  const b = settings(DESIGN_B, B_R, (workers, runs) =>
    console.log(
      `  ${workers} worker${workers > 1 ? 's' : ''}: trials/s ${runs.map((r) => f(r.trialsPerSecond, 1)).join(', ')} (median ${f(median(runs.map((r) => r.trialsPerSecond)), 1)}); ` +
        `patient-visits/s median ${f(median(runs.map((r) => r.patientVisitsPerSecond)) / 1e6, 3)} M (${f(median(runs.map((r) => r.patientVisitsPerSecond)) / 1e6 / workers, 3)} M per worker); ` +
        `peak RSS median ${f(median(runs.map((r) => r.peakRssMB)), 0)} MB`,
    ),
  );
  const speedup = median(b[2].map((r) => r.trialsPerSecond)) / median(b[1].map((r) => r.trialsPerSecond));
  console.log(`  speed-up of 2 workers over 1: ${f(speedup)}x`);
  summary.push(
    `B: ${f(median(b[1].map((r) => r.patientVisitsPerSecond)) / 1e6, 3)} M patient-visits/s on 1 worker, speed-up ${f(speedup)}x, peak RSS ${f(median(b[2].map((r) => r.peakRssMB)), 0)} MB at ${B_R} replicates (2 workers)`,
  );
  if (BIG > 0) {
    const big = once(DESIGN_B, BIG, 2);
    console.log(`  ${BIG} replicates, 2 workers (1 run): ${f(big.seconds, 1)} s, ${f(big.trialsPerSecond, 1)} trials/s, peak RSS ${f(big.peakRssMB, 0)} MB`);
    summary.push(`B: peak RSS ${f(big.peakRssMB, 0)} MB at ${BIG} replicates (2 workers)`);
  } else console.log('  large run skipped (BENCH_BIG=0)');
  console.log('');
}

console.log(`load average at the end: ${load()}`);
if (Math.max(...loadavg()) > 2) console.log('note: a load average above 2 on this machine means other work shared it; the figures are noisy');
console.log('Summary:');
for (const s of summary) console.log(`  ${s}`);
rmSync(dir, { recursive: true, force: true });

/** ../shared/peers beside the clone; in a git worktree, beside the main clone when not beside the worktree. */
function defaultPeersDir() {
  const beside = join(ROOT, '..', 'shared', 'peers');
  if (existsSync(beside)) return beside;
  const git = spawnSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: ROOT, encoding: 'utf8' });
  const main = git.status === 0 ? join(dirname(git.stdout.trim()), '..', 'shared', 'peers') : beside;
  return existsSync(main) ? main : beside;
}

/** The R peers of design A, or why they were skipped. R is never a dependency of vtrial. */
function runPeers() {
  if (!existsSync(PEERS_DIR)) return { skipped: `no peers directory ${PEERS_DIR} (set BENCH_PEERS_DIR)` };
  const version = spawnSync('Rscript', ['--version'], { encoding: 'utf8' });
  if (version.error) return { skipped: `Rscript not found on PATH (${version.error.code ?? version.error.message}); on Debian: apt-get install r-base-core r-cran-survival r-cran-rpact` };
  const probe = spawnSync('Rscript', ['-e', 'for (p in c("survival", "rpact")) cat(p, if (requireNamespace(p, quietly = TRUE)) as.character(packageVersion(p)) else "missing", "\\n")'], { encoding: 'utf8' });
  const pkgs = new Map(probe.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/)));
  console.log(`  R: ${(version.stdout || version.stderr).trim().split('\n')[0]}; survival ${pkgs.get('survival') ?? '?'}, rpact ${pkgs.get('rpact') ?? '?'}; peers from ${PEERS_DIR}`);
  const results = [];
  for (const [name, file, pkg] of [['R loop', 'surv_loop.R', 'survival'], ['rpact', 'surv_rpact.R', 'rpact']]) {
    const script = join(PEERS_DIR, file);
    if (!existsSync(script)) results.push({ name, skipped: `${script} not found` });
    else if (pkgs.get(pkg) === undefined || pkgs.get(pkg) === 'missing') results.push({ name, skipped: `R package ${pkg} not installed (Debian: r-cran-${pkg})` });
    else results.push({ ...timePeer(script), name: `${name} (${file})` });
  }
  return { results };
}

function timePeer(script) {
  const run = (n) => {
    const t0 = performance.now();
    const r = spawnSync('Rscript', [script, String(n)], { encoding: 'utf8', cwd: PEERS_DIR });
    const seconds = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`${script} ${n} failed (exit ${r.status}): ${r.stderr}`);
    return { seconds, power: /power\s+(\S+)/.exec(r.stdout)?.[1] ?? 'NA' };
  };
  const big = [];
  const small = [];
  let power = 'NA';
  // Alternated so that a change in the machine's load hits both counts alike.
  for (let i = 0; i < RUNS; i++) {
    const b = run(PEER_N);
    power = b.power;
    big.push(b.seconds);
    small.push(run(PEER_SMALL).seconds);
  }
  const msPerReplicate = ((median(big) - median(small)) * 1000) / (PEER_N - PEER_SMALL);
  return { big, small, power, msPerReplicate, startup: median(small) - (msPerReplicate * PEER_SMALL) / 1000 };
}
