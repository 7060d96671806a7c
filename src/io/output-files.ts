/**
 * The registry of every file vtrial writes into an output directory, and by which command. It is
 * the one list `--force` consults: a file whose name is not here (a user's notes.txt, a user's own
 * folder) is never moved, replaced or deleted.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type OutputKind = 'run' | 'replicates' | 'merge' | 'analyze';

/** File name -> the commands that write it. */
export const OUTPUT_FILES: ReadonlyMap<string, readonly OutputKind[]> = new Map<string, OutputKind[]>([
  ['adsl.csv', ['run']],
  ['adeff.csv', ['run']],
  ['adtte.csv', ['run']],
  ['adae.csv', ['run']],
  ['adpc.csv', ['run']],
  ['counterfactual.csv', ['run']],
  ['efficacy.csv', ['run', 'analyze']],
  ['safety.csv', ['run', 'analyze']],
  ['ite.csv', ['run']],
  ['summary.json', ['run', 'replicates', 'merge', 'analyze']],
  ['replicates.csv', ['replicates', 'merge']],
  ['replicate-trials.csv', ['replicates', 'merge']],
  ['replicate-safety.csv', ['replicates', 'merge']],
  ['operating-characteristics.csv', ['replicates', 'merge']],
  ['safety-characteristics.csv', ['replicates', 'merge']],
  ['run.json', ['run', 'replicates', 'merge']],
]);

/** Every file name vtrial writes into a run directory. */
export const RUN_FILES: readonly string[] = [...OUTPUT_FILES.keys()];

/** The folder of kept replicates' patient files (`run --replicates R --keep-patients K`). */
export const PATIENTS_DIR = 'patients';

/** The completeness marker of each kind of output: written last, moved away first. */
export function markerOf(kind: OutputKind): string {
  return kind === 'analyze' ? 'summary.json' : 'run.json';
}

/**
 * The names `--force` may replace for an output of this kind: a run directory's files are all
 * replaced together (so no file of an earlier run of another mode stays beside the new run.json);
 * `analyze` replaces only its own three files.
 */
export function replaceableNames(kind: OutputKind): string[] {
  return kind === 'analyze' ? [...OUTPUT_FILES].filter(([, by]) => by.includes('analyze')).map(([f]) => f) : [...RUN_FILES];
}

const PATIENT_FILE = new RegExp(`^[^/]+/replicate-\\d{6}/(${[...OUTPUT_FILES.keys()].filter((f) => f.endsWith('.csv')).map((f) => f.replace('.', '\\.')).join('|')})$`);

/**
 * Whether a `patients/` folder has exactly the layout vtrial writes (SCENARIO/replicate-NNNNNN/
 * TABLE.csv, no links, nothing else): only then may vtrial replace it.
 */
export function isVtrialPatientsDir(dir: string): boolean {
  const walk = (d: string, rel: string, depth: number): boolean => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) return false;
      if (st.isDirectory()) {
        if (depth >= 2 || (depth === 1 && !/^replicate-\d{6}$/.test(name))) return false;
        if (!walk(p, r, depth + 1)) return false;
      } else if (!st.isFile() || !PATIENT_FILE.test(r)) return false;
    }
    return true;
  };
  try {
    return lstatSync(dir).isDirectory() && walk(dir, '', 0);
  } catch {
    return false;
  }
}

/** The --force help text: what may be replaced. */
export function forceHelp(): string {
  return `${RUN_FILES.join(', ')}, and ${PATIENTS_DIR}/ when it holds only vtrial's patient files`;
}
