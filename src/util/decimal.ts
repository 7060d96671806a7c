/**
 * The one reading of text as a number, for every CSV reader and option: what R's read.csv reads
 * as a number — an optional sign, digits with an optional decimal point, an optional exponent
 * (5, -2.5, .25, 1e-3). Refused: hexadecimal, binary and octal ("0x10", "0b101", "0o17", which
 * JavaScript's Number() would read as 16, 5 and 15), "", blanks, "Infinity", "NaN", "1,5".
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** True when the text, exactly as given (no trimming), is a decimal number. */
export const isDecimalText = (text: string): boolean => DECIMAL.test(text);

/**
 * The finite number a decimal text (surrounding blanks ignored) denotes, or undefined for any
 * other text, and for a decimal that overflows a double ("1e999").
 */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  const x = Number(t);
  return Number.isFinite(x) ? x : undefined;
}
