/**
 * The registry of every file vtrial writes into an output directory: its name, the commands that
 * write it, what it holds and its columns. The run writer refuses a file (or a CSV header) that is
 * not registered for its command; `--force` replaces only these names (a user's notes.txt, a
 * user's own folder is never moved, replaced or deleted); the help texts and README's "Output
 * files" table are made from it (test/repo/output-files-readme.test.ts keeps the README in step).
 */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isOwnReport } from './report-files.js';
import { ADAE_COLUMNS, ADEFF_COLUMNS, ADEFF_ICE_COLUMNS, ADICE_COLUMNS, ADPC_COLUMNS, ADSL_CALENDAR_COLUMNS, ADSL_ICE_COLUMNS, ADSL_ID_COLUMNS, ADSL_PROGNOSTIC_COLUMN, ADSL_STATUS_COLUMNS, ADTTE_COLUMNS, COUNTERFACTUAL_ID_COLUMNS } from '../adam/adam-tables.js';
import { EFFICACY_COLUMNS, SAFETY_COLUMNS } from '../analysis/analyse-trial.js';
import { TIPPING_POINT_COLUMNS } from '../analysis/tipping-point.js';
import { ESTIMAND_COLUMN, OPERATING_CHARACTERISTICS_COLUMNS, SAFETY_CHARACTERISTICS_COLUMNS, SEQUENTIAL_CHARACTERISTICS_COLUMNS, SEQUENTIAL_LOOK_COLUMNS, FUTILITY_CP_COLUMN } from '../replicates/summary.js';
import { ITE_COLUMNS } from '../twins/ite-table.js';
import { INTERIM_LOOK_COLUMNS } from '../analysis/interim-looks.js';
import { RECORD_CALENDAR_COLUMNS, RECORD_ESTIMAND_COLUMN, RECORD_FILES, RECORD_SEQUENTIAL_COLUMNS } from './record-files.js';
import { COMPARE_COLUMNS, COMPARE_DESIGNS_COLUMNS, COMPARE_SAFETY_COLUMNS, COMPARE_TRIALS_COLUMNS } from '../design/compare-tables.js';
import { SWEEP_CALENDAR_COLUMNS, SWEEP_CSV, SWEEP_DIFFERENCE_COLUMNS, SWEEP_DIFFERENCES_CSV, SWEEP_SEQUENTIAL_COLUMNS, SWEEP_SEQUENTIAL_DIFFERENCE_COLUMNS } from '../design/sweep-summary.js';
import { ITE_RECORD_COLUMNS, ITE_RECORD_FILE, TRADE_OFFS_COLUMNS, TRADE_OFFS_CSV, TRADE_OFFS_SEQUENTIAL_COLUMNS } from '../design/trade-offs.js';
import { SAMPLE_SIZE_JSON, SAMPLE_SIZE_SEARCH_COLUMNS, SAMPLE_SIZE_SEARCH_CSV } from '../design/sample-size-search.js';

export type OutputKind = 'run' | 'replicates' | 'merge' | 'analyze' | 'compare' | 'sweep' | 'sample-size' | 'trade-offs';

/**
 * One part of a CSV header: a fixed column; a column only some protocols have (`optional`); or
 * zero or more columns that depend on the protocol or cohort (`variable`), each passing `accepts`.
 */
export type ColumnPart = string | { readonly optional: string; readonly when: string } | { readonly variable: string; readonly accepts: (column: string) => boolean };

export interface OutputFile {
  readonly name: string;
  readonly writtenBy: readonly OutputKind[];
  /** Also written for each kept replicate below patients/SCENARIO/replicate-NNNNNN/ (run --replicates --keep-patients K). */
  readonly patientFile: boolean;
  /** One line: what the file holds. */
  readonly description: string;
  /** A CSV file's header, in order; absent for JSON files. */
  readonly columns?: readonly ColumnPart[];
}

