/**
 * Writes a single output file atomically: data goes to a hidden temporary file beside the target
 * (.NAME.partial-PID), renamed over the target only when complete. A failed or interrupted run
 * (SIGINT, SIGTERM) leaves no half-written file; the partial file of a crashed run (SIGKILL) is
 * removed by the next run writing the same target.
 */
import { existsSync, readdirSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors/usage-error.js';
import { onInterrupt } from './interrupt-cleanup.js';
import { writerAlive } from './staging.js';
import { StagedFile } from './staged-file.js';

export interface AtomicFile {
  /** Writes a chunk, waiting when the stream's buffer is full (bounded memory). */
  write(chunk: string): Promise<void>;
  /** Flushes and closes the temporary file (commit does this too). */
  finish(): Promise<void>;
  /** Renames the finished temporary file over the target. */
  commit(): Promise<void>;
  abort(): void;
}

const partialName = (target: string, pid: number) => join(dirname(target), `.${basename(target)}.partial-${pid}`);

export function openAtomicFile(target: string): AtomicFile {
  const tmp = partialName(target, process.pid);
  // The undo action is registered before the file exists, so no signal can leave it behind.
  const release = onInterrupt(() => rmSync(tmp, { force: true }));
  let file: StagedFile;
  try {
    file = new StagedFile(tmp);
  } catch (err) {
    release();
    throw err;
  }
  return {
    write: (chunk) => file.write(chunk),
    finish: () => file.close(),
    async commit() {
      await file.close();
      renameSync(tmp, target);
      release();
    },
    abort() {
      file.destroy();
      rmSync(tmp, { force: true });
      release();
    },
  };
}

/** The path with links resolved (as far as it exists): a link to an input is that input. */
export function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/**
 * Checks an output file before any work: its folder exists, it is not a folder, not one of the
 * command's inputs (never, even with --force), and does not exist unless --force. Removes partial
 * files of crashed earlier runs for the same target.
 */
export function prepareOutputFile(target: string, force: boolean, inputs: readonly string[]): void {
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--out ${target}: the folder ${dir} does not exist; create it first`);
  const t = realPath(target);
  const input = inputs.find((i) => realPath(i) === t);
  if (input !== undefined) throw new UsageError(`--out ${target} is an input of this command (${input}); choose another file`);
  if (existsSync(target)) {
    const st = statSync(target);
    if (st.isDirectory()) throw new UsageError(`--out ${target} is a directory; give a file name`);
    // The result is written beside the target and renamed over it: that would replace a device
    // or a FIFO (even /dev/null) with a regular file. Standard output is `--out -`.
    if (!st.isFile()) throw new UsageError(`--out ${target} exists and is not a regular file (${fileKind(st)}); vtrial only replaces regular files: write to standard output with --out - and redirect it, or choose another file`);
    if (!force) throw new UsageError(`--out ${target} exists; choose another file or add --force to replace it`);
  }
  const prefix = `.${basename(target)}.partial-`;
  for (const name of readdirSync(dir)) {
    const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length)) : NaN;
    if (Number.isSafeInteger(pid) && pid !== process.pid && !writerAlive(pid)) rmSync(join(dir, name), { force: true });
  }
}

/** What a non-regular file is, for messages. */
export function fileKind(st: Stats): string {
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}
