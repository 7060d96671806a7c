/**
 * A delta-adjusted tipping-point analysis (mi's `tipping_point`): per delta, the pooled result
 * of the same imputations with delta added to the active arm's imputed values, judged as the
 * item's own test (its alpha and sidedness, before multiplicity adjustment), and the tipping
 * delta, where significance is first lost along the deltas in their order.
 *
 * Significant at a delta: the CI at the item's level (1 − alpha two-sided, 1 − 2 alpha one-sided)
 * lies wholly on the favourable side of 0, the side of `direction` (decrease: below 0), or
 * without a direction (two-sided) the side of the estimate at the first delta; for a one-sided
 * test this is p < alpha, for a two-sided one p < alpha with the effect on that side. Between
 * the last significant delta d_k and the next d_{k+1}, the CI bound nearer 0, b, is
 * interpolated linearly: tipping delta = d_k + (d_{k+1} − d_k) b_k / (b_k − b_{k+1}).
 */
import type { TippingPointRow } from '../methods/method.js';
import type { AnalysisPlan } from '../spec/analysis-schema.js';

export interface TippingPointCsvRow extends TippingPointRow {
  endpoint: string;
  role: 'primary' | 'secondary';
  method: string;
  covariates: string;
  arm: string;
  control: string;
  imputation: string;
  imputations: number;
  alpha: number;
  sided: 'two' | 'one';
  significant: boolean | null;
  /** The comparison's tipping delta (the same on each of its rows); null: not within the deltas. */
  tippingDelta: number | null;
}

export interface TippingPointResult {
  /** The rows with p one-sided where the test is, significance, and the tipping delta. */
  rows: (TippingPointRow & { significant: boolean | null; tippingDelta: number | null })[];
  tippingDelta: number | null;
  /** For efficacy.csv's note. */
  note: string;
}

const fmt = (x: number): string => String(Number(x.toPrecision(4)));

export function tippingPoint(rows: readonly TippingPointRow[], sided: 'two' | 'one', direction: 'decrease' | 'increase' | undefined): TippingPointResult {
  const side = direction === 'decrease' ? -1 : direction === 'increase' ? 1 : Math.sign(rows[0]?.estimate ?? NaN) || 1;
  // The CI bound nearer 0 on the favourable side: the upper bound when lower values favour the active arm.
  const bound = (r: TippingPointRow) => (side < 0 ? r.upper : r.lower);
  const significant = (r: TippingPointRow): boolean | null => (Number.isFinite(bound(r)) ? side * bound(r) > 0 : null);
  const sig = rows.map(significant);
  let tipping: number | null = null;
  let note: string;
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  const lost = sig.findIndex((s) => s !== true);
  if (sig.some((s) => s === null)) note = `tipping point: not estimable at delta ${fmt(rows[sig.indexOf(null)]!.delta)}`;
  else if (lost === -1) note = `tipping point: significant at every delta from ${fmt(first.delta)} to ${fmt(last.delta)} (NA within the range)`;
  else if (lost === 0) note = `tipping point: not significant at delta ${fmt(first.delta)} already (NA)`;
  else {
    const a = rows[lost - 1]!;
    const b = rows[lost]!;
    tipping = a.delta + ((b.delta - a.delta) * bound(a)) / (bound(a) - bound(b));
    note = `tipping point: significance lost at delta ${fmt(tipping)} (interpolated between ${fmt(a.delta)} and ${fmt(b.delta)})`;
  }
  const oneSided = (r: TippingPointRow) => (side * r.estimate > 0 ? r.p / 2 : 1 - r.p / 2);
  return { rows: rows.map((r, i) => ({ ...r, p: sided === 'one' ? oneSided(r) : r.p, significant: sig[i]!, tippingDelta: tipping })), tippingDelta: tipping, note };
}

export const TIPPING_POINT_COLUMNS: [string, keyof TippingPointCsvRow][] = [
  ['endpoint', 'endpoint'],
  ['role', 'role'],
  ['method', 'method'],
  ['covariates', 'covariates'],
  ['arm', 'arm'],
  ['control', 'control'],
  ['imputation', 'imputation'],
  ['imputations', 'imputations'],
  ['delta', 'delta'],
  ['estimate', 'estimate'],
  ['se', 'se'],
  ['lower', 'lower'],
  ['upper', 'upper'],
  ['statistic', 'statistic'],
  ['df', 'df'],
  ['p', 'p'],
  ['alpha', 'alpha'],
  ['sided', 'sided'],
  ['significant', 'significant'],
  ['tipping_delta', 'tippingDelta'],
];

/**
 * A replicate run's one-line note when an mi item asks for a tipping point: replicates analyse
 * the item at its own delta only (M × deltas ANCOVAs per replicate would dominate the run), so
 * the request is not silently dropped. Null when no item of the plans has one.
 */
export function replicateTippingPointNote(plans: readonly AnalysisPlan[]): string | null {
  const items = new Set<string>();
  for (const plan of plans) {
    for (const role of ['primary', 'secondary'] as const) {
      plan[role].forEach((item, i) => {
        if (item.tipping_point) items.add(`${role} ${i + 1} (${item.endpoint} ${item.method})`);
      });
    }
  }
  if (items.size === 0) return null;
  return `note: tipping_point of analysis ${[...items].join(', ')} is computed in single runs and \`vtrial analyze\`, not per replicate: each replicate analyses the item at its delta`;
}
