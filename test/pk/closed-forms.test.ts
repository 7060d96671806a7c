import { describe, expect, it } from 'vitest';
import { concentration, steadyState, type Regimen } from '../../src/pk/dosing.js';
import { convolveFirstOrder, oneCompartment, twoCompartment, type ExpSum } from '../../src/pk/exp-sum.js';
import { steadyStateExposure } from '../../src/pk/exposure.js';

/**
 * An independent check: integrate the compartmental ODEs with classical RK4, piecewise between
 * dosing events (bolus jumps, infusion starts and stops), and compare with the closed forms.
 *   gut:        dAg/dt = -ka Ag
 *   central:    dA1/dt = ka Ag + R(t) - (k10 + k12) A1 + k21 A2
 *   peripheral: dA2/dt = k12 A1 - k21 A2
 */
interface Model {
  cl: number;
  v1: number;
  q?: number;
  v2?: number;
  ka?: number;
}
type Route = 'bolus' | 'infusion' | 'oral';

function integrate(m: Model, route: Route, reg: Regimen, tEnd: number, h = 0.002): number {
  const k10 = m.cl / m.v1;
  const k12 = m.q ? m.q / m.v1 : 0;
  const k21 = m.q ? m.q / m.v2! : 0;
  const ka = m.ka ?? 0;
  const T = reg.input.kind === 'infusion' ? reg.input.duration : 0;
  let y = [0, 0, 0]; // gut, central, peripheral
  const deriv = (s: number[], rate: number) => [-ka * s[0]!, ka * s[0]! + rate - (k10 + k12) * s[1]! + k21 * s[2]!, k12 * s[1]! - k21 * s[2]!];
  // Event times: dose starts (and infusion ends) up to tEnd.
  const events: number[] = [];
  for (let n = 0; n < reg.count && reg.start + n * reg.interval < tEnd; n++) {
    events.push(reg.start + n * reg.interval);
    if (T > 0) events.push(reg.start + n * reg.interval + T);
  }
  events.push(tEnd);
  let t = 0;
  for (const ev of [...new Set(events)].filter((e) => e <= tEnd).sort((a, b) => a - b)) {
    const rate = (u: number) => {
      if (T === 0) return 0;
      const n = Math.floor((u - reg.start) / reg.interval);
      return n >= 0 && n < reg.count && u - reg.start - n * reg.interval < T ? reg.dose / T : 0;
    };
    const steps = Math.max(1, Math.ceil((ev - t) / h));
    const dt = (ev - t) / steps;
    const r = rate(t + dt / 2); // constant on the segment
    for (let i = 0; i < steps; i++) {
      const k1 = deriv(y, r);
      const k2 = deriv(y.map((v, j) => v + (dt / 2) * k1[j]!), r);
      const k3 = deriv(y.map((v, j) => v + (dt / 2) * k2[j]!), r);
      const k4 = deriv(y.map((v, j) => v + dt * k3[j]!), r);
      y = y.map((v, j) => v + (dt / 6) * (k1[j]! + 2 * k2[j]! + 2 * k3[j]! + k4[j]!));
    }
    t = ev;
    if (ev < tEnd && Math.abs(((ev - reg.start) / reg.interval) % 1) < 1e-9 && T === 0) {
      if (route === 'oral') y[0]! += reg.dose;
      else y[1]! += reg.dose;
    }
  }
  return y[1]! / m.v1;
}

function unitResponse(m: Model, route: Route): ExpSum {
  const base = m.q ? twoCompartment(m.cl, m.v1, m.q, m.v2!) : oneCompartment(m.cl, m.v1);
  return route === 'oral' ? convolveFirstOrder(base, m.ka!) : base;
}

const models: [string, Model][] = [
  ['one-compartment', { cl: 1.2, v1: 12.5, ka: 0.8 }],
  ['two-compartment', { cl: 3, v1: 5, q: 4, v2: 20, ka: 1.5 }],
];
const routes: [Route, Regimen['input']][] = [
  ['bolus', { kind: 'instant' }],
  ['infusion', { kind: 'infusion', duration: 0.25 }],
  ['oral', { kind: 'instant' }],
];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('PK closed forms agree with numerical integration of the ODEs (1e-6 relative)', () => {
  for (const [name, m] of models) {
    for (const [route, input] of routes) {
      it(`${name}, ${route}: multiple doses, at and between dosing times`, () => {
        const reg: Regimen = { dose: 100, start: 0, interval: 1, count: 10, input };
        const unit = unitResponse(m, route);
        for (const t of [0.1, 0.2, 0.5, 1, 2.37, 5, 9.999, 10.5, 14]) {
          expect(rel(concentration(unit, reg, t), integrate(m, route, reg, t))).toBeLessThan(1e-6);
        }
      });
      it(`${name}, ${route}: steady state equals the profile after many doses`, () => {
        const reg: Regimen = { dose: 50, start: 0, interval: 0.5, count: Infinity, input };
        const unit = unitResponse(m, route);
        const many = { ...reg, count: 400 };
        for (const u of [0.05, 0.2, 0.37, 0.5]) {
          const t = 399 * 0.5 + u; // after the 400th dose
          const ode = integrate(m, route, many, t);
          expect(rel(steadyState(unit, reg, u), ode)).toBeLessThan(1e-6);
          expect(rel(concentration(unit, many, t), ode)).toBeLessThan(1e-6);
        }
      });
    }
  }
});

describe('steady-state exposure metrics', () => {
  it('AUC over a dosing interval equals F * dose / CL and Cavg = AUC / tau; Cmax and Cmin bracket the profile', () => {
    const m = models[1]![1];
    const unit = unitResponse(m, 'oral');
    const reg: Regimen = { dose: 80, start: 0, interval: 1, count: Infinity, input: { kind: 'instant' } };
    const e = steadyStateExposure(unit, reg, 80, m.cl, false);
    // AUC by Simpson's rule over the steady-state interval.
    const n = 20000;
    let auc = 0;
    for (let j = 0; j <= n; j++) {
      const u = Math.max(j / n, 1e-12);
      const w = j === 0 || j === n ? 1 : j % 2 ? 4 : 2;
      auc += (w * steadyState(unit, reg, u)) / (3 * n);
    }
    expect(rel(e.auc_ss, auc)).toBeLessThan(1e-6);
    expect(e.auc_ss).toBeCloseTo(80 / 3, 12);
    expect(e.cavg_ss).toBeCloseTo(e.auc_ss, 12);
    let max = 0;
    for (let j = 1; j <= 100000; j++) max = Math.max(max, steadyState(unit, reg, j / 100000));
    expect(rel(e.cmax_ss, max)).toBeLessThan(1e-8);
    expect(e.cmin_ss).toBe(steadyState(unit, reg, 1));
  });
});
