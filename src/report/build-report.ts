/**
 * An output directory -> the report: the sections of the registry that apply to the directory's
 * kind and whose files are present, each chart numbered (NN-name), rendered to SVG and kept as a
 * Vega-Lite spec to write beside the page.
 */
import type { Chart, VlSpec } from './chart.js';
import { renderPage, type PageSection } from './html-page.js';
import { openOutputDir, type DirKind, type OutputDir } from './output-dir.js';
import { renderSvg } from './render.js';
import { REPORT_SECTIONS } from './sections/index.js';

export interface Report {
  readonly html: string;
  /** Chart specs by file name (NN-name.vl.json), in order. */
  readonly specs: readonly { readonly name: string; readonly spec: VlSpec }[];
  readonly kind: DirKind;
  readonly charts: readonly Chart[];
  /** Warnings of vega-lite and vega while rendering (none expected; the tests check). */
  readonly warnings: readonly string[];
}

const KIND_TEXT: Record<DirKind, string> = {
  run: 'single run',
  replicates: 'replicate run',
  merge: 'replicate run merged from shards',
  shard: 'one shard of a replicate run',
  analyze: 'analysis of ADaM files (vtrial analyze)',
  sweep: 'sweep over a design grid',
  compare: 'comparison of protocols',
  'sample-size': 'sample size by simulation',
  'trade-offs': 'enrolment criteria trade-offs',
};

/** Builds the report of a directory (a path, or one opened and checked already); `specDir` is the specs' folder as the page links it. */
export async function buildReport(path: string | OutputDir, specDir: string): Promise<Report> {
  const dir = typeof path === 'string' ? openOutputDir(path) : path;
  const sections: PageSection[] = [];
  const specs: { name: string; spec: VlSpec }[] = [];
  const charts: Chart[] = [];
  const warnings: string[] = [];
  for (const s of REPORT_SECTIONS) {
    if (!s.kinds.includes(dir.kind) || !s.needs.every((f) => dir.has(f))) continue;
    const content = s.build(dir);
    if (!content || (content.charts.length === 0 && content.html === '')) continue;
    const figures = [];
    for (const c of content.charts) {
      const numbered: Chart = { ...c, id: `${String(charts.length + 1).padStart(2, '0')}-${safeName(c.id)}` };
      charts.push(numbered);
      const name = `${numbered.id}.vl.json`;
      specs.push({ name, spec: numbered.spec });
      figures.push({ id: numbered.id, title: numbered.title, svg: await renderSvg(numbered, warnings), after: numbered.after, specPath: `${specDir}/${name}` });
    }
    sections.push({ id: s.id, heading: s.heading, figures, html: content.html });
  }
  return { html: renderPage({ title: titleOf(dir), subtitle: subtitleOf(dir), sections }), specs, kind: dir.kind, charts, warnings };
}

/** Chart ids come from endpoint and parameter codes: keep them file-name and id safe. */
const safeName = (s: string): string => s.replace(/[^A-Za-z0-9_-]/g, '_');

function titleOf(dir: OutputDir): string {
  if (dir.kind === 'compare') return `${KIND_TEXT.compare}: ${comparedLabels(dir).join(', ')}`;
  // A sweep's run.json does not hold the resolved protocol; its first point's does.
  const first = (dir.manifest?.sweep as { points?: { id?: unknown }[] } | undefined)?.points?.[0]?.id;
  const fromPoint = dir.kind === 'sweep' && typeof first === 'string' ? dir.json(`points/${first}/run.json`)?.protocol : undefined;
  const p = (fromPoint ?? dir.manifest?.protocol) as { resolved?: { name?: unknown }; file?: unknown } | undefined;
  const name = typeof p?.resolved?.name === 'string' ? p.resolved.name : typeof p?.file === 'string' ? p.file : dir.path;
  return `${name}: ${KIND_TEXT[dir.kind]}`;
}

function subtitleOf(dir: OutputDir): string {
  const m = dir.manifest;
  const s = dir.summary;
  const protocol = (m?.protocol as { file?: string } | undefined)?.file ?? (s?.protocol as string | undefined) ?? '';
  const parts = dir.kind === 'compare' ? [`reference ${String(s?.reference ?? comparedLabels(dir)[0] ?? '')}`] : [`protocol ${protocol}`];
  parts.push(`seed ${String(m?.seed ?? s?.seed ?? 'NA')}`);
  if (m && typeof m.replicates === 'number' && dir.kind !== 'run') parts.push(`${m.replicates} replicates per ${dir.kind === 'sweep' ? 'point and scenario' : dir.kind === 'compare' ? 'protocol and scenario' : 'scenario'}`);
  if (dir.kind === 'sweep') parts.push(`${((m?.sweep as { points?: unknown[] } | undefined)?.points ?? []).length} points`);
  parts.push(`vtrial ${String(m?.vtrial ?? s?.vtrial ?? '')}`);
  return parts.join(' · ');
}

/** The labels of a comparison's protocols (run.json). */
function comparedLabels(dir: OutputDir): string[] {
  const ps = dir.manifest?.protocols;
  return Array.isArray(ps) ? ps.map((p: { label?: unknown }) => String(p.label)) : [];
}
