/**
 * The result of a statistic that cannot be estimated from the data at hand (zero variance, no
 * events, perfect separation, sums that overflow): a reason instead of a finite but meaningless
 * number. Returned, never thrown, so only this condition becomes an NA row; a programming error
 * still surfaces as an exception.
 */
export class NotEstimable {
  readonly notEstimable = true;
  /**
   * @param estimate the point estimate where it is still exact although nothing else can be
   *   estimated (a difference in means without variance); NaN otherwise.
   */
  constructor(
    readonly reason: string,
    readonly estimate = NaN,
  ) {}
}

export const isNotEstimable = (x: unknown): x is NotEstimable => x instanceof NotEstimable;

/** The estimate, or an Error with the reason (for callers whose data guarantee an estimate). */
export function estimated<T>(x: T | NotEstimable): T {
  if (x instanceof NotEstimable) throw new Error(`not estimable: ${x.reason}`);
  return x;
}

/**
 * Throws a RangeError naming the function, the array and the first non-finite entry: statistics
 * take finite numbers only (readers reject NA and text before data reach them), and a NaN time
 * would otherwise never compare equal to itself and stall a loop.
 */
export function requireFinite(fn: string, name: string, xs: ArrayLike<number>): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (!Number.isFinite(x)) throw new RangeError(`${fn}: ${name}[${i}] is ${typeof x === 'number' ? String(x) : JSON.stringify(x)} (a finite number is required)`);
  }
}

/** Event indicators must be 0 or 1. */
export function requireBinary(fn: string, name: string, xs: ArrayLike<number>): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x !== 0 && x !== 1) throw new RangeError(`${fn}: ${name}[${i}] is ${String(x)} (0 or 1 is required)`);
  }
}

export function requireSameLength(fn: string, a: ArrayLike<unknown>, b: ArrayLike<unknown>, names: string): void {
  if (a.length !== b.length) throw new RangeError(`${fn}: ${names} differ in length (${a.length} and ${b.length})`);
}
