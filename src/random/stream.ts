/**
 * Seeded random streams keyed by (master seed, replicate, patient, purpose).
 *
 * Every draw in vtrial comes from one of these streams, so a twin's values depend only on
 * its own key: twin 7 of replicate 3 is the same whatever the cohort size, the worker count
 * or the order in which twins are generated.
 *
 * The generator is Alea (./alea.ts, bit-identical to seedrandom's); its state can be saved and
 * replayed. Its initial state is derived from the key text by a 128-bit string hash (cyrb128)
 * and restored, which is ~15x cheaper than Alea's own string seeding. A twin's simulation opens
 * several streams, so callers that open many use PatientStreams (./patient-streams.ts), which
 * hashes the patient's key prefix once and reuses one generator: the same numbers, cheaper.
 *
 * @example
 * const rng = createStream({ seed: 7, replicate: 0, patient: 12, purpose: 'covariates' });
 * rng(); // a uniform number in [0, 1), the same on every machine
 */
import { Alea } from './alea.js';
import { KeyHash } from './cyrb128.js';

export { cyrb128 } from './cyrb128.js';

/** A uniform source on [0, 1), as taken by every sampler (the d3-random / stdlib convention). */
export type Source = () => number;

/** A source whose state can be saved and replayed. */
export interface RandomStream extends Source {
  state(): StreamState;
}

/** Alea's saved state (plain data: can cross a worker boundary or be written to JSON). */
export interface StreamState {
  c: number;
  s0: number;
  s1: number;
  s2: number;
}

/** Trial-level streams (randomisation lists, external cohorts) use this patient index. */
export const TRIAL_LEVEL = -1;

export interface StreamKey {
  seed: number;
  replicate: number;
  patient: number;
  purpose: string;
}

/** The text a stream is seeded from; part of vtrial's reproducibility contract, so never change it. */
export function streamSeedText(key: StreamKey): string {
  return streamKeyPrefix(key.seed, key.replicate, key.patient) + key.purpose;
}

/** The key text up to the purpose, shared by all streams of one patient. */
export function streamKeyPrefix(seed: number, replicate: number, patient: number): string {
  return `vtrial/${seed}/${replicate}/${patient}/`;
}

export function createStream(key: StreamKey): RandomStream {
  return asRandomStream(seedFromText(new Alea(), streamSeedText(key)));
}

/** Alea's initial state for a key: three 32-bit fractions from cyrb128 of the key text, carry 1. */
export function initialState(text: string): StreamState {
  return seedFromText(new Alea(), text).state();
}

function seedFromText(generator: Alea, text: string): Alea {
  const h = new KeyHash().add(text).finish();
  return seedAlea(generator, h.h1, h.h2, h.h3);
}

/** Seeds `generator` from the first three (unsigned) words of a key's cyrb128 hash. */
export function seedAlea(generator: Alea, h1: number, h2: number, h3: number): Alea {
  // An all-zero state would stay at zero; cyrb128 never yields three zero words in practice.
  return generator.set(1, h1 / 4294967296, h2 / 4294967296, (h3 || 1) / 4294967296);
}

/** Rebuild a stream from a saved state; it continues exactly where the saved one stood. */
export function restoreStream(state: StreamState): RandomStream {
  return asRandomStream(new Alea(state));
}

/** A generator as a RandomStream: its draw function, with state() attached. */
export function asRandomStream(generator: Alea): RandomStream {
  return Object.assign(generator.next, { state: () => generator.state() });
}

/** A uniform draw strictly inside (0, 1), for inverse-CDF sampling (quantile(0) is -Infinity). */
export function openUniform(source: Source): number {
  let u = source();
  while (u === 0) u = source();
  return u;
}
