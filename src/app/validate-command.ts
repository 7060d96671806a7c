/** `vtrial validate`: checks spec files (and what they reference) without running anything. */
import { DataError } from '../errors/data-error.js';
import { loadCohort, loadProtocol, specKind } from '../io/load-specs.js';
import { SpecError } from '../spec/spec-error.js';

export interface ValidateEntry {
  file: string;
  kind: 'cohort' | 'protocol' | 'unknown';
  ok: boolean;
  problems: string[];
}

export function validateCommand(files: readonly string[]): ValidateEntry[] {
  return files.map((file) => {
    let kind: ValidateEntry['kind'] = 'unknown';
    try {
      kind = specKind(file);
      if (kind === 'protocol') loadProtocol(file);
      else loadCohort(file);
      return { file, kind, ok: true, problems: [] };
    } catch (err) {
      if (err instanceof SpecError || err instanceof DataError) return { file, kind, ok: false, problems: err.message.split('\n') };
      throw err;
    }
  });
}
