/**
 * Scenarios: named variants of a protocol for replicate runs. Every protocol has the implicit
 * scenario "base" (as written); `no_effect: true` removes every efficacy effect of the active arms
 * (drug effects on biomarkers, hazard ratios and exposure effects on events), so rejections
 * estimate the type I error; `set` overrides values by dotted path, e.g.
 * `biomarkers.hba1c.drug_effect.emax: -1.0` or `endpoints.2.hazard_ratio.pd1_chemo: 0.8`.
 * All scenarios use the same random streams (common random numbers), so they differ only by
 * what the scenario changes.
 */
import type { ProtocolSpec } from '../spec/protocol-schema.js';
import type { SpecIssue } from '../spec/spec-error.js';

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

/** The protocol under a scenario, or the issues with its overrides (paths under scenarios[i].set). */
export function applyScenario(spec: ProtocolSpec, scenario: ScenarioSpec, index: number): { spec: ProtocolSpec } | { issues: SpecIssue[] } {
  const out = structuredClone(spec) as ProtocolSpec;
  if (scenario.no_effect) {
    for (const b of Object.values(out.biomarkers)) delete b.drug_effect;
    for (const e of out.endpoints) {
      if (e.type === 'time_to_event') {
        e.hazard_ratio = {};
        delete e.exposure;
      }
    }
  }
  const issues: SpecIssue[] = [];
  for (const [path, value] of Object.entries(scenario.set)) {
    const keys = path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    let node: unknown = out;
    for (let i = 0; i < keys.length - 1; i++) {
      node = node !== null && typeof node === 'object' && Object.hasOwn(node, keys[i]!) ? (node as Record<string | number, unknown>)[keys[i]!] : undefined;
    }
    const last = keys[keys.length - 1]!;
    const parent = node as Record<string | number, unknown> | undefined;
    if (parent === null || typeof parent !== 'object' || !Object.hasOwn(parent, last) && !isMapOfArms(keys) || last === '__proto__') {
      issues.push({ path: ['scenarios', index, 'set', path], message: `no value at "${path}" in the protocol to override`, atKey: true });
      continue;
    }
    if (typeof parent[last] !== typeof value && parent[last] !== undefined) {
      issues.push({ path: ['scenarios', index, 'set', path], message: `expected ${typeof parent[last]} (the protocol's value is ${JSON.stringify(parent[last])}), found ${JSON.stringify(value)}` });
      continue;
    }
    parent[last] = value;
  }
  return issues.length ? { issues } : { spec: out };
}

/** hazard_ratio maps may gain an arm that had the default ratio 1. */
function isMapOfArms(keys: (string | number)[]): boolean {
  return keys.length >= 2 && keys[keys.length - 2] === 'hazard_ratio';
}
