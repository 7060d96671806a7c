/**
 * The random streams of one patient (or of the trial level, patient TRIAL_LEVEL), opened cheaply.
 *
 * A stream's key text is "vtrial/<seed>/<replicate>/<patient>/<purpose>" and cyrb128 walks it one
 * character at a time, so the hash state after the prefix "vtrial/<seed>/<replicate>/<patient>/"
 * (and an optional purpose prefix) is computed once here; each purpose continues a copy of it with
 * its own characters only. Same text, same hash, same Alea state: a stream from here gives exactly
 * the numbers createStream gives for the same key, whatever the order in which streams are opened.
 *
 * @example
 * const streams = new PatientStreams(seed, replicate, patient);
 * const e = drawDropout(streams.use('dropout'));        // draws now, before the next use()
 * const b = drawBiomarker(streams.use('biomarker/', id)); // the stream "biomarker/<id>"
 */
import { Alea } from './alea.js';
import { KeyHash } from './cyrb128.js';
import { asRandomStream, seedAlea, type RandomStream, type Source } from './stream.js';

/**
 * The hash of "vtrial/<seed>/<replicate>/" for the last (seed, replicate) asked for: the twins of
 * a replicate are generated one after another, so this is hashed about once per replicate. A
 * pure memo (the same arguments always give the same hash), not state a result depends on.
 */
const lastReplicate = { seed: NaN, replicate: NaN, hash: new KeyHash() };

function replicatePrefix(seed: number, replicate: number): KeyHash {
  if (seed !== lastReplicate.seed || replicate !== lastReplicate.replicate) {
    lastReplicate.hash = new KeyHash().add(`vtrial/${seed}/${replicate}/`);
    lastReplicate.seed = seed;
    lastReplicate.replicate = replicate;
  }
  return lastReplicate.hash;
}

export class PatientStreams {
  private readonly prefix = new KeyHash();
  private readonly hash = new KeyHash();
  private readonly generator = new Alea();

  /** @param purposePrefix prepended to every purpose (e.g. "prognostic/3/"). */
  constructor(seed: number, replicate: number, patient: number, purposePrefix = '') {
    // The text streamKeyPrefix(seed, replicate, patient) + purposePrefix, hashed in pieces.
    this.prefix.copyFrom(replicatePrefix(seed, replicate)).add(String(patient)).add('/').add(purposePrefix);
  }

  /**
   * The stream of purpose `purpose + suffix` (the suffix saves building the string), in this
   * object's single generator: the source is reset by the next use(), so draw what you need
   * from it first. For streams that must stay open side by side, use open().
   */
  use(purpose: string, suffix = ''): Source {
    return this.seed(this.generator, purpose, suffix).next;
  }

  /** The stream of purpose `purpose + suffix` in a generator of its own. */
  open(purpose: string, suffix = ''): RandomStream {
    return asRandomStream(this.seed(new Alea(), purpose, suffix));
  }

  private seed(generator: Alea, purpose: string, suffix: string): Alea {
    const h = this.hash.copyFrom(this.prefix).add(purpose).add(suffix).finish();
    return seedAlea(generator, h.h1, h.h2, h.h3);
  }
}
