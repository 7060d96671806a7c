/**
 * The interim models of a run's scenarios from its resolved protocol (run.json), for `vtrial
 * merge`: the analytic design it reports beside the simulated one is that of each scenario's
 * protocol, as the run compiled it.
 */
import { protocolSchema } from '../spec/protocol-schema.js';
import { IssueList } from '../spec/spec-error.js';
import { compileInterim, type InterimModel } from '../trial/compile-interim.js';
import { applyScenario, BASE_SCENARIO } from './scenarios.js';

export function interimModelsOf(resolved: unknown): Map<string, InterimModel> {
  const out = new Map<string, InterimModel>();
  const base = protocolSchema.safeParse(resolved);
  if (!base.success) return out;
  const spec = base.data;
  const add = (name: string, s: typeof spec) => {
    const m = compileInterim(s, s.accrual !== undefined, new IssueList());
    if (m) out.set(name, m);
  };
  add(BASE_SCENARIO.name, spec);
  spec.scenarios.forEach((sc, i) => {
    const applied = protocolSchema.safeParse(applyScenario(spec, sc, i).data);
    if (applied.success) add(sc.name, applied.data);
  });
  return out;
}