const names = (cols: readonly (readonly [string, unknown])[]): string[] => cols.map(([c]) => c);
const anyColumn = (): boolean => true;

/** Every file vtrial writes into an output directory, in the order the help and README list them. */
export const OUTPUT_FILES: readonly OutputFile[] = [
  {
    name: 'adsl.csv',
    writtenBy: ['run'],
    patientFile: true,
    description: 'subject level: one row per screened twin (in patients/: per enrolled twin) and external control: covariates, screening, randomisation, disposition, exposure',
    columns: [...ADSL_ID_COLUMNS, { variable: "the cohort's covariates", accepts: anyColumn }, ...ADSL_STATUS_COLUMNS, ...ADSL_CALENDAR_COLUMNS.map((c) => ({ optional: c, when: 'with accrual' })), ...ADSL_ICE_COLUMNS.map((c) => ({ optional: c, when: 'with intercurrent_events' })), { optional: ADSL_PROGNOSTIC_COLUMN, when: 'with a prognostic score' }],
  },
  { name: 'adeff.csv', writtenBy: ['run'], patientFile: true, description: 'efficacy, long: one row per patient, biomarker and observed visit', columns: [...ADEFF_COLUMNS, ...ADEFF_ICE_COLUMNS.map((c) => ({ optional: c, when: 'with intercurrent_events' }))] },
  { name: 'adtte.csv', writtenBy: ['run'], patientFile: true, description: 'one row per patient and time-to-event endpoint', columns: ADTTE_COLUMNS },
  { name: 'adae.csv', writtenBy: ['run'], patientFile: true, description: 'one row per patient and adverse-event term observed (its first occurrence)', columns: ADAE_COLUMNS },
  { name: 'adpc.csv', writtenBy: ['run'], patientFile: true, description: 'drug concentrations at the observed visits of patients in drug arms', columns: ADPC_COLUMNS },
  { name: 'adice.csv', writtenBy: ['run'], patientFile: true, description: 'with intercurrent_events: one row per observed intercurrent event (treatment discontinuation, rescue, death) with its reason and day', columns: ADICE_COLUMNS },
  {
    name: 'counterfactual.csv',
    writtenBy: ['run'],
    patientFile: true,
    description: "each randomised twin's endpoint values under every arm (and under each declared estimand)",
    columns: [...COUNTERFACTUAL_ID_COLUMNS, { variable: 'ENDPOINT.ARM for each endpoint and arm, then ENDPOINT.ARM.ESTIMAND for each estimand declared', accepts: (c) => c.includes('.') }],
  },
  { name: 'efficacy.csv', writtenBy: ['run', 'analyze'], patientFile: false, description: "the analysis plan's results: one row per endpoint analysis and comparison", columns: names(EFFICACY_COLUMNS) },
  { name: 'tipping-point.csv', writtenBy: ['run', 'analyze'], patientFile: false, description: 'only with an mi item\'s tipping_point: one row per comparison and delta (pooled estimate, CI, p, significance, the tipping delta)', columns: names(TIPPING_POINT_COLUMNS) },
  { name: 'safety.csv', writtenBy: ['run', 'analyze'], patientFile: false, description: 'adverse events per arm (any, by term, worst grade, serious, leading to discontinuation) with risk differences vs control', columns: names(SAFETY_COLUMNS) },
  { name: 'interim-looks.csv', writtenBy: ['run'], patientFile: false, description: 'with interim looks, per look: cut-off day, information, the primary analysis (estimate, CI, z, p), the boundaries at the observed information, the decision and the look that stopped the trial', columns: names(INTERIM_LOOK_COLUMNS) },
  { name: 'ite.csv', writtenBy: ['run'], patientFile: false, description: 'individual treatment effects from the counterfactuals, overall and by subgroup', columns: names(ITE_COLUMNS) },
  { name: RECORD_FILES.efficacy.name, writtenBy: ['replicates', 'merge'], patientFile: false, description: 'one row per scenario, replicate, endpoint analysis and comparison: estimate, SE, CI, p, decision, true effect', columns: [...RECORD_FILES.efficacy.columns, { optional: RECORD_ESTIMAND_COLUMN, when: 'when an analysis declares an estimand' }] },
  { name: RECORD_FILES.trials.name, writtenBy: ['replicates', 'merge'], patientFile: false, description: 'one row per scenario and replicate: screening, enrolment, dropout and visit counts (with accrual: the data cut-off and events by then; with interim looks: the stop and each look)', columns: [...RECORD_FILES.trials.columns, ...RECORD_CALENDAR_COLUMNS.map((c) => ({ optional: c, when: 'with accrual' })), ...RECORD_SEQUENTIAL_COLUMNS.map((c) => ({ optional: c, when: 'with interim looks' })), { variable: 'lookK_day, lookK_fraction, lookK_z, lookK_critical per look K (with interim looks)', accepts: (c) => /^look[1-9][0-9]*_(day|fraction|z|critical)$/.test(c) }] },
  { name: RECORD_FILES.safety.name, writtenBy: ['replicates', 'merge'], patientFile: false, description: 'subjects with each adverse-event term per scenario, replicate and arm', columns: RECORD_FILES.safety.columns },
  { name: 'operating-characteristics.csv', writtenBy: ['replicates', 'merge'], patientFile: false, description: 'per scenario, endpoint analysis and comparison: power, bias, RMSE and coverage across replicates', columns: [...names(OPERATING_CHARACTERISTICS_COLUMNS), { optional: ESTIMAND_COLUMN[0], when: 'when an analysis declares an estimand' }] },
  { name: 'sequential-characteristics.csv', writtenBy: ['replicates', 'merge'], patientFile: false, description: 'with interim looks, per scenario: overall rejection, expected patients, events and duration, bias at the stop, with MC SEs', columns: names(SEQUENTIAL_CHARACTERISTICS_COLUMNS) },
  { name: 'sequential-looks.csv', writtenBy: ['replicates', 'merge'], patientFile: false, description: 'with interim looks, per scenario and look: the planned design (critical value, nominal level, alpha spent) and the probabilities of stopping for efficacy and futility', columns: SEQUENTIAL_LOOK_COLUMNS.flatMap(([c]) => (c === 'futility_bound' ? [c, { optional: FUTILITY_CP_COLUMN[0], when: 'with conditional-power futility' }] : [c])) },
  { name: 'safety-characteristics.csv', writtenBy: ['replicates', 'merge'], patientFile: false, description: 'per scenario, adverse-event term and arm: mean incidence and its 5th-95th percentiles across replicates', columns: names(SAFETY_CHARACTERISTICS_COLUMNS) },
  { name: 'compare.csv', writtenBy: ['compare'], patientFile: false, description: 'per protocol, scenario and matched analysis: power, bias, RMSE, coverage, and their differences from the first protocol with MC SEs (paired and independent)', columns: COMPARE_COLUMNS },
  { name: 'compare-trials.csv', writtenBy: ['compare'], patientFile: false, description: 'per protocol and scenario: mean screened and enrolled, screen-failure and dropout rates, and their differences from the first protocol', columns: COMPARE_TRIALS_COLUMNS },
  { name: 'compare-designs.csv', writtenBy: ['compare'], patientFile: false, description: 'when a compared protocol has interim looks, per protocol and scenario: the design\'s rejection of the primary hypothesis (group-sequential: at any look; fixed: at the study end), expected patients, information and calendar duration at the deciding analysis, and their differences from the first protocol', columns: COMPARE_DESIGNS_COLUMNS },
  { name: 'compare-safety.csv', writtenBy: ['compare'], patientFile: false, description: 'per protocol, scenario, adverse-event term and arm: mean incidence and its difference from the first protocol', columns: COMPARE_SAFETY_COLUMNS },
  {
    name: SWEEP_CSV,
    writtenBy: ['sweep'],
    patientFile: false,
    description: "a sweep's operating characteristics: one row per point, scenario and analysis, the point's values as columns",
    columns: [
      'point', { variable: 'one column per varied path', accepts: anyColumn }, ...names(OPERATING_CHARACTERISTICS_COLUMNS),
      ...names(SWEEP_CALENDAR_COLUMNS).map((c) => ({ optional: c, when: 'with accrual' })), ...names(SWEEP_SEQUENTIAL_COLUMNS).map((c) => ({ optional: c, when: 'with interim looks' })),
      { variable: 'seq_lookK_p_efficacy, seq_lookK_p_futility per look K (with interim looks)', accepts: (c) => /^seq_look[1-9][0-9]*_p_(efficacy|futility)$/.test(c) },
    ],
  },
  {
    name: SWEEP_DIFFERENCES_CSV,
    writtenBy: ['sweep'],
    patientFile: false,
    description: 'per pair of adjacent sweep points, scenario and analysis: the difference in power, its MC SE with common random numbers and the MC SE independent draws would give (with interim looks also the group-sequential design\'s)',
    columns: [...names(SWEEP_DIFFERENCE_COLUMNS), ...SWEEP_SEQUENTIAL_DIFFERENCE_COLUMNS.map((c) => ({ optional: c, when: 'with interim looks' }))],
  },
  {
    name: TRADE_OFFS_CSV,
    writtenBy: ['trade-offs'],
    patientFile: false,
    description: 'per enrolment-criteria variant (as written, each criterion removed, its thresholds moved), scenario and primary analysis: screening cost, power and its paired difference from the protocol as written, the spread of individual treatment effects',
    columns: names(TRADE_OFFS_COLUMNS).flatMap((c) => (c === 'independent_mcse' ? [c, ...TRADE_OFFS_SEQUENTIAL_COLUMNS.map(([s]) => ({ optional: s, when: 'with interim looks' }))] : [c])),
  },
  { name: ITE_RECORD_FILE, writtenBy: ['replicates'], patientFile: false, description: "only in the points/ of screen --trade-offs --replicates: per scenario, replicate, primary endpoint and active arm, the enrolled twins' individual treatment effects' n, mean and SD", columns: ITE_RECORD_COLUMNS },
  { name: SAMPLE_SIZE_SEARCH_CSV, writtenBy: ['sample-size'], patientFile: false, description: 'a simulated sample-size search (sample-size PROTOCOL): per N simulated, the round, replicates, successes, power, its MC SE and the fitted probit curve\'s power', columns: [...SAMPLE_SIZE_SEARCH_COLUMNS] },
  { name: SAMPLE_SIZE_JSON, writtenBy: ['sample-size'], patientFile: false, description: 'the answer of a simulated sample-size search: N (null without one), its MC interval, the power there with its MC SE, the type I error under the null scenario, the fit and the search path; the success criterion (criterion, criterionRule), mode (search, or grid for --grid and merged --shard runs, with its grid), start, the lattice searched (block, integer, direction, range), converged and, without an answer, reason; powerDrops (falls in power between neighbouring values)' },
  { name: 'summary.json', writtenBy: ['run', 'replicates', 'merge', 'analyze', 'compare', 'sweep', 'trade-offs'], patientFile: false, description: "the results as JSON: a trial's plan, screening flow, efficacy and safety; a replicate run's operating characteristics per scenario; a comparison (schemas/compare-summary.schema.json); a sweep's per point and its power differences; the trade-offs' rows" },
  { name: 'run.json', writtenBy: ['run', 'replicates', 'merge', 'compare', 'sweep', 'sample-size', 'trade-offs'], patientFile: false, description: "the manifest, written last: version, command, seed, protocol and cohort as resolved, inputs' and files' SHA-256 (a sweep's: its grid and points; a comparison's: each protocol's)" },
];

