/**
 * The rules a name read from a data file must follow (empirical levels) and that the schema's
 * safeName applies to names in specs: one line of text, not a spreadsheet formula, not
 * "__proto__". Without zod, so the simulation (worker threads) does not load it.
 */
import { looksLikeFormula, RESERVED_KEY } from '../util/spreadsheet-safety.js';

export const RESERVED_MESSAGE = `"${RESERVED_KEY}" is reserved (it would reach JavaScript's object prototype); choose another name`;

/** Each rule: the test a name must pass, and the message when it fails (in the order they are checked). */
export const SAFE_NAME_RULES: readonly [(s: string) => boolean, string][] = [
  [(s) => s.length >= 1, 'must not be empty'],
  [(s) => !/[\u0000-\u001f\u007f]/.test(s), 'expected one line of text without tabs or control characters'],
  [(s) => !looksLikeFormula(s), 'must not begin with =, +, - or @ (a spreadsheet would run it as a formula)'],
  [(s) => s !== RESERVED_KEY, RESERVED_MESSAGE],
];

/** Why a level read from a data file cannot be used (the same rules as the schema's safeName), or undefined. */
export function unsafeNameReason(s: string): string | undefined {
  return SAFE_NAME_RULES.find(([ok]) => !ok(s))?.[1];
}
