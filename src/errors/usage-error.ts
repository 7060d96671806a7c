/** Bad command-line usage, or an output that may not be written (exit code 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}
