// Micro-benchmark of vtrial's random streams: nanoseconds per stream opened (key -> generator state,
// plus one draw) and per draw, medians of 5 rounds of 300,000.
// Usage: npm run build && node bench/streams.mjs [DIST_DIR]
// DIST_DIR defaults to this checkout's dist/; give an older build's dist/ to compare back to back
// (a build without src/random/patient-streams.ts shows the createStream rows only).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = resolve(process.argv[2] ?? new URL('../dist', import.meta.url).pathname);
const random = await import(pathToFileURL(`${dist}/random/stream.js`).href);
const patientStreams = await import(pathToFileURL(`${dist}/random/patient-streams.js`).href).catch(() => ({}));
const N = 300_000;
const PURPOSES = ['covariates', 'dropout', 'tte/TTE', 'biomarker/hba1c', 'ae/Nausea'];

/** Median over 5 rounds of the time per unit of work, in ns; f returns a checksum so nothing is optimised away. */
function median(f) {
  const ns = [];
  let sink = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    sink += f();
    ns.push(Number(process.hrtime.bigint() - t0) / N);
  }
  if (Number.isNaN(sink)) throw new Error('unreachable');
  return ns.sort((a, b) => a - b)[2];
}

const rows = [];
rows.push(['createStream + 1 draw (a new key text, hash and generator per stream)', median(() => {
  let s = 0;
  for (let i = 0; i < N; i++) s += random.createStream({ seed: 1, replicate: 7, patient: i >> 2, purpose: PURPOSES[i % 5] })();
  return s;
})]);
if (patientStreams.PatientStreams) {
  const { PatientStreams } = patientStreams;
  rows.push(['PatientStreams per patient, use() x 5 purposes, 1 draw each (per stream)', median(() => {
    let s = 0;
    for (let i = 0; i < N; i += 5) {
      const streams = new PatientStreams(1, 7, i);
      for (let k = 0; k < 5; k++) s += streams.use(PURPOSES[k])();
    }
    return s;
  })]);
  rows.push(['PatientStreams per patient, use() x 2 purposes, 1 draw each (per stream)', median(() => {
    let s = 0;
    for (let i = 0; i < N; i += 2) {
      const streams = new PatientStreams(1, 7, i);
      s += streams.use('covariates')() + streams.use('tte/', 'TTE')();
    }
    return s;
  })]);
  const one = new PatientStreams(1, 7, 123);
  rows.push(['use() on an open PatientStreams + 1 draw', median(() => {
    let s = 0;
    for (let i = 0; i < N; i++) s += one.use(PURPOSES[i % 5])();
    return s;
  })]);
}
const open = random.createStream({ seed: 1, replicate: 0, patient: 0, purpose: 'covariates' });
rows.push(['1 draw from an open stream', median(() => {
  let s = 0;
  for (let i = 0; i < N; i++) s += open();
  return s;
})]);
for (const [what, ns] of rows) console.log(`${ns.toFixed(1).padStart(8)} ns  ${what}`);
