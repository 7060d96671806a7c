/**
 * In-place lower Cholesky factor L (A = L L') of a symmetric positive-definite n×n row-major
 * matrix; the upper triangle is zeroed. False when A is not positive definite.
 *
 * @example choleskyLower(new Float64Array([4, 2, 2, 5]), 2) leaves [2, 0, 1, 2]
 */
export function choleskyLower(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j]!;
    for (let k = 0; k < j; k++) s -= a[j * n + k]! ** 2;
    if (!(s > 0)) return false;
    const d = Math.sqrt(s);
    a[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j]!;
      for (let k = 0; k < j; k++) t -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = t / d;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
  return true;
}
