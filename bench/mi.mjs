// Multiple-imputation analysis time (method: mi): PATIENTS x VISITS (BASE x visit, monotone
// dropout ~7% per visit after the first), M imputations: one MMRM fit, M draws and ANCOVAs,
// Rubin's rules. Prints the median wall-clock and CPU ms per analysis over 11 runs after 3
// warm-up runs, and the same for the MMRM fit alone.
// Usage: npm run build && node bench/mi.mjs [PATIENTS] [VISITS] [M]
import { analysisMethod } from '../dist/methods/registry.js';
import { createStream } from '../dist/random/stream.js';

const [patients = 400, visits = 4, m = 50] = process.argv.slice(2).map(Number);
let state = 12345;
const uniform = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());

const nArm = patients / 2;
const values = new Float64Array(patients * visits).fill(NaN);
const base = new Float64Array(patients);
const treatment = new Float64Array(patients);
for (let i = 0; i < patients; i++) {
  const trt = i < nArm ? 1 : 0;
  treatment[i] = trt;
  const b = 25 + 3 * normal();
  base[i] = b;
  const shared = 2 * normal();
  let e = 0;
  for (let v = 0; v < visits; v++) {
    e = 0.5 * e + normal() * (1 + 0.2 * v);
    values[i * visits + v] = -0.5 * v - trt * 0.4 * (v + 1) - 0.1 * (b - 25) + shared + e;
    if (v > 0 && uniform() < 0.07) break;
  }
}
const c = {
  nArm,
  nControl: patients - nArm,
  value: Float64Array.from({ length: patients }, (_, i) => values[i * visits + visits - 1]),
  time: new Float64Array(patients),
  event: new Float64Array(patients),
  treatment,
  covariates: { BASE: base },
  repeated: { visits: Array.from({ length: visits }, (_, v) => `V${v + 1}`), values },
  random: () => createStream({ seed: 1, replicate: 0, patient: -1, purpose: 'imputation/0/1' }),
};
const item = { endpoint: 'Y', method: 'mi', covariates: ['BASE'], missing: 'exclude', ties: 'efron', imputations: m };
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
for (const [name, method, it] of [['mi', 'mi', item], ['mmrm alone', 'mmrm', { ...item, method: 'mmrm' }]]) {
  const entry = analysisMethod(method);
  for (let i = 0; i < 3; i++) entry.compare(c, it, 0.95);
  const ms = [];
  const cpu = [];
  let r;
  for (let i = 0; i < 11; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    r = entry.compare(c, it, 0.95);
    ms.push(performance.now() - t0);
    const u = process.cpuUsage(c0);
    cpu.push((u.user + u.system) / 1000);
  }
  console.log(`${name} (${patients} patients x ${visits} visits${method === 'mi' ? `, M = ${m}` : ''}): median ${median(ms).toFixed(1)} ms wall, ${median(cpu).toFixed(1)} ms CPU; estimate ${r.estimate.toFixed(4)}`);
}
