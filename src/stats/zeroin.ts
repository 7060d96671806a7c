/**
 * Brent's root finder exactly as R's uniroot() runs it (R_zeroin2 in R's stats package), with
 * R's defaults: tol = .Machine$double.eps^0.25, maxiter = 1000. Where R reports a root found
 * with this loose tolerance (fisher.test's conditional MLE and CI, power.t.test's n), using
 * the same algorithm with the same tolerance reproduces R's number, not just the true root.
 *
 * @example uniroot((x) => x * x - 2, 0, 2) // about 1.41421, as R's uniroot(function(x) x^2 - 2, c(0, 2))$root
 */
export const R_UNIROOT_TOL = 2.220446049250313e-16 ** 0.25;

export function uniroot(f: (x: number) => number, lower: number, upper: number, tol = R_UNIROOT_TOL, maxiter = 1000): number {
  const fLower = f(lower);
  const fUpper = f(upper);
  if (fLower * fUpper > 0) throw new Error(`uniroot: f() values at the end points have the same sign (${fLower}, ${fUpper})`);
  return zeroin2(f, lower, upper, fLower, fUpper, tol, maxiter);
}

const EPSILON = 2.220446049250313e-16;

function zeroin2(f: (x: number) => number, ax: number, bx: number, faIn: number, fbIn: number, tol: number, maxitIn: number): number {
  let a = ax;
  let b = bx;
  let fa = faIn;
  let fb = fbIn;
  let c = a;
  let fc = fa;
  let maxit = maxitIn + 1;
  if (fa === 0) return a;
  if (fb === 0) return b;
  while (maxit--) {
    const prevStep = b - a;
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tolAct = 2 * EPSILON * Math.abs(b) + tol / 2;
    let newStep = (c - b) / 2;
    if (Math.abs(newStep) <= tolAct || fb === 0) return b;
    if (Math.abs(prevStep) >= tolAct && Math.abs(fa) > Math.abs(fb)) {
      let p: number;
      let q: number;
      const cb = c - b;
      if (a === c) {
        const t1 = fb / fa;
        p = cb * t1;
        q = 1 - t1;
      } else {
        const qq = fa / fc;
        const t1 = fb / fc;
        const t2 = fb / fa;
        p = t2 * (cb * qq * (qq - t1) - (b - a) * (t1 - 1));
        q = (qq - 1) * (t1 - 1) * (t2 - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < 0.75 * cb * q - Math.abs(tolAct * q) / 2 && p < Math.abs((prevStep * q) / 2)) newStep = p / q;
    }
    if (Math.abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
    a = b;
    fa = fb;
    b += newStep;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  return b;
}
