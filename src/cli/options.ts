/** Parsers for command-line option values; a bad value is a usage error (exit code 2). */
import { InvalidArgumentError } from 'commander';
import { parseDecimal } from '../util/decimal.js';

/**
 * Hard limits on sizes given on the command line. Each guards against a typo (an extra zero, 1e9)
 * turning into gigabytes of memory or days of work; the message says how to go further where a
 * larger value is legitimate.
 */
export const LIMITS = {
  /**
   * Replicates of one run. Operating characteristics need every replicate's estimate and CI
   * (for medians, bias and coverage against the final true effect): about 24 bytes per replicate,
   * scenario and comparison plus 8 per AE term and arm stay in memory, 0.65-1 GB at this limit for
   * protocols/t2d-weekly-injectable.yaml (3 scenarios, 6 comparisons, 9 AE cells).
   */
  replicates: 1_000_000,
  /** Twins of one `vtrial cohort` call; generate more as several files (--replicate 0, 1, ...). */
  twins: 100_000_000,
  /** Worker threads even with --allow-oversubscribe. */
  workers: 256,
  /** Replicates per worker task (a batch's results sit in memory until written). */
  batchSize: 10_000,
  /** Shares of --shard k/n. */
  shards: 1_000_000,
  /** Adjustment covariates of sample-size. */
  covariates: 10_000,
} as const;

const grouped = (n: number) => n.toLocaleString('en-US');

/**
 * A whole number in [min, max], written as plain digits: "1e9", "10.0", "0x10", "", "-1",
 * "Infinity" and anything beyond Number.MAX_SAFE_INTEGER are refused.
 */
export function parseInteger(min: number, what: string, max = Number.MAX_SAFE_INTEGER, lift = '') {
  return (value: string): number => {
    const n = Number(value);
    if (!/^[+]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected ${what} (a whole number >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${grouped(max)}` : ''}), found "${value}"`);
    }
    if (n > max) throw new InvalidArgumentError(`${grouped(n)} is above the limit of ${grouped(max)} for ${what}${lift ? `; ${lift}` : ''}`);
    return n;
  };
}

/** A finite decimal number such as 0.5, -2, 1e-3 or .25: "", "NaN", "Infinity", "0x10" and "1,5" are refused. */
export function parseReal(what: string) {
  return (value: string): number => {
    const n = parseDecimal(value);
    if (n === undefined) {
      throw new InvalidArgumentError(`expected ${what} (a finite decimal number such as 0.5), found "${value}"`);
    }
    return n;
  };
}

/** A comma-separated list of finite decimal numbers: "0.33,0.67,1". */
export function parseRealList(what: string) {
  return (value: string): number[] => {
    const parts = value.split(',').map((x) => x.trim());
    const out = parts.map((x) => parseDecimal(x));
    if (parts.length === 0 || out.some((x) => x === undefined)) throw new InvalidArgumentError(`expected ${what} as comma-separated decimal numbers such as 0.5,1, found "${value}"`);
    return out as number[];
  };
}

export function parseChoice<T extends string>(choices: readonly T[]) {
  return (value: string): T => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}, found "${value}"`);
    return value as T;
  };
}

export const REPORT_FORMATS = ['text', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** --shard k/n */
export function parseShard(value: string): { k: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(n) || n < 1 || k < 1 || k > n) throw new InvalidArgumentError(`expected k/n with 1 <= k <= n (e.g. 2/4), found "${value}"`);
  if (n > LIMITS.shards) throw new InvalidArgumentError(`${grouped(n)} shards is above the limit of ${grouped(LIMITS.shards)}`);
  return { k, n };
}

/** The default worker count: the available cores, within the hard limit. */
export const defaultWorkers = (cores: number): number => Math.max(1, Math.min(cores, LIMITS.workers));

/**
 * The worker count to use: at most the machine's cores unless oversubscription is asked for
 * explicitly, and never more than LIMITS.workers (each worker thread costs tens of MB).
 */
export function checkWorkers(workers: number, cores: number, allowOversubscribe: boolean): string | null {
  if (workers > LIMITS.workers) return `--workers ${workers} is above the hard limit of ${LIMITS.workers} worker threads`;
  if (workers > cores && !allowOversubscribe) {
    return `--workers ${workers} is more than the ${cores} core${cores === 1 ? '' : 's'} available: more workers only cost memory (about 40 MB each; results do not depend on the worker count); give --allow-oversubscribe to run up to ${LIMITS.workers} anyway`;
  }
  return null;
}
