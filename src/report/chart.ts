/**
 * A chart of the report: a Vega-Lite specification made by a pure function from data rows, its
 * title and a text alternative (the SVG's <title> and <desc>), and optional HTML shown under it
 * (a numbers-at-risk table).
 */
import { OKABE_ITO } from './palette.js';

export type VlSpec = Record<string, unknown>;

export interface Chart {
  /** File-name-safe and unique within a report: NN-name. */
  readonly id: string;
  readonly title: string;
  /** What the chart shows, in words, for readers who cannot see it. */
  readonly description: string;
  readonly spec: VlSpec;
  /** HTML placed under the chart (already escaped). */
  readonly after?: string;
}

/** The look every chart shares: fonts, the Okabe-Ito palette, no chart border. */
export const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  view: { stroke: null },
  range: { category: [...OKABE_ITO] },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#e6e6e6', labelLimit: 600 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' },
} as const;

/** A complete top-level spec: the schema, title, description and shared config around `body`. */
export function vl(title: string, description: string, body: VlSpec): VlSpec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', title, description, background: 'white', padding: 8, config: CONFIG, ...body };
}

/** A number for a text alternative: 3 significant digits. */
export const fmt = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(3))) : 'NA');

/** Rounds a value drawn in a chart (smaller specs and SVGs; 4 significant digits is below a pixel). */
export const r4 = (x: number): number | null => (Number.isFinite(x) ? Number(x.toPrecision(4)) : null);
