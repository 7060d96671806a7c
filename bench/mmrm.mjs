// MMRM fit time: 400 patients x 4 visits (BASE x visit, monotone dropout), per covariance
// structure: the median wall-clock ms per fit over 31 fits after 10 warm-up fits, and the median
// CPU ms of this process per fit (on a busy machine the wall clock includes waiting for a core;
// the CPU time does not).
// Usage: npm run build && node bench/mmrm.mjs [PATIENTS] [VISITS] [STRUCTURE,...]
import { mmrm } from '../dist/stats/mmrm.js';

const [patients = 400, visits = 4] = process.argv.slice(2).map(Number);

// A small deterministic generator (mulberry32 + Box-Muller) so every run fits the same data.
let state = 12345;
const uniform = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

const subject = [];
const visit = [];
const y = [];
const treatment = [];
const base = [];
for (let i = 0; i < patients; i++) {
  const trt = i % 2;
  const b = 25 + 3 * normal();
  const shared = 2 * normal();
  let e = 0;
  for (let v = 0; v < visits; v++) {
    e = 0.5 * e + normal() * (1 + 0.2 * v);
    subject.push(i);
    visit.push(v);
    y.push(-0.5 * v - trt * 0.4 * (v + 1) - 0.1 * (b - 25) + shared + e);
    treatment.push(trt);
    base.push(b);
    if (v > 0 && uniform() < 0.07) break; // monotone dropout after the first visit
  }
}
const data = {
  subject: Int32Array.from(subject),
  visit: Int32Array.from(visit),
  y: Float64Array.from(y),
  treatment: Float64Array.from(treatment),
  nSubjects: patients,
  nVisits: visits,
  covariates: [{ name: 'BASE', values: Float64Array.from(base), byVisit: true }],
};

for (const covariance of (process.argv[4] ?? 'unstructured,compound_symmetry,ar1,toeplitz').split(',')) {
  for (let i = 0; i < 10; i++) mmrm(data, { covariance });
  const ms = [];
  const cpu = [];
  let r;
  for (let i = 0; i < 31; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    r = mmrm(data, { covariance });
    ms.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  if (!r.visits) { console.log(covariance, r.reason); continue; }
  const last = r.visits[visits - 1];
  console.log(
    JSON.stringify({ covariance, patients, visits, observations: y.length, medianMs: +ms[15].toFixed(3), minMs: +ms[0].toFixed(3), medianCpuMs: +cpu[15].toFixed(3), iterations: r.iterations, estimate: +last.estimate.toFixed(6), se: +last.se.toFixed(6), df: +last.df.toFixed(3) }),
  );
}