const BY_NAME: ReadonlyMap<string, OutputFile> = new Map(OUTPUT_FILES.map((f) => [f.name, f]));

/** The registry's entry for a file name (undefined: not a file vtrial writes). */
export function outputFile(name: string): OutputFile | undefined {
  return BY_NAME.get(name);
}

/** The files a command writes into its output directory (top level; a shard writes only some). */
export function filesOf(kind: OutputKind): OutputFile[] {
  return OUTPUT_FILES.filter((f) => f.writtenBy.includes(kind));
}

/** The files written for each kept replicate below patients/. */
export const PATIENT_FILES: readonly OutputFile[] = OUTPUT_FILES.filter((f) => f.patientFile);

/**
 * Whether a CSV header is the registry's: fixed columns exactly and in order, an optional column
 * at its place or not at all, variable columns (any number the part accepts) where they go.
 */
export function headerMatches(parts: readonly ColumnPart[], header: readonly string[]): boolean {
  const from = (p: number, h: number): boolean => {
    if (p === parts.length) return h === header.length;
    const part = parts[p]!;
    if (typeof part === 'string') return header[h] === part && from(p + 1, h + 1);
    if ('optional' in part) return (header[h] === part.optional && from(p + 1, h + 1)) || from(p + 1, h);
    for (let end = h; ; end++) {
      if (from(p + 1, end)) return true;
      if (end === header.length || !part.accepts(header[end]!)) return false;
    }
  };
  return from(0, 0);
}

