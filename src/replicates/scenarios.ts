/**
 * Scenarios: named variants of a protocol for replicate runs. Every protocol has the implicit
 * scenario "base" (as written); `no_effect: true` removes every efficacy effect of the active arms
 * (drug effects on biomarkers, hazard ratios and exposure effects on events), so rejections
 * estimate the type I error; `set` overrides values by dotted path, e.g.
 * `biomarkers.hba1c.drug_effect.emax: -1.0` or `endpoints.2.hazard_ratio.pd1_chemo: 0.8`.
 * The overridden protocol is checked by the same schema and compilation as the protocol itself
 * (src/io/load-specs.ts); its problems are reported at the `set` entry that caused them.
 * All scenarios use the same random streams (common random numbers), so they differ only by
 * what the scenario changes.
 */
import type { ProtocolSpec } from '../spec/protocol-schema.js';
import { formatPath, type SpecIssue, type SpecPath } from '../spec/spec-error.js';

export interface ScenarioSpec {
  name: string;
  description?: string;
  no_effect: boolean;
  set: Record<string, number | string | boolean>;
}

export const BASE_SCENARIO: ScenarioSpec = { name: 'base', description: 'the protocol as written', no_effect: false, set: {} };

export function scenariosOf(spec: ProtocolSpec): ScenarioSpec[] {
  return [BASE_SCENARIO, ...spec.scenarios];
}

// Only __proto__ reaches an object's prototype (walks use own properties); 'length' of a list is refused as
// a list index that is not a number, and names such as 'constructor' or 'length' are legal ids.
const NOT_DATA = new Set(['__proto__']);
/** Sections a scenario cannot override. */
const NOT_OVERRIDABLE = new Set(['scenarios', 'kind']);

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A dotted path as keys (digits are list indices). */
export function setPathKeys(path: string): (string | number)[] {
  // Only canonical indexes (0, 1, 12; no leading zeros) are list positions: "01" stays text.
  return path.split('.').map((k) => (/^(0|[1-9]\d*)$/.test(k) ? Number(k) : k));
}

/**
 * The protocol (as shape-checked, with defaults) under a scenario, as unchecked data for the
 * protocol schema, and the issues of `set` paths that name no overridable value (not applied).
 * @param index the scenario's index in the protocol's `scenarios` list
 */
export function applyScenario(spec: ProtocolSpec, scenario: ScenarioSpec, index: number): { data: Record<string, unknown>; issues: SpecIssue[] } {
  const out = structuredClone({ ...spec, scenarios: [] }) as Record<string, unknown>;
  if (scenario.no_effect) {
    const s = out as unknown as ProtocolSpec;
    for (const b of Object.values(s.biomarkers)) delete b.drug_effect;
    for (const e of s.endpoints) {
      if (e.type === 'time_to_event') {
        e.hazard_ratio = {};
        delete e.exposure;
      }
    }
  }
  const issues: SpecIssue[] = [];
  const at = (path: string): SpecPath => ['scenarios', index, 'set', path];
  for (const [path, value] of Object.entries(scenario.set)) {
    const keys = setPathKeys(path);
    const padded = keys.find((k) => typeof k === 'string' && /^\d+$/.test(k));
    if (padded !== undefined) {
      issues.push({ path: at(path), message: `"${path}" is not an overridable path: "${padded}" is not a list index (write ${Number(padded)}, without leading zeros)`, atKey: true });
      continue;
    }
    const bad = keys.find((k) => k === '' || NOT_DATA.has(String(k)));
    if (bad !== undefined) {
      issues.push({ path: at(path), message: bad === '' ? `"${path}" is not a dotted path (an empty part)` : `"${path}" is not an overridable path: "${bad}" names no protocol value`, atKey: true });
      continue;
    }
    if (NOT_OVERRIDABLE.has(String(keys[0]))) {
      issues.push({ path: at(path), message: `"${keys[0]}" cannot be overridden by a scenario`, atKey: true });
      continue;
    }
    let node: unknown = out;
    let i = 0;
    let next: unknown;
    for (; i < keys.length - 1; i++) {
      next = childOf(node, keys[i]!);
      if (next === undefined || next === null || typeof next !== 'object') break;
      node = next;
    }
    const last = keys[keys.length - 1]!;
    if (i < keys.length - 1) {
      const stop = formatPath(keys.slice(0, i + 1));
      const message = next === undefined || next === null
        ? `no value at "${stop}" in the protocol: a scenario overrides values inside sections the protocol has`
        : `"${stop}" is a value (${JSON.stringify(next)}), not a section with "${formatPath(keys.slice(i + 1))}"`;
      issues.push({ path: at(path), message, atKey: true });
      continue;
    }
    if (Array.isArray(node)) {
      if (typeof last !== 'number' || last >= node.length) {
        issues.push({ path: at(path), message: `"${path}": ${formatPath(keys.slice(0, -1))} is a list of ${node.length}; expected an index 0 to ${node.length - 1}`, atKey: true });
        continue;
      }
      node[last] = value;
    } else if (isPlainObject(node)) {
      // A key the protocol's schema does not know is reported by the schema check that follows.
      node[String(last)] = value;
    } else {
      issues.push({ path: at(path), message: `no value at "${path}" in the protocol to override`, atKey: true });
    }
  }
  return { data: out, issues };
}

function childOf(node: unknown, key: string | number): unknown {
  if (Array.isArray(node)) return typeof key === 'number' ? node[key] : undefined;
  if (isPlainObject(node)) return Object.hasOwn(node, String(key)) ? node[String(key)] : undefined;
  return undefined;
}

const isPrefix = (prefix: readonly (string | number)[], path: SpecPath): boolean => prefix.length <= path.length && prefix.every((k, i) => String(k) === String(path[i]));

/**
 * Moves the problems of a scenario's protocol to the scenario entry of the protocol file: an
 * issue at (or inside) an overridden value points at its `set` entry; any other issue (a
 * consequence elsewhere, e.g. an analysis naming a removed endpoint) at the scenario's `set`.
 */
export function scenarioIssues(issues: readonly SpecIssue[], scenario: ScenarioSpec, index: number): SpecIssue[] {
  const sets = Object.keys(scenario.set).map((p) => ({ p, keys: setPathKeys(p) }));
  return issues.map((issue) => {
    const own = sets.filter((s) => isPrefix(s.keys, issue.path)).sort((a, b) => b.keys.length - a.keys.length)[0];
    if (own) {
      const inner = issue.path.slice(own.keys.length);
      return { path: ['scenarios', index, 'set', own.p], message: `in scenario ${scenario.name}: ${inner.length ? `${formatPath(inner)}: ` : ''}${issue.message}` };
    }
    const where: SpecPath = sets.length ? ['scenarios', index, 'set'] : ['scenarios', index];
    return { path: where, message: `in scenario ${scenario.name}: ${formatPath(issue.path)}: ${issue.message}` };
  });
}
