/**
 * Baagøe's Alea generator, bit for bit the one of seedrandom 3.0.5 (lib/alea.js) restored from a
 * saved state: the same arithmetic in the same order on IEEE doubles, so the same state gives the
 * same numbers (test/random/alea.test.ts compares millions of draws with seedrandom's).
 *
 * Unlike seedrandom's, one object can be reset to another state and reused: opening a stream
 * costs four field writes instead of a new generator with its closures (and seedrandom's
 * string-seeding pass, which a restored state throws away).
 */
import type { StreamState } from './stream.js';

/** 2^-32 */
const TWO_POW_M32 = 2.3283064365386963e-10;

export class Alea {
  c = 1;
  s0 = 0;
  s1 = 0;
  s2 = 0;

  /** The next uniform on [0, 1): a Source, bound to this generator once. */
  readonly next = (): number => {
    const t = 2091639 * this.s0 + this.c * TWO_POW_M32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    return (this.s2 = t - (this.c = t | 0));
  };

  constructor(state?: StreamState) {
    if (state) this.reset(state);
  }

  /** Continue from a saved state (seedrandom's `copy(state, xg)`). */
  reset(state: StreamState): this {
    return this.set(state.c, state.s0, state.s1, state.s2);
  }

  set(c: number, s0: number, s1: number, s2: number): this {
    this.c = c;
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    return this;
  }

  /** The current state as plain data (seedrandom's `prng.state()`). */
  state(): StreamState {
    return { c: this.c, s0: this.s0, s1: this.s1, s2: this.s2 };
  }
}