/** A registered header as text for messages: `USUBJID, SUBJID, <the cohort's covariates>, ..., PROG (with a prognostic score)`. */
export function columnsText(parts: readonly ColumnPart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : 'optional' in p ? `${p.optional} (${p.when})` : `<${p.variable}>`)).join(', ');
}

/** Every file name vtrial writes into a run directory. */
export const RUN_FILES: readonly string[] = OUTPUT_FILES.map((f) => f.name);

/** The folder of kept replicates' patient files (`run --replicates R --keep-patients K`). */
export const PATIENTS_DIR = 'patients';

/** The patients/ folder as the help and README describe it. */
export const PATIENTS_FOLDER = {
  path: `${PATIENTS_DIR}/<scenario>/replicate-NNNNNN/`,
  writtenBy: ['replicates'] as readonly OutputKind[],
  description: 'the patient files of the first K replicates of each scenario (--keep-patients K, default 1; 0 for none)',
} as const;

/** The folder of a sweep's points, one replicate run's output folder per point (vtrial sweep). */
export const POINTS_DIR = 'points';

/** The points/ folder as the help and README describe it. */
export const POINTS_FOLDER = {
  path: `${POINTS_DIR}/<point id>/`,
  writtenBy: ['sweep', 'trade-offs'] as readonly OutputKind[],
  description: "each sweep point's (each criteria variant's) replicate run (the files of run --replicates, without patients/; with --shard, its share's record files and run.json), kept for resuming; merge of a sweep's shards writes the sweep's files",
} as const;

