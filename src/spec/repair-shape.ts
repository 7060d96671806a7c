/**
 * A best-effort repair of a spec that failed its shape check, so that the checks after it
 * (cross-references, compilation against the cohort) can still run and a user sees every problem
 * at once instead of in stages. The repaired spec is used only to find more problems, never to
 * run anything.
 *
 * Repairs, per zod issue: a misspelt choice (enum or discriminator) becomes the closest allowed
 * one (else the first); an unknown key is dropped; any other bad value is dropped where the
 * schema lets it be absent. Where that is not enough (a required value, a list item) the repair
 * gives up. Problems the later checks find inside a repaired object are consequences of the
 * repair, not the user's, and are for the caller to drop (see `touches`).
 */
import type { z } from 'zod';
import { closestName } from '../util/closest-name.js';
import type { SpecPath } from './spec-error.js';

type Issue = z.core.$ZodIssue;
type Key = string | number;

export interface RepairedSpec<T> {
  spec: T;
  /** The objects that were changed (the parent of each repaired value). */
  repaired: SpecPath[];
}

/** Repairs `data` until `schema` accepts it (a few rounds at most); undefined where it cannot. */
export function repairShape<T>(schema: z.ZodType<T>, data: unknown, rounds = 4): RepairedSpec<T> | undefined {
  const current = structuredClone(data);
  const repaired: SpecPath[] = [];
  for (let round = 0; round <= rounds; round++) {
    const r = schema.safeParse(current);
    if (r.success) return { spec: r.data, repaired };
    let changed = false;
    for (const issue of r.error.issues) changed = repairIssue(current, issue, [], repaired) || changed;
    if (!changed) return undefined;
  }
  return undefined;
}

/** Whether a problem at `path` lies inside, or contains, an object that was repaired. */
export function touches(path: SpecPath, repaired: readonly SpecPath[]): boolean {
  const prefix = (a: SpecPath, b: SpecPath) => a.length <= b.length && a.every((k, i) => String(k) === String(b[i]));
  return repaired.some((r) => prefix(r, path) || prefix(path, r));
}

function repairIssue(root: unknown, issue: Issue, prefix: Key[], repaired: SpecPath[]): boolean {
  const path = [...prefix, ...(issue.path as Key[])];
  switch (issue.code) {
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      if ((issue as { discriminator?: string }).discriminator && options?.length) return choose(root, path, options, repaired);
      // A plain union: repair towards the alternative with the fewest problems.
      const branches = issue.errors.filter((b) => b.length > 0);
      if (branches.length === 0) return drop(root, path, repaired);
      const best = branches.reduce((a, b) => (b.length < a.length ? b : a));
      let changed = false;
      for (const inner of best) changed = repairIssue(root, inner, path, repaired) || changed;
      return changed;
    }
    case 'invalid_value':
      return choose(root, path, issue.values as unknown[], repaired);
    case 'unrecognized_keys': {
      let changed = false;
      for (const key of issue.keys) changed = drop(root, [...path, key], repaired) || changed;
      return changed;
    }
    default:
      return drop(root, path, repaired);
  }
}

/** The object holding `path`'s last key, if the path leads to one. */
function parentOf(root: unknown, path: readonly Key[]): Record<string, unknown> | unknown[] | undefined {
  let node = root;
  for (const k of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, k)) return undefined;
    node = (node as Record<Key, unknown>)[k];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

function choose(root: unknown, path: readonly Key[], options: readonly unknown[], repaired: SpecPath[]): boolean {
  const parent = parentOf(root, path);
  const key = path[path.length - 1];
  if (!parent || key === undefined || options.length === 0) return false;
  const found = (parent as Record<Key, unknown>)[key];
  const texts = options.filter((o): o is string => typeof o === 'string');
  const pick = (typeof found === 'string' ? closestName(found, texts) : undefined) ?? options[0];
  if (Object.is(found, pick)) return false;
  (parent as Record<Key, unknown>)[key] = pick;
  repaired.push(path.slice(0, -1));
  return true;
}

function drop(root: unknown, path: readonly Key[], repaired: SpecPath[]): boolean {
  const parent = parentOf(root, path);
  const key = path[path.length - 1];
  // A list item cannot go without shifting every later index (and every path the user sees).
  if (!parent || Array.isArray(parent) || key === undefined || !Object.hasOwn(parent, key)) return false;
  delete (parent as Record<Key, unknown>)[key];
  repaired.push(path.slice(0, -1));
  return true;
}
