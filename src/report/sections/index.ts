/**
 * The registry of report sections, in the order the report shows them. Each section applies to
 * the kinds of directory it lists and is left out when a file it needs is missing, so a shard
 * (no operating-characteristics.csv) or an `analyze` output (efficacy and safety only) gets what
 * its files hold. Sweeps, comparisons, group-sequential designs, sample-size searches and
 * criteria trade-offs have their own sections.
 */
import { COMPARE_SECTIONS } from './compare-sections.js';
import { RECORD_SECTIONS } from './record-sections.js';
import { REPLICATE_SECTIONS } from './replicate-sections.js';
import { RUN_SECTIONS } from './run-sections.js';
import { SEQUENTIAL_SECTIONS } from './sequential-sections.js';
import type { ReportSection } from './section.js';
import { SWEEP_SECTIONS } from './sweep-sections.js';
import { SAMPLE_SIZE_SECTIONS } from './sample-size-sections.js';
import { TRADE_OFFS_SECTIONS } from './trade-offs-sections.js';

export const REPORT_SECTIONS: readonly ReportSection[] = [...RUN_SECTIONS, ...SEQUENTIAL_SECTIONS, ...REPLICATE_SECTIONS, ...SWEEP_SECTIONS, ...COMPARE_SECTIONS, ...SAMPLE_SIZE_SECTIONS, ...TRADE_OFFS_SECTIONS, ...RECORD_SECTIONS];