/** The completeness marker of each kind of output: written last, moved away first. */
export function markerOf(kind: OutputKind): string {
  return kind === 'analyze' ? 'summary.json' : 'run.json';
}

/**
 * The names `--force` may replace for an output of this kind: a run directory's files are all
 * replaced together (so no file of an earlier run of another mode stays beside the new run.json);
 * `analyze` replaces only its own three files.
 */
export function replaceableNames(kind: OutputKind): string[] {
  return kind === 'analyze' ? filesOf('analyze').map((f) => f.name) : [...RUN_FILES];
}

const PATIENT_FILE = new RegExp(`^[^/]+/replicate-\\d{6}/(${PATIENT_FILES.map((f) => f.name.replace('.', '\\.')).join('|')})$`);

/**
 * Whether a `patients/` folder has exactly the layout vtrial writes (SCENARIO/replicate-NNNNNN/
 * TABLE.csv, no links, nothing else): only then may vtrial replace it.
 */
export function isVtrialPatientsDir(dir: string): boolean {
  const walk = (d: string, rel: string, depth: number): boolean => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) return false;
      if (st.isDirectory()) {
        if (depth >= 2 || (depth === 1 && !/^replicate-\d{6}$/.test(name))) return false;
        if (!walk(p, r, depth + 1)) return false;
      } else if (!st.isFile() || !PATIENT_FILE.test(r)) return false;
    }
    return true;
  };
  try {
    return lstatSync(dir).isDirectory() && walk(dir, '', 0);
  } catch {
    return false;
  }
}

