/**
 * One varied protocol path of a sweep: `--vary PATH=VALUES` on the command line, or an entry of
 * the protocol's `sweeps.vary`. PATH is dotted (`enrolment.target`, `enrolment.inclusion.1.expr`,
 * `cohort`); whole numbers are list indices. VALUES is a comma-separated list whose items are
 * numbers (0.6), ranges FROM:TO:STEP (100:400:50, stepped exactly), true/false, or text (a cohort
 * file, an enrolment expression); an item in double or single quotes is always text and may hold
 * commas ("x in ('a', 'b')").
 */
import { UsageError } from '../errors/usage-error.js';
import { isDecimalText } from '../util/decimal.js';
import { decimalRange } from './decimal-range.js';

export type SweepValue = number | string | boolean;

export interface Vary {
  /** As written: `enrolment.inclusion.1.expr`. */
  path: string;
  /** The path's keys; canonical whole numbers (0, 1, 12) are list indices. */
  keys: (string | number)[];
  values: SweepValue[];
}

/** The largest sweep grid (points); each point runs every scenario's replicates. */
export const MAX_POINTS = 10_000;

/** Keys of a dotted path; a problem (empty part, a key that would reach an object's prototype) is a message. */
export function pathKeys(path: string): (string | number)[] | string {
  if (path.trim() === '') return 'the path is empty';
  const parts = path.split('.');
  if (parts.some((p) => p === '')) return `"${path}" is not a dotted path (an empty part)`;
  const proto = parts.find((p) => p === '__proto__');
  if (proto) return `"${path}": "__proto__" names no protocol value`;
  const padded = parts.find((p) => /^0\d+$/.test(p));
  if (padded) return `"${path}": "${padded}" is not a list index (write ${Number(padded)}, without leading zeros)`;
  if (parts[0] === 'sweeps' || parts[0] === 'kind') return `"${path}": the ${parts[0]} section cannot be varied`;
  return parts.map((p) => (/^(0|[1-9]\d*)$/.test(p) ? Number(p) : p));
}

/** The comma-separated items of VALUES; quoted items keep their commas. */
function items(text: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  let i = 0;
  for (;;) {
    while (text[i] === ' ') i++;
    const q = text[i];
    if (q === '"' || q === "'") {
      const end = text.indexOf(q, i + 1);
      if (end < 0) throw new Error(`an unclosed ${q} in "${text}"`);
      out.push({ text: text.slice(i + 1, end), quoted: true });
      i = end + 1;
      while (text[i] === ' ') i++;
      if (i < text.length && text[i] !== ',') throw new Error(`text after the closing ${q} in "${text}" (separate values with commas)`);
    } else {
      const end = text.indexOf(',', i);
      const item = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      if (item === '') throw new Error(`an empty value in "${text}"`);
      out.push({ text: item, quoted: false });
      i = end < 0 ? text.length : end;
    }
    if (i >= text.length) return out;
    i++; // the comma
    if (i >= text.length) throw new Error(`an empty value at the end of "${text}"`);
  }
}

/** The values of a VALUES text. */
export function parseValues(text: string): SweepValue[] {
  const out: SweepValue[] = [];
  for (const it of items(text)) {
    if (it.quoted) out.push(it.text);
    else if (isDecimalText(it.text)) out.push(Number(it.text));
    else if (/^[^:]*:[^:]*:[^:]*$/.test(it.text) && it.text.split(':').every((p) => isDecimalText(p.trim()))) out.push(...decimalRange(it.text));
    else if (it.text === 'true' || it.text === 'false') out.push(it.text === 'true');
    else out.push(it.text);
  }
  return out;
}

/** The values of one entry: a list as written in YAML, or a VALUES text; `where` names it in messages. */
function checked(path: string, values: SweepValue[], where: string): Vary {
  const keys = pathKeys(path);
  if (typeof keys === 'string') throw new UsageError(`${where}: ${keys}`);
  if (values.length === 0) throw new UsageError(`${where}: no values for ${path}`);
  const seen = new Set<string>();
  for (const v of values) {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new UsageError(`${where}: ${v} is not a finite number`);
    const k = `${typeof v}:${String(v)}`;
    if (seen.has(k)) throw new UsageError(`${where}: the value ${JSON.stringify(v)} is listed twice for ${path}`);
    seen.add(k);
  }
  return { path, keys, values };
}

/** `--vary PATH=VALUES`. */
export function parseVary(text: string): Vary {
  const eq = text.indexOf('=');
  if (eq < 0) throw new UsageError(`--vary ${text}: expected PATH=VALUES (e.g. enrolment.target=100:400:50)`);
  const path = text.slice(0, eq).trim();
  let values: SweepValue[];
  try {
    values = parseValues(text.slice(eq + 1));
  } catch (err) {
    throw new UsageError(`--vary ${text}: ${(err as Error).message}`);
  }
  return checked(path, values, `--vary ${text}`);
}

/** An entry of the protocol's `sweeps.vary`: a list of values, one value, or a VALUES text. */
export function varyFromSpec(path: string, value: SweepValue | SweepValue[], file: string): Vary {
  const where = `${file}: sweeps.vary.${path}`;
  let values: SweepValue[];
  try {
    values = Array.isArray(value) ? value : typeof value === 'string' ? parseValues(value) : [value];
  } catch (err) {
    throw new UsageError(`${where}: ${(err as Error).message}`);
  }
  return checked(path, values, where);
}

/** Refuses the same path twice, and a path inside another varied path (which of the two would win?). */
export function checkDistinct(varies: readonly Vary[]): void {
  varies.forEach((a, i) =>
    varies.slice(i + 1).forEach((b) => {
      const [short, long] = a.keys.length <= b.keys.length ? [a, b] : [b, a];
      if (short.keys.every((k, j) => String(k) === String(long.keys[j]))) {
        throw new UsageError(short.path === long.path ? `${a.path} is varied twice` : `${long.path} lies inside ${short.path}: vary one or the other`);
      }
    }),
  );
}
