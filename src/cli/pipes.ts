/**
 * Closed pipes: `vtrial ... | head` closes our standard output early. Writing to it then fails
 * with EPIPE (Node ignores SIGPIPE), which unhandled would end the process with a stack trace.
 * vtrial stops writing and exits quietly with code 0, as `yes | head` leaves no message either:
 * the reader chose to stop reading, and its own exit code reports any failure of its own.
 */
import { EXIT } from './exit-codes.js';

let standardStreamClosed = false;

/**
 * Whether `err` is a reader closing our standard output or error early. Only those count: a
 * closed pipe of any other stream (a FIFO given as --out) is a failure like any other.
 */
export function isClosedPipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== 'EPIPE' && code !== 'ERR_STREAM_DESTROYED') return false;
  // A failed write destroys the stream at once; its 'error' event (the flag) may come a tick later.
  return standardStreamClosed || process.stdout.destroyed || process.stderr.destroyed;
}

let stdoutFailure: string | undefined;

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EBADF: 'bad file descriptor',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/** The one line that says standard output could not be written: "ENOSPC (no space left on device)". */
export function stdoutFailureMessage(err: unknown): string {
  const e = err as NodeJS.ErrnoException | null;
  const code = e?.code;
  const what = code && ERRNO_TEXT[code] ? `${code} (${ERRNO_TEXT[code]})` : code ? `${code} (${e?.message ?? ''})` : String(e?.message ?? err);
  return `cannot write the report to standard output: ${what}`;
}

/**
 * Whether `err` is a failed write to standard output (other than a closed pipe): then the
 * message is stdoutFailureMessage's, said once whether the listener or reportError sees it first.
 */
export function isStdoutFailure(err: unknown): boolean {
  const e = err as NodeJS.ErrnoException | null;
  return stdoutFailure !== undefined || (e?.syscall === 'write' && Boolean(process.stdout.errored ?? process.stdout.destroyed));
}

/** Reports a standard-output failure once (later calls say nothing). */
export function reportStdoutFailure(err: unknown, writeLine: (s: string) => void = (s) => process.stderr.write(`${s}\n`)): void {
  if (stdoutFailure !== undefined) return;
  stdoutFailure = stdoutFailureMessage(err);
  writeLine(`vtrial: ${stdoutFailure}`);
}

/**
 * Installs error listeners on stdout and stderr (once, from the executable). A closed pipe is
 * quiet (exit 0); any other failure of standard output (a full disk, /dev/full) is one line on
 * standard error and exit code 1: the report was not delivered. A failing standard error can
 * only set the exit code.
 */
export function guardStandardStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') standardStreamClosed = true;
      if (isClosedPipe(err)) return;
      process.exitCode = EXIT.runtime;
      if (stream === process.stdout) reportStdoutFailure(err);
    });
  }
}

/** The exit code once the command returned `code`: a standard-stream failure reported meanwhile wins over success. */
export function finalExitCode(code: number): number {
  return code === EXIT.ok && process.exitCode === EXIT.runtime ? EXIT.runtime : code;
}
