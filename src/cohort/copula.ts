/**
 * Gaussian copula: checks a correlation matrix and factorises it (Cholesky, by ml-matrix) so
 * independent normal scores e become correlated scores z = L e.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';

export interface CorrelationCheck {
  /** Problems with the matrix, each with the [row, column] it concerns (if any). */
  problems: { at?: [number, number]; message: string }[];
  /** Row-major lower-triangular Cholesky factor when the matrix is valid. */
  lower?: number[][];
}

export function checkCorrelationMatrix(m: readonly (readonly number[])[], n: number): CorrelationCheck {
  const problems: CorrelationCheck['problems'] = [];
  if (m.length !== n || m.some((row) => row.length !== n)) {
    problems.push({ message: `expected a ${n} x ${n} matrix (one row and column per variable), found ${m.length} rows of lengths ${m.map((r) => r.length).join(', ')}` });
    return { problems };
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = m[i]![j]!;
      if (i === j && v !== 1) problems.push({ at: [i, j], message: `a diagonal entry must be 1, found ${v}` });
      else if (v < -1 || v > 1) problems.push({ at: [i, j], message: `a correlation must lie in [-1, 1], found ${v}` });
      else if (j > i && Math.abs(v - m[j]![i]!) > 1e-12) {
        problems.push({ at: [i, j], message: `the matrix is not symmetric: [${i}][${j}] = ${v} but [${j}][${i}] = ${m[j]![i]}` });
      }
    }
  }
  if (problems.length > 0) return { problems };
  const chol = new CholeskyDecomposition(new Matrix(m.map((r) => [...r])));
  if (!chol.isPositiveDefinite()) {
    problems.push({ message: 'the matrix is not positive definite: no population can have these correlations together (check pairs whose correlations contradict each other)' });
    return { problems };
  }
  return { problems, lower: chol.lowerTriangularMatrix.to2DArray() };
}
