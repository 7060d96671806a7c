/** A problem in a data file the user supplied (e.g. an empirical baseline CSV). Exit code 2. */
export class DataError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'DataError';
  }
}
