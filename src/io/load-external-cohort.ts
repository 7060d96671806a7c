/** Loads the cohort of external control twins and compiles the enrolment criteria against it. */
import { dirname, relative, resolve } from 'node:path';
import { loadCohort } from './load-specs.js';
import { compileCriteria } from '../screening/criteria.js';
import type { EnrolmentSpec } from '../spec/protocol-schema.js';
import { SpecError } from '../spec/spec-error.js';
import type { ExternalCohort } from '../trial/simulate-trial.js';
import type { TrialModel } from '../trial/trial-model.js';

const cache = new Map<string, ExternalCohort>();

export function loadExternalCohort(protocolFile: string, model: TrialModel, enrolment: EnrolmentSpec): ExternalCohort | undefined {
  const ext = model.externalControl;
  if (!ext) return undefined;
  const file = relative(process.cwd(), resolve(dirname(protocolFile), ext.cohortFile)) || ext.cohortFile;
  const hit = cache.get(file);
  if (hit) return hit;
  const cohort = loadCohort(file);
  const criteria = compileCriteria(enrolment, cohort.model.scope);
  if (!criteria.ok) throw new SpecError(protocolFile, criteria.issues.map((i) => ({ ...i, message: `${i.message} (against the external cohort ${file})` })));
  const out = { cohort: cohort.model, criteria: criteria.criteria };
  cache.set(file, out);
  return out;
}
