/**
 * The worker task: a batch of replicates of one scenario, as plain data in and out (piscina
 * runs this compiled file in worker threads; with one worker runBatch runs in-process). A worker
 * compiles the run once, from the plain RunSource the pool hands it as workerData: it reads no
 * file. Failures come back as data naming the replicate, so the main thread can stop the run
 * with the error instead of waiting.
 */
import { workerData } from 'node:worker_threads';
import type { Table } from '../util/table.js';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import { SimulationError } from '../errors/simulation-error.js';
import type { ScreeningFlow } from '../screening/screening-tally.js';
import { compileRun, type CompiledRun, type RunSource } from './compile-run.js';
import { fromThread, type ThreadData } from './thread-data.js';
import { runReplicate, type ReplicateRecord } from './replicate.js';

export interface BatchTask {
  scenarioIndex: number;
  /** Replicates [start, end). */
  start: number;
  end: number;
  /** Replicates below this index also return their ADaM tables. */
  keepPatients: number;
  /** Also each record's spread of individual effects (ReplicateRecord.ite). */
  individualEffects?: boolean;
}

export interface BatchResult {
  records: ReplicateRecord[];
  patients: { replicate: number; tables: Table[] }[];
  /** The failed replicate, its scenario's name, and a message that names neither (the executor adds them). */
  error?: { replicate: number; scenario: string; name: string; message: string; flow?: ScreeningFlow };
}

export function runBatch(run: CompiledRun, task: BatchTask): BatchResult {
  const out: BatchResult = { records: [], patients: [] };
  for (let r = task.start; r < task.end; r++) {
    try {
      const { record, tables } = runReplicate(run, task.scenarioIndex, r, r < task.keepPatients, task.individualEffects === true);
      out.records.push(record);
      if (tables) out.patients.push({ replicate: r, tables });
    } catch (err) {
      const e = err as Error;
      const scenario = run.scenarios[task.scenarioIndex]?.spec.name ?? `#${task.scenarioIndex}`;
      out.error = { replicate: r, scenario, name: e.name, message: withoutReplicate(err), flow: err instanceof EnrolmentShortfall ? err.flow : undefined };
      break;
    }
  }
  return out;
}

/** The error's message without the replicate (and scenario) it names, which the executor puts first. */
function withoutReplicate(err: unknown): string {
  if (err instanceof SimulationError && err.twin) {
    const bare = new SimulationError(err.model, err.parameter, err.detail).message;
    return `${err.model === 'cohort' ? 'generating' : 'simulating'} twin ${err.twin.usubjid}: ${bare}`;
  }
  const message = (err as Error)?.message ?? String(err);
  return message.replace(/^replicate \d+ of scenario [^:]*: /, '');
}

/** This thread's run, compiled at its first task (a pool's workers all run the same one). */
let compiled: CompiledRun | undefined;

/** The worker thread's entry point (workerData is the pool's ThreadData<RunSource>). */
export default function runWorkerBatch(task: BatchTask): BatchResult {
  compiled ??= compileRun(fromThread(workerData as ThreadData<RunSource>));
  return runBatch(compiled, task);
}
