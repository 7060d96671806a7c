/** `vtrial validate`: checks spec files (and what they reference) without running anything. */
import { DataError } from '../errors/data-error.js';
import { loadCohort, loadProtocol, specKind } from '../io/load-specs.js';
import { SpecError } from '../spec/spec-error.js';
import { UsageError } from '../errors/usage-error.js';
import { planSweep } from './sweep-command.js';

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
      if (kind === 'protocol') {
        const p = loadProtocol(file);
        // A sweeps: section is checked as vtrial sweep checks it: its values, and every point's protocol.
        if (Object.keys(p.spec.sweeps?.vary ?? {}).length > 0) planSweep({ protocolFile: file, vary: [], replicates: p.spec.sweeps?.replicates ?? 1, seed: 1 });
      } else loadCohort(file);
      return { file, kind, ok: true, problems: [] };
    } catch (err) {
      if (err instanceof SpecError || err instanceof DataError) return { file, kind, ok: false, problems: err.message.split('\n') };
      if (err instanceof UsageError) return { file, kind, ok: false, problems: [`${file}: sweeps: ${err.message}`] };
      throw err;
    }
  });
}
