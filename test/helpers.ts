/** Test helpers: in-memory specs, sample moments, Monte Carlo tolerances. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileCohort } from '../src/cohort/compile-cohort.js';
import type { CohortModel, Row } from '../src/cohort/cohort-model.js';
import { generateTwin } from '../src/cohort/generate-twin.js';
import { checkCohortShape } from '../src/spec/validate-cohort.js';
import type { SpecIssue } from '../src/spec/spec-error.js';

/** Compiles a cohort written as YAML text; throws with the issues if it is invalid. */
export function cohortModel(yamlText: string): CohortModel {
  const r = cohortIssues(yamlText);
  if (r.model) return r.model;
  throw new Error(r.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
}

export function cohortIssues(yamlText: string): { model?: CohortModel; issues: SpecIssue[] } {
  const shape = checkCohortShape(parse(yamlText));
  if (!shape.partial) return { issues: shape.issues };
  const c = compileCohort(shape.partial, undefined, shape.broken);
  const issues = [...shape.issues, ...(c.ok ? [] : c.issues)];
  return issues.length === 0 && c.ok ? { model: c.model, issues } : { issues };
}

export function twins(model: CohortModel, n: number, seed = 1, replicate = 0): Row[] {
  return Array.from({ length: n }, (_, patient) => generateTwin(model, { seed, replicate, patient }));
}

export function column(rows: Row[], name: string): number[] {
  return rows.map((r) => r[name] as number);
}

export function moments(xs: readonly number[]): { mean: number; variance: number; m4: number } {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  let m2 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = (x - mean) ** 2;
    m2 += d;
    m4 += d * d;
  }
  return { mean, variance: m2 / (n - 1), m4: m4 / n };
}

/** Asserts sample mean and variance lie within `k` standard errors of the truth. */
export function expectMoments(xs: readonly number[], mean: number, variance: number, k = 5): void {
  const n = xs.length;
  const m = moments(xs);
  const seMean = Math.sqrt(variance / n);
  const seVar = Math.sqrt(Math.max(m.m4 - m.variance ** 2, 1e-300) / n);
  if (Math.abs(m.mean - mean) > k * seMean) throw new Error(`mean ${m.mean} differs from ${mean} by more than ${k} SE (${seMean})`);
  if (Math.abs(m.variance - variance) > k * seVar) throw new Error(`variance ${m.variance} differs from ${variance} by more than ${k} SE (${seVar})`);
}

export function tempDir(prefix = 'vtrial-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
