/**
 * Runs batches of replicates in order of replicate index, in-process (one worker) or across a
 * piscina pool of worker threads, and hands each result to `onResult` strictly in that order:
 * whatever the worker count, batch size or completion order, the stream of records (and so
 * every output) is the same. Tasks are drawn lazily from an iterable and at most 2 per worker
 * are in flight, so memory does not grow with the number of replicates.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import type { CompiledRun, RunSource } from './compile-run.js';
import { toThread } from './thread-data.js';
import { runBatch, type BatchResult, type BatchTask } from './worker.js';

/** The compiled worker file (tests run the TypeScript sources, so they use dist/). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const compiled = here.endsWith('.ts') ? here.replace(/\/src\/replicates\/executor\.ts$/, '/dist/replicates/worker.js') : here.replace(/executor\.js$/, 'worker.js');
  if (!existsSync(compiled)) throw new Error(`worker file ${compiled} not found: run npm run build`);
  return compiled;
}

/** A replicate that failed at run time (a SimulationError or an unexpected error): exit code 1. */
export class ReplicateFailure extends Error {
  override name = 'ReplicateFailure';
}

export interface ExecuteOptions {
  workers: number;
  /** The run as plain data, sent to each worker thread once (workers compile it themselves). */
  source: RunSource;
  /** The same run compiled on this thread, for the in-process path. */
  run: CompiledRun;
  onResult: (result: BatchResult, task: BatchTask) => Promise<void> | void;
}

export async function executeBatches(tasks: Iterable<BatchTask>, o: ExecuteOptions): Promise<void> {
  const fail = (r: BatchResult): never => {
    const e = r.error!;
    // Every replicate failure reads "replicate N of scenario NAME: <what happened>".
    const message = `replicate ${e.replicate + 1} of scenario ${e.scenario}: ${e.message}`;
    if (e.name === 'EnrolmentShortfall' && e.flow) throw new EnrolmentShortfall(message, e.flow);
    throw new ReplicateFailure(message);
  };
  if (o.workers <= 1) {
    for (const t of tasks) {
      const r = runBatch(o.run, t);
      await o.onResult(r, t);
      if (r.error) fail(r);
      await new Promise((res) => setImmediate(res)); // let progress output and signals through
    }
    return;
  }
  // Young generation per worker: V8's default (16 MB semi-spaces). Measured after the columnar
  // analysis path (2 workers on 2 cores, one run each, CPU seconds of the process / peak RSS):
  //   design A, 10,000 replicates: 12 MB 37.5 s / 243 MB, 16 MB 38.6 / 268, 24 MB 36.5 / 261,
  //     64 MB 21.3 / 306, default 21.3 / 231 (in-process too, 4 MB semi-spaces cost A 1.8x CPU);
  //   design B, 1,000 replicates: 12 MB 18.0 / 228, 16 MB 17.7 / 254, 24 MB 17.1 / 256, 32 MB
  //     19.1 / 313, default 19.7 / 306.
  // A small young generation halves design A's speed for B's 80 MB, so V8 decides.
  // Threads start on demand, so a short run does not pay for idle workers.
  const pool = new Piscina({ filename: workerFile(), minThreads: 0, maxThreads: o.workers, idleTimeout: 1000, workerData: toThread(o.source) });
  const window = o.workers * 2;
  const inFlight: { task: BatchTask; result: Promise<BatchResult> }[] = [];
  const source = tasks[Symbol.iterator]();
  const refill = () => {
    while (inFlight.length < window) {
      const next = source.next();
      if (next.done) return;
      inFlight.push({ task: next.value, result: pool.run(next.value) });
    }
  };
  try {
    refill();
    while (inFlight.length > 0) {
      const { task, result } = inFlight.shift()!;
      const r = await result;
      refill();
      await o.onResult(r, task);
      if (r.error) fail(r);
    }
  } finally {
    // Outstanding batches are not waited for on failure.
    for (const f of inFlight) f.result.catch(() => undefined);
    await pool.destroy();
  }
}

/** Replicates [from, to) of each scenario in batches, generated one at a time (never a list of them all). */
export function* planBatches(base: Pick<BatchTask, 'keepPatients'>, scenarios: number, from: number, to: number, batchSize: number): Generator<BatchTask> {
  for (let s = 0; s < scenarios; s++) {
    for (let start = from; start < to; start += batchSize) yield { scenarioIndex: s, start, end: Math.min(to, start + batchSize), keepPatients: base.keepPatients };
  }
}
