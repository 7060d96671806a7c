// One benchmark run in a fresh process (so peak RSS is this run's): prints a JSON line.
// Usage: node bench/run-once.mjs PROTOCOL REPLICATES WORKERS OUTDIR [SCENARIO]
// SCENARIO: the scenario to run (default base); "all" runs every scenario (REPLICATES each).
// `seconds` is the replicate command alone (compiling the protocol, starting the workers,
// simulating, analysing, writing the summary), not Node's start-up or loading vtrial's modules.
// `cpuSeconds` is the process's CPU (all threads), `mainThreadCpuSeconds` the main thread's
// (Linux, from /proc; null elsewhere). On a busy machine wall-clock ratios follow the scheduler's
// shares, so the speed-up N workers can reach is better read from these: with 1 worker (run in
// process) the main thread's CPU is the critical path, with N the process CPU divided by N.
import { readFileSync } from 'node:fs';
import { replicatesCommand } from '../dist/app/replicates-command.js';

function mainThreadCpuSeconds() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

const [protocolFile, replicates, workers, out, scenario = 'base'] = process.argv.slice(2);
const t0 = performance.now();
const r = await replicatesCommand({
  protocolFile,
  seed: 1,
  replicates: Number(replicates),
  workers: Number(workers),
  scenario: scenario === 'all' ? undefined : scenario,
  keepPatients: 0,
  out,
  force: true,
});
const seconds = (performance.now() - t0) / 1000;
const usage = process.resourceUsage();
const primary = r.summary?.scenarios[0]?.operatingCharacteristics.find((row) => row.role === 'primary');
process.stdout.write(
  `${JSON.stringify({
    replicates: r.replicatesRun,
    workers: Number(workers),
    seconds,
    msPerReplicate: (seconds * 1000) / r.replicatesRun,
    trialsPerSecond: r.replicatesRun / seconds,
    patientVisitsPerSecond: r.patientVisits / seconds,
    peakRssMB: usage.maxRSS / 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    mainThreadCpuSeconds: mainThreadCpuSeconds(),
    primaryPower: primary?.power ?? null,
  })}\n`,
);
