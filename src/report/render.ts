/**
 * Renders a Vega-Lite specification to SVG in Node, without a browser: vega-lite compiles it to
 * Vega, vega's View draws it with the `none` renderer (no canvas; text widths are estimated, so the
 * output does not depend on installed fonts) and toSVG() writes the markup. The SVG then gets
 * its text alternative (<title>, <desc>, role="img") and ids unique within the page: vega
 * numbers clip paths with a process-wide counter, which would differ between two renders.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { Chart } from './chart.js';
import { escapeHtml } from './html-text.js';

/**
 * The chart as SVG. Warnings of vega-lite and vega (a dropped encoding, an invalid scale) are
 * collected into `warnings` instead of the console: the tests hold every chart to none.
 */
export async function renderSvg(chart: Chart, warnings: string[] = []): Promise<string> {
  const logger = collectingLogger(chart.id, warnings);
  const vgSpec = compile(chart.spec as unknown as Parameters<typeof compile>[0], { logger }).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return accessible(renumberIds(svg, chart.id), chart);
  } finally {
    view.finalize();
  }
}

/** A vega logger (the interface vega and vega-lite share) that keeps warnings and errors as text. */
function collectingLogger(id: string, out: string[]): vega.LoggerInterface {
  let level = vega.Warn;
  const logger: vega.LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return level as never;
      level = l;
      return logger;
    },
    error: (...a: readonly unknown[]) => (out.push(`${id}: ${a.map(String).join(' ')}`), logger),
    warn: (...a: readonly unknown[]) => (level >= vega.Warn && out.push(`${id}: ${a.map(String).join(' ')}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Every id="X" and its url(#X) references become CHART-1, CHART-2, ... in order of appearance. */
export function renumberIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\bid="([^"]+)"/g)) if (!ids.has(m[1]!)) ids.set(m[1]!, `${prefix}-${ids.size + 1}`);
  if (ids.size === 0) return svg;
  return svg.replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${ids.get(id)}"`).replace(/url\(#([^)]+)\)/g, (whole, id: string) => (ids.has(id) ? `url(#${ids.get(id)})` : whole));
}

/** Adds <title> and <desc> as the SVG's first children, and names the image by them. */
function accessible(svg: string, chart: Chart): string {
  const open = /^<svg\b[^>]*>/.exec(svg);
  if (!open) throw new Error(`chart ${chart.id}: the renderer returned no <svg> element`);
  const t = `${chart.id}-title`;
  const d = `${chart.id}-desc`;
  const tag = open[0].replace(/^<svg\b/, `<svg role="img" aria-labelledby="${t} ${d}"`);
  return `${tag}<title id="${t}">${escapeHtml(chart.title)}</title><desc id="${d}">${escapeHtml(chart.description)}</desc>${svg.slice(open[0].length)}`;
}
