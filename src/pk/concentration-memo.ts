/**
 * concentration() at the visit days of a model, for a twin's several arms and effect
 * compartments, reusing what they share:
 * - per lane (a response: the central concentration, or one biomarker's effect compartment),
 *   the sum over doses per unit dose at each visit, which does not depend on the dose: the drug
 *   arms of a twin that give their doses on the same days share it;
 * - per term, the factors exp(-r t_last) and sum_{n<m} exp(-r n tau), which depend only on the
 *   rate r, the interval tau, the number m of doses given and the time t_last since the latest:
 *   an effect-compartment response keeps the rates of the response it delays.
 *
 * Every value has the same bits as concentration(): a stored value is reused only when its
 * full key matches (the response object, and the numbers the value is computed from), and each
 * is evaluated with the same expressions in the same order (test/pk/concentration-memo.test.ts).
 * Slots and lanes decide what is reused, never a value.
 */
import { concentration, type Regimen } from './dosing.js';
import type { ExpSum } from './exp-sum.js';

export class ConcentrationMemo {
  /** Per slot: exp(-r tLast) for the last (r, tLast). */
  private readonly decayR: Float64Array;
  private readonly decayT: Float64Array;
  private readonly decay: Float64Array;
  /** Per slot: expm1(-r tau) for the last (r, tau). */
  private readonly denR: Float64Array;
  private readonly denTau: Float64Array;
  private readonly den: Float64Array;
  /** Per (slot, visit): the geometric series for the last (r, tau, m). */
  private readonly geoR: Float64Array;
  private readonly geoTau: Float64Array;
  private readonly geoM: Float64Array;
  private readonly geo: Float64Array;
  /** Per lane: the key of its values (response, regimen timing, doses given; dose too when direct). */
  private readonly laneUnit: (ExpSum | undefined)[];
  private readonly laneStart: Float64Array;
  private readonly laneInterval: Float64Array;
  private readonly laneCount: Float64Array;
  private readonly laneDose: Float64Array;
  /** 1: values are concentrations (infusions); 0: sums per unit dose. */
  private readonly direct: Uint8Array;
  /** Per (lane, visit): no dose given before the visit (concentration 0). */
  private readonly none: Uint8Array;
  private readonly sums: Float64Array;

  /**
   * @param days the visit days
   * @param slots terms tracked at once
   * @param lanes responses tracked at once
   */
  constructor(
    readonly days: readonly number[],
    readonly slots: number,
    readonly lanes: number,
  ) {
    const nv = days.length;
    this.decayR = new Float64Array(slots).fill(NaN);
    this.decayT = new Float64Array(slots);
    this.decay = new Float64Array(slots);
    this.denR = new Float64Array(slots).fill(NaN);
    this.denTau = new Float64Array(slots);
    this.den = new Float64Array(slots);
    this.geoR = new Float64Array(slots * nv).fill(NaN);
    this.geoTau = new Float64Array(slots * nv);
    this.geoM = new Float64Array(slots * nv);
    this.geo = new Float64Array(slots * nv);
    this.laneUnit = new Array<ExpSum | undefined>(lanes).fill(undefined);
    this.laneStart = new Float64Array(lanes);
    this.laneInterval = new Float64Array(lanes);
    this.laneCount = new Float64Array(lanes);
    this.laneDose = new Float64Array(lanes);
    this.direct = new Uint8Array(lanes);
    this.none = new Uint8Array(lanes * nv);
    this.sums = new Float64Array(lanes * nv);
  }

  /**
   * Makes value(lane, reg.dose, v) equal concentration(unit, { ...reg, count }, days[v]) at
   * every visit v. Term i of `unit` keeps its factors in slot slotOf[i].
   */
  prepare(lane: number, unit: ExpSum, slotOf: ArrayLike<number>, reg: Regimen, count: number): void {
    const instant = reg.input.kind === 'instant';
    if (
      this.laneUnit[lane] === unit &&
      this.laneStart[lane] === reg.start &&
      this.laneInterval[lane] === reg.interval &&
      this.laneCount[lane] === count &&
      this.direct[lane] === (instant ? 0 : 1) &&
      (instant || this.laneDose[lane] === reg.dose)
    )
      return;
    // Marked stale until filled (an exception part-way must not leave a valid-looking key).
    this.laneUnit[lane] = undefined;
    const nv = this.days.length;
    const base = lane * nv;
    if (!instant) {
      const given = count === reg.count ? reg : { ...reg, count };
      for (let v = 0; v < nv; v++) {
        this.none[base + v] = 0;
        this.sums[base + v] = concentration(unit, given, this.days[v]!);
      }
    } else {
      for (let v = 0; v < nv; v++) this.fillInstant(base + v, unit, slotOf, reg, count, this.days[v]!, v);
    }
    this.laneUnit[lane] = unit;
    this.laneStart[lane] = reg.start;
    this.laneInterval[lane] = reg.interval;
    this.laneCount[lane] = count;
    this.laneDose[lane] = reg.dose;
    this.direct[lane] = instant ? 0 : 1;
  }

  /** The concentration at visit v of the lane's last prepare(); `dose` is that regimen's dose. */
  value(lane: number, dose: number, v: number): number {
    const j = lane * this.days.length + v;
    if (this.direct[lane]) return this.sums[j]!;
    return this.none[j] ? 0 : dose * this.sums[j]!;
  }

  /** As concentration() and sumOverDoses() in dosing.ts, for an instant input, without the dose. */
  private fillInstant(j: number, unit: ExpSum, slotOf: ArrayLike<number>, reg: Regimen, count: number, t: number, visit: number): void {
    const since = t - reg.start;
    if (since <= 0) {
      this.none[j] = 1;
      return;
    }
    const m = Math.min(count, Math.ceil(since / reg.interval - 1e-12));
    if (m <= 0) {
      this.none[j] = 1;
      return;
    }
    const tau = reg.interval;
    const tLast = since - (m - 1) * tau;
    let s = 0;
    for (let i = 0; i < unit.rate.length; i++) {
      const r = unit.rate[i]!;
      const c = unit.coef[i]!;
      const k = slotOf[i]!;
      let e: number;
      if (this.decayR[k] === r && this.decayT[k] === tLast) e = this.decay[k]!;
      else {
        e = Math.exp(-r * tLast);
        this.decayR[k] = r;
        this.decayT[k] = tLast;
        this.decay[k] = e;
      }
      const g = k * this.days.length + visit;
      let geo: number;
      if (this.geoR[g] === r && this.geoTau[g] === tau && this.geoM[g] === m) geo = this.geo[g]!;
      else {
        geo = this.geometric(k, r, tau, m);
        this.geoR[g] = r;
        this.geoTau[g] = tau;
        this.geoM[g] = m;
        this.geo[g] = geo;
      }
      s += c * e * geo;
    }
    this.none[j] = 0;
    this.sums[j] = s;
  }

  /** geometric() of dosing.ts: sum_{n=0}^{m-1} exp(-r n tau), with expm1(-r tau) kept per slot. */
  private geometric(k: number, r: number, tau: number, m: number): number {
    let den: number;
    if (this.denR[k] === r && this.denTau[k] === tau) den = this.den[k]!;
    else {
      den = Math.expm1(-r * tau);
      this.denR[k] = r;
      this.denTau[k] = tau;
      this.den[k] = den;
    }
    if (m === Infinity) return -1 / den;
    if (r * tau === 0) return m;
    return Math.expm1(-r * m * tau) / den;
  }
}
