/**
 * Row labels made of parts (scenario, analysis, protocol, ...): the parts that are the same on
 * every row are left out of the labels and said once, under the chart's title, so an axis shows
 * only what tells its rows apart (vega estimates text widths without a browser and cuts long
 * labels short).
 */
export interface CompactLabels {
  readonly labels: string[];
  /** The parts every row shares, joined; '' when none. */
  readonly common: string;
}

export function compactLabels(rows: readonly (readonly string[])[]): CompactLabels {
  const width = Math.max(0, ...rows.map((r) => r.length));
  const varies = Array.from({ length: width }, (_, i) => rows.some((r) => (r[i] ?? '') !== (rows[0]![i] ?? '')));
  // With a single row (or all rows alike), keep the first part so the axis is not blank.
  if (!varies.includes(true) && width > 0) varies[0] = true;
  const labels = rows.map((r) => r.filter((p, i) => varies[i] && p !== '').join(' · '));
  const common = rows.length > 0 ? rows[0]!.filter((p, i) => !varies[i] && p !== '').join(' · ') : '';
  return { labels, common };
}

/** A title with the shared parts as its subtitle ("all rows: ..."), or with `prefix` '' the subtitle as given. */
export const titled = (text: string, subtitle: string, prefix = 'all rows: '): string | { text: string; subtitle: string } => (subtitle ? { text, subtitle: `${prefix}${subtitle}` } : text);
