// One benchmark run in a fresh process (so peak RSS is this run's): prints a JSON line.
// Usage: node bench/run-once.mjs PROTOCOL REPLICATES WORKERS OUTDIR
import { replicatesCommand } from '../dist/app/replicates-command.js';

const [protocolFile, replicates, workers, out] = process.argv.slice(2);
const t0 = performance.now();
const r = await replicatesCommand({
  protocolFile,
  seed: 1,
  replicates: Number(replicates),
  workers: Number(workers),
  scenario: 'base',
  keepPatients: 0,
  out,
  force: true,
});
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ replicates: r.replicatesRun, workers: Number(workers), seconds, trialsPerSecond: r.replicatesRun / seconds, patientVisitsPerSecond: r.patientVisits / seconds, peakRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
);
