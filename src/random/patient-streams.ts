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

export class PatientStreams {
  private readonly prefix = new KeyHash();
  private readonly hash = new KeyHash();
  private readonly generator = new Alea();

  /** @param purposePrefix prepended to every purpose (e.g. "prognostic/3/"). */
  constructor(seed: number, replicate: number, patient: number, purposePrefix = '') {
    // streamKeyPrefix(seed, replicate, patient) + purposePrefix, without building the string.
    this.prefix.add('vtrial/').addNumber(seed).addCode(47).addNumber(replicate).addCode(47).addNumber(patient).addCode(47).add(purposePrefix);
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
