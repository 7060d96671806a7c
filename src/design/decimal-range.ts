/**
 * Ranges FROM:TO:STEP of decimal numbers, stepped exactly: 0.1:0.5:0.1 is 0.1, 0.2, 0.3, 0.4 and
 * 0.5, each the double nearest its decimal text (repeated floating-point addition would give
 * 0.30000000000000004 and might miss 0.5). The arithmetic is on integers scaled by a power of 10.
 */
import { isDecimalText } from '../util/decimal.js';

/** A decimal text as an integer and a power of ten: "-2.50" is -250 x 10^-2. */
function scaled(text: string): { int: bigint; scale: number } {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim())!;
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  const digits = `${m[2] ?? ''}${frac}` || '0';
  let int = BigInt(digits) * (m[1] === '-' ? -1n : 1n);
  let scale = frac.length - exp;
  if (scale < 0) {
    int *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { int, scale };
}

const atScale = (v: { int: bigint; scale: number }, scale: number): bigint => v.int * 10n ** BigInt(scale - v.scale);

/** The largest number of values one range may give (a typo such as a missing digit in the step must not give millions of points). */
export const MAX_RANGE_VALUES = 10_000;

/**
 * The values of FROM:TO:STEP, FROM first, TO included when a whole number of steps reaches it.
 * Throws an Error with a message (the caller adds where it was written) when the text is not a
 * range of decimals, the step is 0 or points away from TO, or it gives too many values.
 */
export function decimalRange(text: string): number[] {
  const parts = text.split(':');
  if (parts.length !== 3 || !parts.every((p) => isDecimalText(p.trim()))) throw new Error(`"${text}" is not a range FROM:TO:STEP of decimal numbers (e.g. 100:400:50)`);
  const [from, to, step] = parts.map(scaled) as [ReturnType<typeof scaled>, ReturnType<typeof scaled>, ReturnType<typeof scaled>];
  const scale = Math.max(from.scale, to.scale, step.scale);
  const a = atScale(from, scale);
  const b = atScale(to, scale);
  const s = atScale(step, scale);
  if (s === 0n) throw new Error(`"${text}": the step is 0`);
  if ((b - a) * s < 0n) throw new Error(`"${text}": the step ${parts[2]!.trim()} goes away from ${parts[1]!.trim()}`);
  const count = (b - a) / s + 1n;
  if (count > BigInt(MAX_RANGE_VALUES)) throw new Error(`"${text}" gives ${count} values, more than the limit of ${MAX_RANGE_VALUES}`);
  const out: number[] = [];
  for (let i = 0n; i < count; i++) out.push(Number(`${a + i * s}e-${scale}`));
  return out;
}
