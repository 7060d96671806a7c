/**
 * What the sections of sweeps and comparisons share: an analysis' label, and the plan (alpha,
 * sidedness, null scenarios) read from the run.json of a replicate run inside the directory (a
 * sweep point's, a compared protocol's), since the sweep's and comparison's own run.json do not
 * hold the resolved protocol.
 */
import type { OutputDir } from '../output-dir.js';

export interface AnalysisKey {
  endpoint: string;
  role: string;
  method: string;
  covariates: string;
  arm: string;
  control: string;
}

/** "Y pooled_t_test · active vs control (primary)"; covariates in brackets as the terminal shows them. */
export function analysisLabel(a: AnalysisKey): string {
  const method = a.covariates ? `${a.method}(${a.covariates})` : a.method;
  return `${a.endpoint} ${method} · ${a.arm} vs ${a.control}${a.role === 'primary' ? ' (primary)' : ''}`;
}

export interface Plan {
  alpha: number;
  sided: string;
  /** Names of the scenarios with no_effect: true. */
  nullScenarios: Set<string>;
}

/** The plan of the replicate run in `sub` (e.g. points/p-1234/), or null when its run.json lacks it. */
export function planOf(dir: OutputDir, sub: string): Plan | null {
  const m = dir.json(`${sub}/run.json`);
  const resolved = (m?.protocol as { resolved?: { analysis?: { alpha?: unknown; sided?: unknown }; scenarios?: unknown } } | undefined)?.resolved;
  if (!resolved) return null;
  const alpha = typeof resolved.analysis?.alpha === 'number' ? resolved.analysis.alpha : 0.05;
  const sided = typeof resolved.analysis?.sided === 'string' ? resolved.analysis.sided : 'two';
  const scenarios = Array.isArray(resolved.scenarios) ? (resolved.scenarios as { name?: unknown; no_effect?: unknown }[]) : [];
  return { alpha, sided, nullScenarios: new Set(scenarios.filter((s) => s.no_effect === true && typeof s.name === 'string').map((s) => s.name as string)) };
}

/** The CIs' nominal coverage under the plan (1 - alpha two-sided, 1 - 2 alpha one-sided). */
export const nominalCoverage = (p: Plan): number => (p.sided === 'one' ? 1 - 2 * p.alpha : 1 - p.alpha);

/** Distinct values in first-seen order. */
export const ordered = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

/** A cell value as text ("NA" for null). */
export const valueText = (v: unknown): string => (v === null || v === undefined ? 'NA' : String(v));
