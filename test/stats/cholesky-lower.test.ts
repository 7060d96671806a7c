import { describe, expect, it } from 'vitest';
import { choleskyLower } from '../../src/stats/cholesky-lower.js';

describe('choleskyLower', () => {
  it("factors A = L L' in place, zeroing the upper triangle (R: t(chol(matrix(c(4, 2, 2, 5), 2))) = [2 0; 1 2])", () => {
    const a = new Float64Array([4, 2, 2, 5]);
    expect(choleskyLower(a, 2)).toBe(true);
    expect([...a]).toEqual([2, 0, 1, 2]);
  });

  it('returns false for a matrix that is not positive definite', () => {
    expect(choleskyLower(new Float64Array([1, 2, 2, 1]), 2)).toBe(false);
  });
});
