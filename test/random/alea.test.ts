import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { Alea } from '../../src/random/alea.js';
import { createStream, initialState, type StreamState } from '../../src/random/stream.js';

/** seedrandom's Alea restored from `state`: the generator vtrial used before its own. */
const reference = (state: StreamState) => seedrandom.alea('', { state: { ...state } }) as unknown as (() => number) & { state(): StreamState };

/** A small deterministic PRNG for the test's own choices (mulberry32). */
function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Many states: ones vtrial seeds (from key hashes), ones a stream reaches later, and odd ones. */
function states(n: number): StreamState[] {
  const r = mulberry32(2026);
  const out: StreamState[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 4;
    if (kind === 0) out.push(initialState(`vtrial/${i}/${i % 7}/${i - 50}/purpose-${i}`));
    else if (kind === 1) {
      const s = createStream({ seed: i, replicate: 1, patient: i, purpose: 'walk' });
      for (let k = 0; k < (i % 97) + 1; k++) s();
      out.push(s.state());
    } else if (kind === 2) out.push({ c: Math.floor(r() * 2091639), s0: Math.floor(r() * 2 ** 32) / 2 ** 32, s1: Math.floor(r() * 2 ** 32) / 2 ** 32, s2: Math.floor(r() * 2 ** 32) / 2 ** 32 });
    else out.push({ c: Math.floor(r() * 2091639), s0: r() * r(), s1: 1 - r(), s2: r() ** 3 }); // any doubles in [0, 1)
  }
  out.push({ c: 0, s0: 0, s1: 0, s2: 0 }, { c: 1, s0: 0, s1: 0, s2: 2 ** -32 }, { c: 2091638, s0: 1 - 2 ** -32, s1: 1 - 2 ** -53, s2: 0.5 });
  return out;
}

describe('Alea', () => {
  it('gives bit for bit the numbers of seedrandom 3.0.5 from the same restored state (2,000 states, 2.6 million draws)', () => {
    const r = mulberry32(7);
    let draws = 0;
    let mismatches = 0;
    for (const state of states(2000)) {
      const ours = new Alea(state);
      const theirs = reference(state);
      const length = 1 + Math.floor(r() * 2600);
      for (let i = 0; i < length; i++) if (!Object.is(ours.next(), theirs())) mismatches++;
      draws += length;
      expect(ours.state()).toEqual(theirs.state());
    }
    expect(mismatches).toBe(0);
    expect(draws).toBeGreaterThan(2_000_000);
  });

  it('one generator reset to a state reproduces a fresh one, whatever it drew before', () => {
    const reused = new Alea();
    const r = mulberry32(11);
    let mismatches = 0;
    for (const state of states(400)) {
      for (let i = Math.floor(r() * 50); i > 0; i--) reused.next(); // leftover draws of the previous stream
      const next = reused.reset(state).next;
      const fresh = new Alea(state);
      const theirs = reference(state);
      for (let i = 0; i < 100; i++) {
        const x = next();
        if (!Object.is(x, fresh.next()) || !Object.is(x, theirs())) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('reset copies the state: the saved object is not moved by later draws', () => {
    const saved = { c: 1, s0: 0.25, s1: 0.5, s2: 0.75 };
    const g = new Alea(saved);
    g.next();
    expect(saved).toEqual({ c: 1, s0: 0.25, s1: 0.5, s2: 0.75 });
    expect(g.state()).not.toEqual(saved);
  });
});
