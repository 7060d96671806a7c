/** Parsers for command-line option values; a bad value is a usage error (exit code 2). */
import { InvalidArgumentError } from 'commander';

export function parseInteger(min: number, what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^[+]?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected ${what} (a whole number >= ${min}), found "${value}"`);
    }
    return n;
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
  if (!m || n < 1 || k < 1 || k > n) throw new InvalidArgumentError(`expected k/n with 1 <= k <= n (e.g. 2/4), found "${value}"`);
  return { k, n };
}
