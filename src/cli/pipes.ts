/**
 * Closed pipes: `vtrial ... | head` closes our standard output early. Writing to it then fails
 * with EPIPE (Node ignores SIGPIPE), which unhandled would end the process with a stack trace.
 * vtrial stops writing and exits quietly with code 0, as `yes | head` leaves no message either:
 * the reader chose to stop reading, and its own exit code reports any failure of its own.
 */
import { EXIT } from '../app/errors.js';

export function isClosedPipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/** Installs error listeners on stdout and stderr (once, from the executable). */
export function guardStandardStreams(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
      // Any other error of a standard stream is a failure, but not worth a stack trace.
      if (!isClosedPipe(err) && !process.exitCode) process.exitCode = EXIT.runtime;
    });
  }
}
