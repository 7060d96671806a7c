/**
 * What a spreadsheet would run as a formula when it opens a CSV file (OWASP "CSV injection"):
 * a cell beginning with =, +, -, @, tab or carriage return, unless the cell is a plain number
 * (so -1.5 stays a number).
 */
import { isDecimalText } from './decimal.js';

const FORMULA_START = /^[=+\-@\t\r]/;

export function looksLikeFormula(text: string): boolean {
  return FORMULA_START.test(text) && !isDecimalText(text);
}

/** The one key that, used as a property name, reaches an object's prototype instead of the object. */
export const RESERVED_KEY = '__proto__';
