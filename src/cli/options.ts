/** Parsers for command-line option values; a bad value is a usage error (exit code 2). */
import { InvalidArgumentError } from 'commander';
import { parseDecimal } from '../util/decimal.js';
import { UsageError } from '../errors/usage-error.js';

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

/** --shard k/n, or `auto` (the array-job environment decides: shardFromEnv). */
export function parseShard(value: string): { k: number; n: number } | 'auto' {
  if (value.trim() === 'auto') return 'auto';
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

/** The environment variable that gives the shard count where the scheduler does not (Kubernetes; AWS Batch without AWS_BATCH_JOB_ARRAY_SIZE). */
export const SHARDS_ENV = 'VTRIAL_SHARDS';

/** The array-job variables `--shard auto` reads, by scheduler (README: Beyond one machine). */
export const SHARD_ENV = {
  slurm: ['SLURM_ARRAY_TASK_ID', 'SLURM_ARRAY_TASK_MIN', 'SLURM_ARRAY_TASK_MAX', 'SLURM_ARRAY_TASK_COUNT', 'SLURM_ARRAY_TASK_STEP'],
  kubernetes: ['JOB_COMPLETION_INDEX'],
  awsBatch: ['AWS_BATCH_JOB_ARRAY_INDEX', 'AWS_BATCH_JOB_ARRAY_SIZE'],
} as const;

/**
 * `--shard auto`: shard k of n from an array job's environment (a pure function of `env`).
 *   Slurm (--array=MIN-MAX[:STEP]): k = (SLURM_ARRAY_TASK_ID - MIN) / STEP + 1, n from MAX (or
 *     SLURM_ARRAY_TASK_COUNT); MIN, MAX and COUNT must agree (a sparse array such as 1,3,7 is refused).
 *   Kubernetes Indexed Job: k = JOB_COMPLETION_INDEX + 1, n from --shards N or VTRIAL_SHARDS
 *     (the Job's completions).
 *   AWS Batch array job: k = AWS_BATCH_JOB_ARRAY_INDEX + 1, n = AWS_BATCH_JOB_ARRAY_SIZE (or
 *     --shards N / VTRIAL_SHARDS).
 * `shards` is --shards N: where the environment also gives a count, the two must agree. A missing,
 * malformed or inconsistent variable is a UsageError naming it (exit code 2).
 */
export function shardFromEnv(env: Readonly<Record<string, string | undefined>>, shards?: number): { k: number; n: number } {
  const set = (name: string): boolean => env[name] !== undefined && env[name]!.trim() !== '';
  const int = (name: string, min: number): number => {
    const v = env[name]!.trim();
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--shard auto: ${name} is "${env[name]}", expected a whole number >= ${min}`);
    return n;
  };
  const found = [set('SLURM_ARRAY_TASK_ID') && 'SLURM_ARRAY_TASK_ID', set('JOB_COMPLETION_INDEX') && 'JOB_COMPLETION_INDEX', set('AWS_BATCH_JOB_ARRAY_INDEX') && 'AWS_BATCH_JOB_ARRAY_INDEX'].filter((x): x is string => Boolean(x));
  if (found.length === 0) {
    throw new UsageError('--shard auto: no array-job environment found: expected SLURM_ARRAY_TASK_ID (Slurm job array), JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job); outside an array job give --shard k/n');
  }
  if (found.length > 1) throw new UsageError(`--shard auto: both ${found.join(' and ')} are set: the scheduler is ambiguous; unset one or give --shard k/n`);
  const countFrom = (what: string): number => {
    if (shards !== undefined) return shards;
    if (set(SHARDS_ENV)) return int(SHARDS_ENV, 1);
    throw new UsageError(`--shard auto: ${what} gives no shard count: give --shards N or set ${SHARDS_ENV}`);
  };
  const agree = (n: number, source: string): void => {
    if (shards !== undefined && shards !== n) throw new UsageError(`--shard auto: --shards ${shards} disagrees with ${source} (${n} shards)`);
  };
  let k: number;
  let n: number;
  let index: string;
  if (found[0] === 'SLURM_ARRAY_TASK_ID') {
    index = 'SLURM_ARRAY_TASK_ID';
    const id = int(index, 0);
    if (!set('SLURM_ARRAY_TASK_MIN')) throw new UsageError('--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MIN is missing (Slurm sets both for a job array: sbatch --array=1-8)');
    const min = int('SLURM_ARRAY_TASK_MIN', 0);
    const step = set('SLURM_ARRAY_TASK_STEP') ? int('SLURM_ARRAY_TASK_STEP', 1) : 1;
    const max = set('SLURM_ARRAY_TASK_MAX') ? int('SLURM_ARRAY_TASK_MAX', 0) : undefined;
    const count = set('SLURM_ARRAY_TASK_COUNT') ? int('SLURM_ARRAY_TASK_COUNT', 1) : undefined;
    if (max === undefined && count === undefined) throw new UsageError('--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_MAX and SLURM_ARRAY_TASK_COUNT are missing (one gives the shard count)');
    if (max !== undefined && (max < min || (max - min) % step !== 0)) throw new UsageError(`--shard auto: SLURM_ARRAY_TASK_MAX ${max} is not MIN ${min} plus a multiple of the step ${step}`);
    const fromMax = max === undefined ? undefined : (max - min) / step + 1;
    if (fromMax !== undefined && count !== undefined && fromMax !== count) {
      throw new UsageError(`--shard auto: SLURM_ARRAY_TASK_COUNT ${count} disagrees with SLURM_ARRAY_TASK_MIN ${min}, MAX ${max} and STEP ${step} (${fromMax} tasks): a sparse array (--array=1,3,7) cannot be split evenly; use --array=MIN-MAX`);
    }
    n = count ?? fromMax!;
    if ((id - min) % step !== 0 || id < min) throw new UsageError(`--shard auto: SLURM_ARRAY_TASK_ID ${id} is not MIN ${min} plus a multiple of the step ${step}`);
    k = (id - min) / step + 1;
    agree(n, 'the Slurm array');
  } else if (found[0] === 'JOB_COMPLETION_INDEX') {
    index = 'JOB_COMPLETION_INDEX';
    k = int(index, 0) + 1;
    n = countFrom('a Kubernetes Indexed Job (JOB_COMPLETION_INDEX)');
  } else {
    index = 'AWS_BATCH_JOB_ARRAY_INDEX';
    k = int(index, 0) + 1;
    if (set('AWS_BATCH_JOB_ARRAY_SIZE')) {
      n = int('AWS_BATCH_JOB_ARRAY_SIZE', 1);
      agree(n, 'AWS_BATCH_JOB_ARRAY_SIZE');
    } else n = countFrom('AWS Batch without AWS_BATCH_JOB_ARRAY_SIZE');
  }
  if (n > LIMITS.shards) throw new UsageError(`--shard auto: ${grouped(n)} shards is above the limit of ${grouped(LIMITS.shards)}`);
  if (k > n) throw new UsageError(`--shard auto: ${index} gives shard ${k} of ${n}: the index is beyond the shard count`);
  return { k, n };
}
