// Per-fit CPU time of the statistics the replicate engine calls most (600 exponential times,
// 2 arms, 1 covariate): Cox (Efron, Breslow), log-rank, ANCOVA, Kaplan-Meier. Not a test.
//   node --expose-gc bench/stats-per-fit.mjs [DIST ...]   (default: this checkout's dist/)
// Give two builds (e.g. one compiled from an older commit with `tsc -p tsconfig.build.json
// --outDir /tmp/old`) to compare them back to back in one process: medians of 9 runs and ratios.
import { fileURLToPath } from 'node:url';
const dirs = process.argv.length > 2 ? process.argv.slice(2) : [fileURLToPath(new URL('../dist', import.meta.url))];
const mods = await Promise.all(dirs.map(async (d) => ({
  d,
  cox: (await import(`${d}/stats/cox.js`)).coxPh,
  lr: (await import(`${d}/stats/log-rank.js`)).logRank,
  km: (await import(`${d}/stats/kaplan-meier.js`)).kaplanMeier,
  anc: (await import(`${d}/stats/ancova.js`)).ancova,
})));
let s = 12345;
const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
function data() {
  const n = 600, time = [], status = [], trt = [];
  const lam = Math.log(2) / 365;
  for (let i = 0; i < n; i++) {
    const a = i % 2; const t = -Math.log(u()) / (lam * (a ? 0.75 : 1));
    time.push(Math.min(Math.round(t), 730)); status.push(t <= 730 ? 1 : 0); trt.push(a);
  }
  const base = time.map(() => 8 + u()), chg = base.map((b, i) => -0.3 * trt[i] + 0.2 * (b - 8.5) + (u() - 0.5));
  return { time, status, trt, grp: trt.map((x) => (x ? 'arm' : 'control')), base, chg };
}
const sets = Array.from({ length: 20 }, data);
const med = (xs) => { const v = [...xs].sort((a, b) => a - b); return v[v.length >> 1]; };
// CPU time (user + system) per call, after a full GC so one build's garbage is not charged to the other.
function per(f, reps) {
  globalThis.gc?.();
  const t0 = process.cpuUsage();
  for (let r = 0; r < reps; r++) f(sets[r % sets.length]);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / reps;
}
const cases = {
  'cox efron': (m) => (x) => m.cox(x.time, x.status, { TRT: x.trt }, 'efron'),
  'cox breslow': (m) => (x) => m.cox(x.time, x.status, { TRT: x.trt }, 'breslow'),
  'log-rank': (m) => (x) => m.lr(x.time, x.status, x.grp, ['arm', 'control']),
  'ancova (600, BASE)': (m) => (x) => m.anc(x.chg, x.trt, { BASE: x.base }),
  'kaplan-meier (600)': (m) => (x) => { const k = m.km(x.time, x.status); return k.median + k.medianCi[0]; },
};
for (const [name, mk] of Object.entries(cases)) {
  const fs = mods.map((m) => mk(m));
  for (const f of fs) per(f, 400); // warm-up
  const res = mods.map(() => []);
  for (let run = 0; run < 9; run++) fs.forEach((f, j) => res[j].push(per(f, 300)));
  const meds = res.map(med);
  console.log(name.padEnd(20), meds.map((x, j) => `${mods[j].d} ${(x * 1000).toFixed(1)} us`).join('  '), meds.length > 1 ? `ratio first/second ${(meds[0] / meds[1]).toFixed(2)}` : '');
}
