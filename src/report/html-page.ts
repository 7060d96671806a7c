/**
 * The report page: one self-contained HTML file (inline CSS and SVG, no scripts, no external
 * resources), so it opens offline and can be attached to an e-mail. Nothing in it depends on the
 * clock: the same directory gives the same bytes.
 */
import { escapeHtml } from './html-text.js';

export interface PageFigure {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
  readonly after?: string;
  /** The Vega-Lite spec's path relative to the page. */
  readonly specPath: string;
}

export interface PageSection {
  readonly id: string;
  readonly heading: string;
  readonly figures: readonly PageFigure[];
  readonly html: string;
}

export interface Page {
  readonly title: string;
  /** One line under the title: kind of directory, protocol, seed. */
  readonly subtitle: string;
  readonly sections: readonly PageSection[];
}

const CSS = `
body{font-family:Helvetica,Arial,sans-serif;color:#1a1a1a;margin:0 auto;max-width:1100px;padding:16px 24px 48px;line-height:1.4}
h1{font-size:1.6em;margin:0.4em 0 0.1em}h2{font-size:1.25em;border-bottom:2px solid #0072B2;padding-bottom:2px;margin-top:2em}
.sub{color:#444;margin:0 0 1em}nav ol{columns:2;font-size:0.95em}
figure{margin:1.2em 0;overflow-x:auto}figure svg{max-width:100%;height:auto}figcaption{font-size:0.85em;color:#444}
table{border-collapse:collapse;margin:1em 0;font-size:0.85em}caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}thead th{border-bottom:2px solid #888}
td.n{text-align:right;font-variant-numeric:tabular-nums}table.risk td{text-align:right}
table.manifest td{font-family:monospace;word-break:break-all}
pre{background:#f6f6f6;padding:8px;font-size:0.8em;overflow-x:auto}footer{margin-top:3em;font-size:0.8em;color:#555}
@media print{nav{display:none}figure{break-inside:avoid}}
`;

export function renderPage(p: Page): string {
  const toc = p.sections.map((s) => `<li><a href="#${s.id}">${escapeHtml(s.heading)}</a></li>`).join('');
  const sections = p.sections
    .map((s) => {
      const figs = s.figures.map((f) => `<figure id="fig-${f.id}">${f.svg}${f.after ?? ''}<figcaption>${escapeHtml(f.title)} — Vega-Lite specification: <a href="${escapeHtml(f.specPath)}">${escapeHtml(f.specPath)}</a></figcaption></figure>`).join('\n');
      return `<section id="${s.id}"><h2>${escapeHtml(s.heading)}</h2>\n${figs}\n${s.html}</section>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vtrial report">
<title>${escapeHtml(p.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(p.title)}</h1><p class="sub">${escapeHtml(p.subtitle)}</p></header>
<nav aria-label="Contents"><ol>${toc}</ol></nav>
<main>
${sections}
</main>
<footer>Made by vtrial report from the files of this output directory; the charts are Vega-Lite specifications rendered to SVG (vega, vega-lite). Simulated data: every subject is a digital twin.</footer>
</body>
</html>
`;
}
