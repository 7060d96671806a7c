// Back-to-back comparison of two builds on one design, runs alternating (A B A B ...) so that
// machine load falls on both alike. Prints the median wall time and the median CPU time (user +
// system, which contention from other processes inflates far less) of each, and their ratios.
// Usage: node bench/ab.mjs OLD_ROOT NEW_ROOT PROTOCOL REPLICATES WORKERS [RUNS=5]
//   a ROOT is a checkout with dist/ built and node_modules (e.g. `git worktree add /tmp/old
//   COMMIT && ln -s $PWD/node_modules /tmp/old/ && (cd /tmp/old && npx tsc -p tsconfig.build.json)`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [oldRoot, newRoot, protocol, replicates, workers, runsArg] = process.argv.slice(2);
if (!protocol) {
  console.error('usage: node bench/ab.mjs OLD_ROOT NEW_ROOT PROTOCOL REPLICATES WORKERS [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const out = mkdtempSync(join(tmpdir(), 'vtrial-ab-'));
const script = `
const t0 = performance.now(); const c0 = process.cpuUsage();
const { replicatesCommand } = await import(process.argv[1] + '/dist/app/replicates-command.js');
const r = await replicatesCommand({ protocolFile: process.argv[2], seed: 1, replicates: Number(process.argv[3]), workers: Number(process.argv[4]), scenario: 'base', keepPatients: 0, out: process.argv[5], force: true });
const c = process.cpuUsage(c0);
process.stdout.write(JSON.stringify({ wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, rss: process.resourceUsage().maxRSS / 1024, n: r.replicatesRun }));
`;
const once = (root) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, resolve(root), resolve(protocol), replicates, workers, join(out, 'run')], { encoding: 'utf8' }));
const res = { old: [], new: [] };
for (let i = 0; i < runs; i++) {
  res.old.push(once(oldRoot));
  res.new.push(once(newRoot));
}
rmSync(out, { recursive: true, force: true });
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const row = (k) => ({ wall: med(res[k].map((r) => r.wall)), cpu: med(res[k].map((r) => r.cpu)), rss: med(res[k].map((r) => r.rss)) });
const [o, n] = [row('old'), row('new')];
const perRep = (s) => ((s * 1000) / Number(replicates)).toFixed(3);
console.log(`${protocol}, ${replicates} replicates, ${workers} worker(s), ${runs} alternating runs each (medians):`);
console.log(`  old: wall ${o.wall.toFixed(2)} s (${perRep(o.wall)} ms/replicate), cpu ${o.cpu.toFixed(2)} s, peak RSS ${o.rss.toFixed(0)} MB`);
console.log(`  new: wall ${n.wall.toFixed(2)} s (${perRep(n.wall)} ms/replicate), cpu ${n.cpu.toFixed(2)} s, peak RSS ${n.rss.toFixed(0)} MB`);
console.log(`  speed-up: wall ${(o.wall / n.wall).toFixed(2)}x, cpu ${(o.cpu / n.cpu).toFixed(2)}x`);
