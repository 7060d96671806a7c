// npm run bench: replicate-trial throughput and memory on the shipped T2D protocol.
// Prints figures; it is not a test (timings depend on the machine and its load).
//   - 1,000 replicates with 1 and with 2 workers, each run RUNS times in a fresh process:
//     medians of trials/s, patient-visits/s (every arm of every enrolled twin x visits) and
//     peak RSS, and the speed-up of 2 workers over 1 (ratio of medians);
//   - peak RSS of one run of 10,000 replicates (2 workers).
// Environment: BENCH_RUNS (default 3), BENCH_REPLICATES (1000), BENCH_BIG (10000; 0 skips).
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PROTOCOL = 'protocols/t2d-weekly-injectable.yaml';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const R = Number(process.env.BENCH_REPLICATES ?? 1000);
const BIG = Number(process.env.BENCH_BIG ?? 10000);
const dir = mkdtempSync(join(tmpdir(), 'vtrial-bench-'));

const once = (replicates, workers) => JSON.parse(execFileSync(process.execPath, ['bench/run-once.mjs', PROTOCOL, String(replicates), String(workers), join(dir, `w${workers}-${replicates}`)], { encoding: 'utf8' }).trim());
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`vtrial benchmark: ${PROTOCOL}, base scenario, ${R} replicates, ${RUNS} runs per setting`);
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
const results = {};
for (const workers of [1, 2]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(once(R, workers));
  results[workers] = runs;
  console.log(
    `workers ${workers}: trials/s ${runs.map((r) => r.trialsPerSecond.toFixed(1)).join(', ')} (median ${median(runs.map((r) => r.trialsPerSecond)).toFixed(1)}); ` +
      `patient-visits/s median ${(median(runs.map((r) => r.patientVisitsPerSecond)) / 1e6).toFixed(3)} M; peak RSS median ${median(runs.map((r) => r.peakRssMB)).toFixed(0)} MB`,
  );
}
const speedup = median(results[2].map((r) => r.trialsPerSecond)) / median(results[1].map((r) => r.trialsPerSecond));
console.log(`speed-up of 2 workers over 1: ${speedup.toFixed(2)}x`);
if (BIG > 0) {
  const big = once(BIG, 2);
  console.log(`\n${BIG} replicates, 2 workers: ${big.seconds.toFixed(1)} s, ${big.trialsPerSecond.toFixed(1)} trials/s, peak RSS ${big.peakRssMB.toFixed(0)} MB`);
}
rmSync(dir, { recursive: true, force: true });
