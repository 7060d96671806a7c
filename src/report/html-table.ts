/** An HTML table from rows of text cells (escaped here); numeric-looking cells align right. */
import { escapeHtml } from './html-text.js';

export function htmlTable(caption: string, header: readonly string[], rows: readonly (readonly string[])[], className = 'data'): string {
  const num = /^[-−+]?[\d.,]+(%|\s*\(.*\))?$|^<0\.\d+$/;
  const cell = (c: string, i: number) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td${num.test(c) ? ' class="n"' : ''}>${escapeHtml(c)}</td>`);
  return `<table class="${className}"><caption>${escapeHtml(caption)}</caption><thead><tr>${header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

/** A number with d decimals; "NA" for NaN. */
export const fixed = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : 'NA');

/** A p-value as the terminal shows it. */
export const pText = (p: number): string => (!Number.isFinite(p) ? 'NA' : p < 0.0001 ? '<0.0001' : p.toFixed(4));
