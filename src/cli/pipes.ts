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

/** Installs error listeners on stdout and stderr (once, from the executable). */
export function guardStandardStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') standardStreamClosed = true;
      // Any other error of a standard stream is a failure, but not worth a stack trace.
      if (!isClosedPipe(err) && !process.exitCode) process.exitCode = EXIT.runtime;
    });
  }
}
