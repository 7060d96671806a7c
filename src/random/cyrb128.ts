/**
 * cyrb128: a fast, well-mixed 128-bit string hash (bryc, public domain). Part of vtrial's
 * reproducibility contract (stream keys are hashed with it): never change it.
 *
 * It walks the text one UTF-16 code unit at a time, so it can be fed in pieces: hashing "ab" is
 * hashing "a" and then "b". Stream keys share long prefixes ("vtrial/<seed>/<replicate>/<patient>/"),
 * so a caller hashes a prefix once and continues a copy of that state for each purpose. Plain
 * number fields, no arrays: continuing a copy allocates nothing.
 */
export class KeyHash {
  // The running words (the original's h1..h4 before the final mix).
  h1 = 1779033703;
  h2 = 3144134277;
  h3 = 1013904242;
  h4 = 2773480762;

  copyFrom(other: KeyHash): this {
    this.h1 = other.h1;
    this.h2 = other.h2;
    this.h3 = other.h3;
    this.h4 = other.h4;
    return this;
  }

  /** Continues the hash with the code units of `text`. */
  add(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    let h3 = this.h3;
    let h4 = this.h4;
    for (let i = 0; i < text.length; i++) {
      const k = text.charCodeAt(i);
      h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
      h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
      h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
      h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
    }
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
    this.h4 = h4;
    return this;
  }

  /** The final mix: h1..h4 become the hash of everything added, as unsigned 32-bit words. */
  finish(): this {
    let h1 = this.h1;
    let h2 = this.h2;
    let h3 = this.h3;
    let h4 = this.h4;
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    h1 ^= h2 ^ h3 ^ h4;
    h2 ^= h1;
    h3 ^= h1;
    h4 ^= h1;
    this.h1 = h1 >>> 0;
    this.h2 = h2 >>> 0;
    this.h3 = h3 >>> 0;
    this.h4 = h4 >>> 0;
    return this;
  }
}

/** cyrb128 of a whole text, as four unsigned 32-bit words. */
export function cyrb128(str: string): [number, number, number, number] {
  const k = new KeyHash().add(str).finish();
  return [k.h1, k.h2, k.h3, k.h4];
}
