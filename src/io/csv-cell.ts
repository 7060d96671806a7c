/** A CSV cell: "NA" for a quantity that is not estimable (null, NaN, infinite), Y/N for decisions. */
import type { Value } from '../expr/compile.js';

export function csvCell(v: unknown): Value {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return 'NA';
  if (typeof v === 'boolean') return v ? 'Y' : 'N';
  return v as Value;
}
