/**
 * Direct Emax and sigmoid Emax (Hill) models: E = Emax * X^h / (EC50^h + X^h).
 * With h = 1 this is the hyperbolic Emax model.
 *
 * @example emaxEffect(10, -1.5, 10, 1) // -0.75: half the maximal effect at X = EC50
 */
export function emaxEffect(x: number, emax: number, ec50: number, hill: number): number {
  if (x <= 0) return 0;
  const xh = hill === 1 ? x : x ** hill;
  const ch = hill === 1 ? ec50 : ec50 ** hill;
  return (emax * xh) / (ch + xh);
}

/** Fraction of a first-order onset reached t days after its start: 1 - 2^(-t / half-life). */
export function onsetFraction(t: number, halfLife: number | undefined): number {
  if (halfLife === undefined) return t >= 0 ? 1 : 0;
  return t <= 0 ? 0 : -Math.expm1((-Math.LN2 * t) / halfLife);
}
