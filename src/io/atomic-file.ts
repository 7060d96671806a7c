/**
 * Writes a file atomically: data goes to a hidden temporary file beside the target, which is
 * renamed over the target only when complete. A failed or interrupted run leaves no
 * half-written file that looks complete.
 */
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';

export interface AtomicFile {
  /** Writes a chunk, waiting when the stream's buffer is full (bounded memory). */
  write(chunk: string): Promise<void>;
  /** Flushes and closes the temporary file (commit does this too). */
  finish(): Promise<void>;
  /** Renames the finished temporary file over the target. */
  commit(): Promise<void>;
  abort(): void;
}

const live = new Set<string>();
let hooked = false;
function cleanupOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const tmp of live) rmSync(tmp, { force: true });
  });
}

export function openAtomicFile(target: string): AtomicFile {
  const tmp = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  const stream: WriteStream = createWriteStream(tmp, { encoding: 'utf8' });
  live.add(tmp);
  cleanupOnExit();
  let failed: Error | null = null;
  stream.on('error', (err) => (failed = err));
  return {
    async write(chunk) {
      if (failed) throw failed;
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async finish() {
      if (failed) throw failed;
      if (!stream.writableFinished) {
        stream.end();
        await once(stream, 'finish');
      }
      if (failed) throw failed;
    },
    async commit() {
      await this.finish();
      renameSync(tmp, target);
      live.delete(tmp);
    },
    abort() {
      stream.destroy();
      rmSync(tmp, { force: true });
      live.delete(tmp);
    },
  };
}
