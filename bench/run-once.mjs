// One benchmark run in a fresh process (so peak RSS is this run's): prints a JSON line.
// Usage: node bench/run-once.mjs PROTOCOL REPLICATES WORKERS OUTDIR [SCENARIO]
// SCENARIO: the scenario to run (default base); "all" runs every scenario (REPLICATES each).
// `seconds` is the replicate command alone (compiling the protocol, starting the workers,
// simulating, analysing, writing the summary), not Node's start-up or loading vtrial's modules.
import { replicatesCommand } from '../dist/app/replicates-command.js';

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
const primary = r.summary?.scenarios[0]?.operatingCharacteristics.find((row) => row.role === 'primary');
process.stdout.write(
  `${JSON.stringify({
    replicates: r.replicatesRun,
    workers: Number(workers),
    seconds,
    msPerReplicate: (seconds * 1000) / r.replicatesRun,
    trialsPerSecond: r.replicatesRun / seconds,
    patientVisitsPerSecond: r.patientVisits / seconds,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    primaryPower: primary?.power ?? null,
  })}\n`,
);