/** A point folder's name in points/ (pointId). */
const POINT_ID = /^p-[0-9a-f]{12}$/;

/**
 * The layouts of folders a merge stages whole and publishes with its files: `points` (a sweep's
 * points/: POINT_ID/FILE of a replicate run or merge) and `sweep` (a sweep's files and its points/,
 * as in a merged sample-size search's base/ and null/).
 */
export type FolderLayout = 'points' | 'sweep';

/**
 * The first entry below DIR that vtrial did not write for this layout (relative to DIR), or null
 * when it has exactly vtrial's layout (no links, nothing else): only then may a merge replace it whole.
 */
export function foreignEntry(dir: string, layout: FolderLayout): string | null {
  const own = new Set((layout === 'points' ? [...filesOf('replicates'), ...filesOf('merge')] : filesOf('sweep')).map((f) => f.name));
  for (const name of readdirSync(dir)) {
    const st = lstatSync(join(dir, name));
    const sub = layout === 'points' ? POINT_ID.test(name) : name === POINTS_DIR;
    if (sub && st.isDirectory()) {
      const inner = layout === 'points' ? foreignFile(join(dir, name), own) : foreignEntry(join(dir, name), 'points');
      if (inner !== null) return `${name}/${inner}`;
    } else if (isOwnReport(dir, name)) continue; // a report of vtrial's (vtrial report DIR): replaced with the folder
    else if (layout === 'points' || !own.has(name) || !st.isFile()) return name;
  }
  return null;
}

/** The first entry of DIR that is not a regular file with one of the names `own`. */
function foreignFile(dir: string, own: ReadonlySet<string>): string | null {
  for (const name of readdirSync(dir)) if (!isOwnReport(dir, name) && (!own.has(name) || !lstatSync(join(dir, name)).isFile())) return name;
  return null;
}

/** File names as prose: `a, b and c`. */
export function fileList(files: readonly OutputFile[] | readonly string[]): string {
  const n = files.map((f) => (typeof f === 'string' ? f : f.name));
  return n.length <= 1 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

/** The files a shard (`run --replicates R --shard k/n`) writes: the per-replicate records that merge reads, and run.json. */
export const SHARD_FILES: readonly string[] = [...Object.values(RECORD_FILES).map((f) => f.name), markerOf('replicates')];

/**
 * The "Output files" paragraph of a command's --help: one labelled line per mode, the names
 * wrapped under each other at `width` characters.
 */
export function outputFilesHelp(lines: readonly (readonly [label: string, files: string])[], width = 112): string {
  const pad = Math.max(...lines.map(([l]) => l.length)) + 4;
  const wrapped = lines.map(([label, text]) => {
    const out: string[] = [];
    let line = `  ${label}:`.padEnd(pad);
    let words = 0;
    for (const word of text.split(' ')) {
      if (words > 0 && line.length + 1 + word.length > width) {
        out.push(line);
        line = ' '.repeat(pad);
        words = 0;
      }
      line += words > 0 ? ` ${word}` : word;
      words++;
    }
    out.push(line);
    return out.join('\n');
  });
  return `\nOutput files (README: Output files):\n${wrapped.join('\n')}`;
}

/** The --force help text: what may be replaced. */
export function forceHelp(): string {
  return `${RUN_FILES.join(', ')}, and ${PATIENTS_DIR}/ when it holds only vtrial's patient files`;
}
