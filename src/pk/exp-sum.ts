/**
 * Linear-system responses as sums of exponentials, f(t) = sum_i c_i exp(-r_i t) for t >= 0.
 *
 * The central-compartment concentration after a unit IV bolus of a 1- or 2-compartment model is
 * such a sum; first-order absorption (oral, subcutaneous) or an effect-compartment delay is a
 * convolution with k exp(-k t), which gives another sum. Multiple dosing then has closed forms.
 */
export interface ExpSum {
  readonly coef: readonly number[];
  readonly rate: readonly number[];
}

export function evaluateExpSum(f: ExpSum, t: number): number {
  if (t < 0) return 0;
  let s = 0;
  for (let i = 0; i < f.rate.length; i++) s += f.coef[i]! * Math.exp(-f.rate[i]! * t);
  return s;
}

/**
 * f convolved with a first-order transfer k exp(-k t):
 *   sum_i c_i k (exp(-r_i t) - exp(-k t)) / (k - r_i).
 * When k equals some r_i exactly the formula is 0/0; k is then moved by one part in 10^8,
 * which changes the result by about that much (far below any residual error).
 */
export function convolveFirstOrder(f: ExpSum, k: number): ExpSum {
  const n = f.rate.length;
  let kk = k;
  for (let i = 0; i < n; i++) {
    if (Math.abs(f.rate[i]! - kk) <= 1e-10 * kk) {
      kk = k * (1 + 1e-8);
      break;
    }
  }
  const coef = new Array<number>(n + 1);
  const rate = new Array<number>(n + 1);
  let last = 0;
  for (let i = 0; i < n; i++) {
    const r = f.rate[i]!;
    const a = (f.coef[i]! * kk) / (kk - r);
    coef[i] = a;
    rate[i] = r;
    last -= a;
  }
  coef[n] = last;
  rate[n] = kk;
  return { coef, rate };
}

/** Unit-bolus central concentration of a one-compartment model: exp(-k t) / V, k = CL / V. */
export function oneCompartment(cl: number, v: number): ExpSum {
  return { coef: [1 / v], rate: [cl / v] };
}

/**
 * Unit-bolus central concentration of a two-compartment model (clearance CL, central volume V1,
 * inter-compartmental clearance Q, peripheral volume V2):
 *   C(t) = [(k21 - a) e^{-a t} / (b - a) + (k21 - b) e^{-b t} / (a - b)] / V1,
 * with a, b the roots of x^2 - (k10 + k12 + k21) x + k10 k21 = 0.
 */
export function twoCompartment(cl: number, v1: number, q: number, v2: number): ExpSum {
  const k10 = cl / v1;
  const k12 = q / v1;
  const k21 = q / v2;
  const sum = k10 + k12 + k21;
  const disc = Math.sqrt(sum * sum - 4 * k10 * k21);
  const alpha = (sum + disc) / 2;
  // beta from the product of the roots: avoids cancellation when beta is small.
  const beta = (k10 * k21) / alpha;
  return { coef: [(k21 - alpha) / (v1 * (beta - alpha)), (k21 - beta) / (v1 * (alpha - beta))], rate: [alpha, beta] };
}
