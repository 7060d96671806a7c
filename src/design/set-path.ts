/**
 * Sets a value at a dotted path of a protocol as read from its file (plain data, before the
 * schema's defaults). Walks own properties only and writes with defineProperty, so no key reaches
 * an object's prototype (pathKeys refuses "__proto__" in the first place). A missing section is
 * created (e.g. `limits` for `limits.max_enrolled`); a missing list is not (which length?).
 */
import { formatPath } from '../spec/spec-error.js';

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Sets `value` at `keys` inside `root` (changed in place); returns a problem as text, or null. */
export function setAtPath(root: Record<string, unknown>, keys: readonly (string | number)[], value: unknown): string | null {
  let node: unknown = root;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const last = i === keys.length - 1;
    const here = formatPath(keys.slice(0, i));
    if (Array.isArray(node)) {
      if (typeof key !== 'number') return `${here} is a list: "${key}" is not an index`;
      if (key >= node.length) return `${here} is a list of ${node.length}; expected an index 0 to ${node.length - 1}, found ${key}`;
      if (last) node[key] = value;
      else node = node[key];
      continue;
    }
    if (!isRecord(node)) return `${here} is a value (${JSON.stringify(node)}), not a section with "${formatPath(keys.slice(i))}"`;
    const k = String(key);
    if (last) {
      Object.defineProperty(node, k, { value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    let next = Object.hasOwn(node, k) ? node[k] : undefined;
    if (next === undefined || next === null) {
      if (typeof keys[i + 1] === 'number') return `no list at ${formatPath(keys.slice(0, i + 1))} in the protocol`;
      next = {};
      Object.defineProperty(node, k, { value: next, enumerable: true, writable: true, configurable: true });
    }
    node = next;
  }
  return null;
}

/** The value at `keys`, or undefined (own properties only). */
export function getAtPath(root: unknown, keys: readonly (string | number)[]): unknown {
  let node = root;
  for (const key of keys) {
    if (Array.isArray(node)) node = typeof key === 'number' ? node[key] : undefined;
    else if (isRecord(node)) node = Object.hasOwn(node, String(key)) ? node[String(key)] : undefined;
    else return undefined;
  }
  return node;
}
