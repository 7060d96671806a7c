/**
 * The report is a list of sections, each made from files of an output directory. A section says
 * which kinds of directory it applies to and which files it needs; the registry
 * (sections/index.ts) keeps the order. A new kind of directory (a sweep, a comparison, a sequential
 * design) adds its kind to DirKind and its sections to the registry; nothing else changes.
 */
import type { Chart } from '../chart.js';
import type { DirKind, OutputDir } from '../output-dir.js';

export interface SectionContent {
  /** Charts in order; each is drawn as a figure. */
  readonly charts: readonly Chart[];
  /** HTML after the charts (tables), already escaped. */
  readonly html: string;
}

export interface ReportSection {
  readonly id: string;
  readonly heading: string;
  readonly kinds: readonly DirKind[];
  /** Files the section reads; it is left out when one is missing. */
  readonly needs: readonly string[];
  /** null: nothing to show (e.g. no time-to-event endpoint). */
  build(dir: OutputDir): SectionContent | null;
}
