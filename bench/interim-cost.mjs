// The cost of interim looks per replicate, in one process (BENCHMARKS.md "Interim looks"):
// alternates the fixed and the sequential design ROUNDS times, after one warm-up pair; each
// design's cost per replicate is the main thread's CPU of R replicates minus that of 100, over
// R - 100 (what every run pays once, compiling the protocol, the summary, writing, cancels).
// Alternating in one process puts both designs under the same machine load and leaves out
// Node's start-up and module loading (which run-once.mjs pays per run).
// Usage: node bench/interim-cost.mjs FIXED.yaml SEQUENTIAL.yaml R ROUNDS OUTDIR   (R > 100)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replicatesCommand } from '../dist/app/replicates-command.js';

const cpu = () => {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const [fixed, sequential, r, rounds, out] = process.argv.slice(2);
const R = Number(r);
const run = async (file, tag, n) => {
  const t = cpu();
  await replicatesCommand({ protocolFile: file, seed: 1, replicates: n, workers: 1, scenario: 'base', keepPatients: 0, out: join(out, tag), force: true });
  return cpu() - t;
};
const once = async (file, tag) => {
  const small = await run(file, tag, 100);
  return ((await run(file, tag, R) - small) / (R - 100)) * 1000;
};
await once(fixed, 'f');
await once(sequential, 's');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = [];
const s = [];
for (let i = 0; i < Number(rounds); i++) {
  f.push(await once(fixed, 'f'));
  s.push(await once(sequential, 's'));
}
const ratios = f.map((x, i) => s[i] / x);
process.stdout.write(`${JSON.stringify({ replicates: R, fixedMs: f.map((x) => +x.toFixed(3)), sequentialMs: s.map((x) => +x.toFixed(3)), medianFixedMs: +median(f).toFixed(3), medianSequentialMs: +median(s).toFixed(3), ratioOfMedians: +(median(s) / median(f)).toFixed(3), medianRatio: +median(ratios).toFixed(3) })}\n`);
