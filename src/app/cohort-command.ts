/**
 * `vtrial cohort`: generates N twins of a cohort and streams them to CSV or JSON Lines,
 * optionally screening each against a protocol's criteria.
 */
import type { Value } from '../expr/compile.js';
import { generateTwin } from '../cohort/generate-twin.js';
import { openAtomicFile, prepareOutputFile } from '../io/atomic-file.js';
import { loadCohort, loadProtocol } from '../io/load-specs.js';
import { TableWriter, type RowSink, type TableFormat } from '../io/table-writer.js';
import { ScreeningTally, screenTwin, type ScreeningFlow } from '../screening/screening-tally.js';

export interface CohortCommandOptions {
  cohortFile: string;
  n: number;
  seed: number;
  replicate: number;
  /** A file path, or "-" for standard output. */
  out: string;
  format: TableFormat;
  protocolFile?: string;
  /** Replace an existing output file (never one of the command's inputs). */
  force?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface CohortCommandResult {
  cohort: string;
  twins: number;
  seed: number;
  replicate: number;
  out: string;
  format: TableFormat;
  columns: string[];
  screening?: ScreeningFlow & { protocol: string };
}

/** Twins generated between progress reports and turns of the event loop. */
const YIELD_EVERY = 1000;

export async function cohortCommand(o: CohortCommandOptions): Promise<CohortCommandResult> {
  // Load and check every input before any output exists.
  const protocol = o.protocolFile ? loadProtocol(o.protocolFile, o.cohortFile) : undefined;
  const cohort = protocol?.cohort ?? loadCohort(o.cohortFile);
  const model = cohort.model;
  const criteria = protocol?.criteria ?? [];
  const columns = ['twin', ...model.columns.map((c) => c.name)];
  if (protocol) columns.push('eligible', 'first_failed', 'enrolled', ...criteria.map((c) => `fails_${c.id}`));

  if (o.out !== '-') prepareOutputFile(o.out, Boolean(o.force), [o.cohortFile, cohort.file, ...cohort.inputs.map((i) => i.file), ...(protocol ? [protocol.file] : [])]);
  const file = o.out === '-' ? null : openAtomicFile(o.out);
  const sink: RowSink = file ?? { write: (chunk) => writeStdout(chunk) };
  const writer = new TableWriter(sink, o.format, columns);
  const tally = protocol ? new ScreeningTally(criteria, protocol.spec.enrolment.target, null) : null;
  try {
    for (let patient = 0; patient < o.n; patient++) {
      const row = generateTwin(model, { seed: o.seed, replicate: o.replicate, patient });
      const values: Value[] = [patient + 1, ...model.columns.map((c) => row[c.name]!)];
      if (tally) {
        const s = screenTwin(criteria, row, { replicate: o.replicate, patient });
        const enrolled = tally.add(s);
        values.push(s.firstFailed < 0, s.firstFailed < 0 ? '' : criteria[s.firstFailed]!.id, enrolled, ...s.fails.map((f) => (f ? 1 : 0)));
      }
      await writer.add(values);
      if ((patient + 1) % YIELD_EVERY === 0) {
        o.onProgress?.(patient + 1, o.n);
        // Let timers and signals (SIGINT, SIGTERM, a closed pipe) through between chunks of work.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    await writer.flush();
    await file?.commit();
  } catch (err) {
    file?.abort();
    throw err;
  }
  return {
    cohort: cohort.file,
    twins: o.n,
    seed: o.seed,
    replicate: o.replicate,
    out: o.out,
    format: o.format,
    columns,
    screening: tally && protocol ? { protocol: protocol.file, ...tally.flow() } : undefined,
  };
}

function writeStdout(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}
