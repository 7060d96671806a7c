/**
 * The analysis methods, by the name a protocol's plan uses. Adding a method: write its entry
 * (a file in this folder: endpoint type, measure, scale, whether it adjusts, docs, compare,
 * truth), its statistic under src/stats/ with a test against R, and add it here. The schema,
 * the plan checker, the default plan, efficacy, the replicate summary and the README's table
 * all read this map.
 */
import type { AnalysisMethod, EndpointKind } from './method.js';
import { ancovaMethod } from './ancova.js';
import { welchTTestMethod } from './welch-t-test.js';
import { pooledTTestMethod } from './pooled-t-test.js';
import { mmrmMethod } from './mmrm.js';
import { miMethod } from './mi.js';
import { chisqMethod } from './chisq.js';
import { fisherMethod } from './fisher.js';
import { logisticMethod } from './logistic.js';
import { coxMethod } from './cox.js';
import { logrankMethod } from './logrank.js';

/** In the order help and docs list them; the first of each endpoint type is its default. */
const ENTRIES = [ancovaMethod, welchTTestMethod, pooledTTestMethod, mmrmMethod, miMethod, chisqMethod, fisherMethod, logisticMethod, coxMethod, logrankMethod] as const;

export type MethodName = (typeof ENTRIES)[number]['id'];

export const ANALYSIS_METHODS: ReadonlyMap<string, AnalysisMethod> = new Map(ENTRIES.map((m) => [m.id, m]));

/** Every method name, for the schema's enum. */
export const METHOD_NAMES = ENTRIES.map((m) => m.id) as [MethodName, ...MethodName[]];

/** Every confidence-interval choice some method offers (`ci:` in the plan), for the schema's enum. */
export const CI_NAMES = [...new Set(ENTRIES.flatMap((m) => m.cis ?? []))] as [string, ...string[]];

/** The method of a name the schema accepted. */
export function analysisMethod(name: string): AnalysisMethod {
  const m = ANALYSIS_METHODS.get(name);
  if (!m) throw new Error(`analysis method ${name} is not in the registry`);
  return m;
}

/** The methods that apply to an endpoint type, in registry order. */
export const methodsFor = (kind: EndpointKind): AnalysisMethod[] => ENTRIES.filter((m) => m.endpoint === kind);

/** The default method of an endpoint type (the plan without an analysis section uses it). */
export const defaultMethod = (kind: EndpointKind): AnalysisMethod => methodsFor(kind)[0]!;
