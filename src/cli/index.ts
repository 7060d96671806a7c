/**
 * The vtrial command line: parses options (commander), calls the library command in src/app,
 * and prints the result with a reporter chosen by --format. Exit codes: 0 ok, 1 runtime
 * failure, 2 usage, spec or input error, 3 enrolment target not reached, 128 + signal number when
 * interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { cohortCommand } from '../app/cohort-command.js';
import { replicatesStudyEndWarnings, runStudyEndWarnings } from './reporters/study-end-warnings.js';
import { runCommand } from '../app/run-command.js';
import { analyzeCommand } from '../app/analyze-command.js';
import { replicatesCommand } from '../app/replicates-command.js';
import { mergeCommand } from '../app/merge-command.js';
import { compareCommand } from '../app/compare-command.js';
import { FAIL_IF_VARIABLES } from '../design/fail-if.js';
import { sweepCommand } from '../app/sweep-command.js';
import { sweepSummaryText } from './sweep-report.js';
import type { SweepSummary } from '../design/sweep-summary.js';
import { reportCommand, reportText, REPORT_FILE } from '../app/report-command.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { sampleSizeCommand, SPENDING } from '../app/sample-size-command.js';
import { sampleSizeRequest, type SampleSizeOptions } from './sample-size-options.js';
import { sampleSizeMerge, sampleSizeSimulation } from '../app/sample-size-simulation.js';
import { sampleSizeSimulationOutcome, sampleSizeSimulationText } from './reporters/sample-size-simulation-report.js';
import { tradeOffsReplicatesText, tradeOffsText } from './reporters/trade-offs-report.js';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from '../errors/usage-error.js';
import { screenCommand, screenTradeOffs, screenTradeOffsReplicates } from '../app/screen-command.js';
import { validateCommand } from '../app/validate-command.js';
import { DataError } from '../errors/data-error.js';
import { formatFromPath } from '../io/table-writer.js';
import { filesOf, fileList, forceHelp, outputFilesHelp, PATIENT_FILES, PATIENTS_FOLDER, POINTS_FOLDER, SHARD_FILES } from '../io/output-files.js';
import { SpecError } from '../spec/spec-error.js';
import { checkWorkers, defaultWorkers, LIMITS, parseChoice, parseInteger, parseReal, parseRealList, parseShard, REPORT_FORMATS, SHARDS_ENV, shardFromEnv, type ReportFormat } from './options.js';
import { isClosedPipe, isStdoutFailure, reportStdoutFailure } from './pipes.js';
import { rateText, startProgress } from './progress.js';
import { reporters } from './reporters/index.js';
import { screeningFlowText } from './reporters/screening-report.js';

import { VERSION } from '../version.js';

export { finalExitCode, guardStandardStreams } from './pipes.js';

interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Whether progress may be drawn (stderr is a terminal). */
  interactive: boolean;
  /** The terminal's width (0 or undefined when unknown: no spinner then). */
  columns?: () => number | undefined;
  /** The environment `--shard auto` reads (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

const defaultIo: Io = {
  stdout: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  stderr: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
  interactive: Boolean(process.stderr.isTTY),
  columns: () => process.stderr.columns,
};

/** Progress on standard error for a long command (see progress.ts). */
const progressFor = (io: Io, label: string, quiet: boolean | undefined) =>
  startProgress(label, { quiet: Boolean(quiet), interactive: io.interactive, columns: io.columns?.(), writeLine: io.stderr });

const seedOption = () => new Option('--seed <int>', 'master random seed').argParser(parseInteger(0, 'a seed')).default(1);
const replicateOption = () => new Option('--replicate <int>', 'replicate index (selects independent random streams)').argParser(parseInteger(0, 'a replicate index')).default(0);
const shardOption = (what: string) =>
  new Option('--shard <k/n|auto>', `run only the k-th of n shares of the ${what} (combine with vtrial merge); auto: k and n from a Slurm, Kubernetes Indexed Job or AWS Batch array job (README: Beyond one machine)`).argParser(parseShard);
const shardsOption = () => new Option('--shards <n>', `with --shard auto: the shard count where the scheduler does not give it (Kubernetes: the Job's completions; or set ${SHARDS_ENV})`).argParser(parseInteger(1, 'a number of shards', LIMITS.shards));

/** The shard of --shard k/n or --shard auto (from the array-job environment), checked with --shards. */
export function resolveShard(shard: { k: number; n: number } | 'auto' | undefined, shards: number | undefined, env: Readonly<Record<string, string | undefined>>): { k: number; n: number } | undefined {
  if (shards !== undefined && shard !== 'auto') throw new UsageError('--shards N goes with --shard auto (with --shard k/n, n is the count)');
  return shard === 'auto' ? shardFromEnv(env, shards) : shard;
}

const formatOption = () => new Option('--format <fmt>', 'report format on standard output').argParser(parseChoice(REPORT_FORMATS)).default('text');

/** The command line as recorded in run.json: without the output directory, so runs compare byte for byte. */
export function recordedArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--out' || a === '-o') i++;
    else if (!a.startsWith('--out=')) out.push(a);
  }
  return ['vtrial', ...out];
}

export function buildProgram(io: Io = defaultIo, argv: readonly string[] = []): Command {
  const program = new Command('vtrial')
    .description('Run in-silico (virtual) clinical trials: generate digital-twin cohorts, screen them for enrolment, simulate and analyse trials.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  program.addHelpText(
    'after',
    `
Exit codes: 0 success, 1 runtime failure, 2 usage, spec or input error, 3 enrolment target not reached,
129/130/143 interrupted by SIGHUP/SIGINT/SIGTERM (previous results intact). See the README's Guarantees.

Examples:
  vtrial validate cohorts/*.yaml protocols/*.yaml
  vtrial cohort cohorts/t2d.yaml --n 10000 --seed 7 --out twins.csv
  vtrial screen protocols/t2d-weekly-injectable.yaml --seed 7
  vtrial run protocols/t2d-weekly-injectable.yaml --seed 7 --out runs/t2d
  vtrial run protocols/t2d-weekly-injectable.yaml --replicates 1000 --out runs/t2d-oc
  vtrial sweep protocols/t2d-weekly-injectable.yaml --vary enrolment.target=100:400:100 --replicates 500 --out sweeps/n`,
  );

  program
    .command('cohort')
    .summary('generate digital twins of a cohort to CSV or JSON Lines')
    .description('Generate N digital twins of a cohort and write them as CSV or JSON Lines (streamed: any N fits in memory).\nWith --protocol, every twin is also screened against the protocol\'s enrolment criteria.')
    .argument('<cohort>', 'cohort spec (YAML or JSON)')
    .requiredOption('-n, --n <int>', `number of twins (at most ${LIMITS.twins.toLocaleString('en-US')})`, parseInteger(1, 'a number of twins', LIMITS.twins, 'generate more as several files with --replicate 0, 1, 2, ... (independent samples)'))
    .requiredOption('-o, --out <file>', 'output file (.csv, .jsonl), or - for standard output')
    .addOption(seedOption())
    .addOption(replicateOption())
    .addOption(new Option('--out-format <fmt>', 'twin file format (default: from the --out extension, else csv)').argParser(parseChoice(['csv', 'jsonl'] as const)))
    .option('-p, --protocol <file>', 'screen twins against this protocol\'s criteria (adds eligible, first_failed, enrolled, fails_<id> columns)')
    .option('-f, --force', 'replace an existing output file (never one of the inputs)')
    .addOption(formatOption())
    .option('-q, --quiet', 'no progress and no text summary')
    .addHelpText(
      'after',
      `
Examples:
  vtrial cohort cohorts/t2d.yaml --n 10000 --seed 7 --out twins.csv
  vtrial cohort cohorts/nsclc.yaml --n 500 --out twins.jsonl
  vtrial cohort cohorts/t2d.yaml --n 5000 --protocol protocols/t2d-weekly-injectable.yaml --out screened.csv
  vtrial cohort cohorts/t2d.yaml --n 100 --out - | head`,
    )
    .action(async (cohort: string, opts: { n: number; out: string; seed: number; replicate: number; outFormat?: 'csv' | 'jsonl'; protocol?: string; force?: boolean; format: ReportFormat; quiet?: boolean }) => {
      const format = opts.outFormat ?? (opts.out === '-' ? 'csv' : formatFromPath(opts.out));
      if (!format) throw new UsageError(`cannot tell the format of "${opts.out}" from its extension: use .csv or .jsonl, or give --out-format`);
      const progress = progressFor(io, 'vtrial cohort', opts.quiet);
      const t0 = performance.now();
      try {
        const result = await cohortCommand({
          cohortFile: cohort,
          n: opts.n,
          seed: opts.seed,
          replicate: opts.replicate,
          out: opts.out,
          format,
          protocolFile: opts.protocol,
          force: Boolean(opts.force),
          onProgress: (done, total) => progress.update(`twin ${done}/${total} · ${rateText(done, total, t0, performance.now())}`),
        });
        progress.stop();
        if (opts.quiet && opts.format === 'text') return;
        // When twins go to stdout, the report must not mix with them.
        const print = opts.out === '-' ? io.stderr : io.stdout;
        print(reporters.cohort[opts.format](result));
      } finally {
        progress.stop();
      }
    });

  program
    .command('screen')
    .summary('screen twins against a protocol\'s enrolment criteria (CONSORT flow)')
    .description('Screen twins 1, 2, 3, ... of the protocol\'s cohort until the enrolment target is met, and print the\nCONSORT-style flow: screened, excluded by each criterion, eligible, enrolled. Exits with code 3 if the\ntarget is not reached within enrolment.max_screened twins.')
    .argument('<protocol>', 'protocol spec (YAML or JSON)')
    .option('-c, --cohort <file>', 'use this cohort instead of the protocol\'s')
    .addOption(seedOption())
    .addOption(replicateOption())
    // Held to the protocol's limits (max_enrolled, max_screened), which the protocol can raise.
    .addOption(new Option('--target <int>', 'override enrolment.target (at most the protocol\'s limits.max_enrolled)').argParser(parseInteger(1, 'a target')))
    .addOption(new Option('--max-screened <int>', 'override enrolment.max_screened (at most the protocol\'s limits.max_screened)').argParser(parseInteger(1, 'a screening cap')))
    .option('--trade-offs', 'per criterion: screen failure and twins screened per enrolled with it removed and its thresholds moved 10% looser')
    .addOption(new Option('--move <id=expr>', 'with --trade-offs: the moved expression of criterion ID (repeatable) instead of the 10% step').argParser((v: string, prev: string[]) => [...prev, v]).default([]))
    .addOption(new Option('--replicates <int>', 'with --trade-offs: also R replicate trials of every variant and scenario (power, its paired difference from the protocol as written, the spread of individual effects); needs --out').argParser(parseInteger(1, 'a number of replicates', LIMITS.replicates)))
    .option('-o, --out <dir>', 'with --replicates: output directory (trade-offs.csv, summary.json, run.json, points/ per variant; a previous run there is resumed)')
    .addOption(new Option('-w, --workers <int>', 'with --replicates: worker threads (results do not depend on it)').argParser(parseInteger(1, 'a number of workers')).default(defaultWorkers(availableParallelism()), 'available cores'))
    .option('--allow-oversubscribe', `allow more --workers than available cores (up to ${LIMITS.workers})`)
    .addOption(new Option('--batch-size <int>', 'with --replicates: replicates per worker task (results do not depend on it)').argParser(parseInteger(1, 'a batch size', LIMITS.batchSize)))
    .option('-s, --scenario <name>', 'with --replicates: run only this scenario (default: base and every scenario of the protocol)')
    .option('-f, --force', 'with --replicates: write beside files that are not vtrial\'s, and recompute variants computed from other inputs')
    .addOption(formatOption())
    .option('-q, --quiet', 'no text summary (errors are still printed)')
    .addHelpText(
      'after',
      `
Examples:
  vtrial screen protocols/t2d-weekly-injectable.yaml --seed 7
  vtrial screen protocols/t2d-weekly-injectable.yaml --target 1000 --format json
  vtrial screen protocols/t2d-weekly-injectable.yaml --trade-offs
  vtrial screen protocols/t2d-weekly-injectable.yaml --trade-offs --move 'hba1c_range=hba1c >= 6.5 and hba1c <= 10.5'
  vtrial screen protocols/t2d-weekly-injectable.yaml --trade-offs --replicates 200 --out trade-offs/t2d`,
    )
    .action(async (protocol: string, opts: { cohort?: string; seed: number; replicate: number; target?: number; maxScreened?: number; tradeOffs?: boolean; move: string[]; replicates?: number; out?: string; workers: number; allowOversubscribe?: boolean; batchSize?: number; scenario?: string; force?: boolean; format: ReportFormat; quiet?: boolean }) => {
      if (opts.replicates === undefined && (opts.out !== undefined || opts.scenario !== undefined || opts.batchSize !== undefined || opts.force)) throw new UsageError('--out, --scenario, --batch-size and --force belong to --trade-offs --replicates');
      if (opts.replicates !== undefined) {
        if (!opts.tradeOffs) throw new UsageError('--replicates belongs to --trade-offs (for a replicate run of the protocol: vtrial run --replicates)');
        if (opts.out === undefined) throw new UsageError('--trade-offs --replicates needs --out DIR: every variant\'s replicate run is kept there (points/), so a re-run resumes');
        const tooMany = checkWorkers(opts.workers, availableParallelism(), Boolean(opts.allowOversubscribe));
        if (tooMany) throw new UsageError(tooMany);
        const progress = progressFor(io, 'vtrial screen --trade-offs', opts.quiet);
        const t0 = performance.now();
        try {
          const r = await screenTradeOffsReplicates({
            protocolFile: protocol, cohortFile: opts.cohort, seed: opts.seed, target: opts.target, maxScreened: opts.maxScreened, moves: opts.move,
            replicates: opts.replicates, workers: opts.workers, batchSize: opts.batchSize, scenario: opts.scenario, out: opts.out, force: Boolean(opts.force), argv: recordedArgs(argv),
            onProgress: (p) => progress.update(`variant ${p.point}/${p.points} (${p.label}) ${p.scenario}: replicate ${p.done}/${p.total} · ${rateText(p.doneAll, p.totalAll, t0, performance.now())}`),
          });
          progress.stop();
          if (opts.quiet && opts.format === 'text') return;
          const done = `${r.computed.length} of ${r.rows.length === 0 ? 0 : new Set(r.rows.map((x) => x.variant)).size} variants computed${r.reused.length ? `, ${r.reused.length} already complete in ${r.out} (resumed)` : ''}: ${r.replicatesRun} replicate trials in ${r.seconds.toFixed(1)} s`;
          io.stdout(opts.format === 'json' ? JSON.stringify(r, null, 2) : `${tradeOffsReplicatesText(r)}\n\n${done}; wrote ${r.out}`);
        } finally {
          progress.stop();
        }
        return;
      }
      if (opts.tradeOffs) {
        const r = screenTradeOffs({ protocolFile: protocol, cohortFile: opts.cohort, seed: opts.seed, replicate: opts.replicate, target: opts.target, maxScreened: opts.maxScreened, moves: opts.move });
        if (!(opts.quiet && opts.format === 'text')) io.stdout(opts.format === 'json' ? JSON.stringify(r, null, 2) : tradeOffsText(r));
        return;
      }
      if (opts.move.length > 0) throw new UsageError('--move belongs to --trade-offs');
      try {
        const result = screenCommand({ protocolFile: protocol, cohortFile: opts.cohort, seed: opts.seed, replicate: opts.replicate, target: opts.target, maxScreened: opts.maxScreened });
        if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.screen[opts.format](result));
      } catch (err) {
        if (err instanceof EnrolmentShortfall && opts.format === 'text' && !opts.quiet) io.stderr(screeningFlowText(err.flow) + '\n');
        if (err instanceof EnrolmentShortfall && opts.format === 'json') io.stdout(JSON.stringify({ protocol, error: err.message, ...err.flow }, null, 2));
        throw err;
      }
    });

  program
    .command('run')
    .summary('simulate one virtual trial and write ADaM-shaped tables')
    .description(
      'Screen, enrol, randomise and simulate one virtual trial of the protocol. Every enrolled twin is simulated under\nevery arm (its counterfactuals); the trial observes the assigned arm. Writes the output files below into the\noutput directory (all or nothing: run.json last). With --replicates, runs R replicate trials of every scenario.',
    )
    .argument('<protocol>', 'protocol spec (YAML or JSON)')
    .requiredOption('-o, --out <dir>', 'output directory (created if missing; must be empty unless --force)')
    .option('-c, --cohort <file>', 'use this cohort instead of the protocol\'s')
    .addOption(seedOption())
    .option('-f, --force', `write into a non-empty directory, replacing only files vtrial writes (${forceHelp()}); other files are left alone`)
    .addOption(new Option('-r, --replicates <int>', `run R replicate trials and report operating characteristics (at most ${LIMITS.replicates.toLocaleString('en-US')})`).argParser(parseInteger(1, 'a number of replicates', LIMITS.replicates, 'this is a hard limit (the Monte Carlo SE of a power is at most 0.0005 there, and summaries keep a few numbers per replicate in memory)')))
    .addOption(new Option('-w, --workers <int>', 'worker threads for replicates, at most the available cores (results do not depend on it)').argParser(parseInteger(1, 'a number of workers')).default(defaultWorkers(availableParallelism()), 'available cores'))
    .option('--allow-oversubscribe', `allow more --workers than available cores (up to ${LIMITS.workers})`)
    .addOption(new Option('--batch-size <int>', 'replicates per worker task (results do not depend on it)').argParser(parseInteger(1, 'a batch size', LIMITS.batchSize)))
    .option('-s, --scenario <name>', 'run only this scenario (default: base and every scenario of the protocol)')
    .addOption(new Option('-k, --keep-patients <int>', 'write patient-level ADaM files for the first K replicates of each scenario').argParser(parseInteger(0, 'a number of replicates', LIMITS.replicates)).default(1))
    .addOption(shardOption('replicates'))
    .addOption(shardsOption())
    .addOption(formatOption())
    .option('-q, --quiet', 'no progress and no text summary (errors are still printed)')
    .option('--report', 'also write the HTML report (vtrial report) into the output directory')
    .option('--ignore-stopping', 'with interim looks (single run): write the trial at its planned end even where a look stopped it (interim-looks.csv reports the looks either way)')
    .addHelpText(
      'after',
      `${outputFilesHelp([
        ['run', fileList(filesOf('run'))],
        ['run --replicates', `${fileList(filesOf('replicates'))}; ${PATIENTS_FOLDER.path} holds ${fileList(PATIENT_FILES)} of the first K replicates`],
        ['--shard k/n', fileList(SHARD_FILES)],
      ])}

Examples:
  vtrial run protocols/t2d-weekly-injectable.yaml --seed 7 --out runs/t2d
  vtrial run protocols/t2d-weekly-injectable.yaml --replicates 1000 --out runs/t2d-oc
  vtrial run protocols/t2d-weekly-injectable.yaml --replicates 1000 --scenario null --workers 2 --out runs/t2d-null
  vtrial run protocols/nsclc-first-line.yaml --replicates 10000 --shard 3/8 --out shards/3   # then: vtrial merge shards/* --out oc
  vtrial run protocols/nsclc-first-line.yaml --replicates 10000 --shard auto --out shards/$SLURM_ARRAY_TASK_ID   # in a Slurm job array
  vtrial run protocols/hypertension-dose-ranging.yaml --out runs/htn --force --format json`,
    )
    .action(
      async (
        protocol: string,
        opts: { out: string; cohort?: string; seed: number; force?: boolean; replicates?: number; workers: number; allowOversubscribe?: boolean; batchSize?: number; scenario?: string; keepPatients: number; shard?: { k: number; n: number } | 'auto'; shards?: number; format: ReportFormat; quiet?: boolean; report?: boolean; ignoreStopping?: boolean },
      ) => {
        const tooMany = checkWorkers(opts.workers, availableParallelism(), Boolean(opts.allowOversubscribe));
        if (tooMany) throw new UsageError(tooMany);
        const shard = resolveShard(opts.shard, opts.shards, io.env ?? process.env);
        const replicateMode = opts.replicates !== undefined || shard !== undefined || opts.scenario !== undefined;
        if (replicateMode && opts.ignoreStopping) throw new UsageError('--ignore-stopping applies to a single run (replicate runs report the sequential design and the fixed design side by side)');
        if (!replicateMode) {
          const result = await runCommand({ protocolFile: protocol, cohortFile: opts.cohort, seed: opts.seed, out: opts.out, force: Boolean(opts.force), argv: recordedArgs(argv), ignoreStopping: Boolean(opts.ignoreStopping) });
          if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.run[opts.format](result));
          for (const w of runStudyEndWarnings(result.cutoff)) io.stderr(`vtrial: ${w}`);
          await afterWrite(io, opts.out, Boolean(opts.report), opts.format, opts.quiet);
          return;
        }
        const progress = progressFor(io, 'vtrial run', opts.quiet);
        const t0 = performance.now();
        try {
          const result = await replicatesCommand({
            protocolFile: protocol,
            cohortFile: opts.cohort,
            seed: opts.seed,
            replicates: opts.replicates ?? 1,
            workers: opts.workers,
            batchSize: opts.batchSize,
            scenario: opts.scenario,
            keepPatients: opts.keepPatients,
            shard,
            out: opts.out,
            force: Boolean(opts.force),
            argv: recordedArgs(argv),
            onProgress: (p) =>
              progress.update(`scenario ${p.scenario} (${p.scenarioNumber}/${p.scenarios}): replicate ${p.done}/${p.total} · ${rateText(p.doneAll, p.totalAll, t0, performance.now())}`),
          });
          progress.stop();
          if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.replicates[opts.format](result));
          for (const w of replicatesStudyEndWarnings(result.summary)) io.stderr(`vtrial: ${w}`);
          for (const n of result.notes) io.stderr(`vtrial: ${n}`);
          await afterWrite(io, opts.out, Boolean(opts.report), opts.format, opts.quiet);
        } finally {
          progress.stop();
        }
      },
    );

  program
    .command('compare')
    .summary('run several protocols with the same seed and compare their operating characteristics')
    .description(
      [
        'Runs the replicates of every protocol with the same seed (each into OUT/LABEL/, LABEL the file\'s base name), so',
        'protocols that share a cohort file share twins: replicate r of each sees the same patients (common random',
        'numbers). Writes the operating characteristics side by side, matched by scenario, endpoint, method, covariates',
        'and comparison, with each difference from the first protocol and its Monte Carlo SE (paired, and as independent',
        'runs would have it); what cannot be matched is listed. --fail-if sets exit code 4 when its condition holds.',
      ].join('\n'),
    )
    .argument('<protocols...>', 'two or more protocol specs (YAML or JSON); the first is the reference')
    .requiredOption('-o, --out <dir>', 'output directory (created if missing; must be empty unless --force)')
    .addOption(seedOption())
    .addOption(new Option('-r, --replicates <int>', `replicate trials per protocol and scenario (at most ${LIMITS.replicates.toLocaleString('en-US')})`).argParser(parseInteger(1, 'a number of replicates', LIMITS.replicates)).default(1000))
    .addOption(new Option('-w, --workers <int>', 'worker threads, at most the available cores (results do not depend on it)').argParser(parseInteger(1, 'a number of workers')).default(defaultWorkers(availableParallelism()), 'available cores'))
    .option('--allow-oversubscribe', `allow more --workers than available cores (up to ${LIMITS.workers})`)
    .addOption(new Option('--batch-size <int>', 'replicates per worker task (results do not depend on it)').argParser(parseInteger(1, 'a batch size', LIMITS.batchSize)))
    .option('--fail-if <condition>', `exit code 4 when the condition holds for a primary analysis of any protocol (scenario base); variables: ${Object.keys(FAIL_IF_VARIABLES).join(', ')}`)
    .option('--report', 'also write the HTML report (vtrial report) into the output directory')
    .option('-f, --force', `write into a non-empty directory, replacing only files vtrial writes (${forceHelp()}); other files are left alone`)
    .addOption(formatOption())
    .option('-q, --quiet', 'no progress and no text summary (errors are still printed)')
    .addHelpText(
      'after',
      `${outputFilesHelp([['compare', `${fileList(filesOf('compare'))}; LABEL/ a replicate run per protocol`]])}

Examples:
  vtrial compare protocols/t2d-weekly-injectable.yaml protocols/t2d-twin-controls.yaml --replicates 500 --out runs/cmp
  vtrial compare a.yaml b.yaml --replicates 2000 --format json --fail-if "power < 0.8 or type1 > 0.025" --out runs/gate`,
    )
    .action(async (protocols: string[], opts: { out: string; seed: number; replicates: number; workers: number; allowOversubscribe?: boolean; batchSize?: number; failIf?: string; force?: boolean; format: ReportFormat; quiet?: boolean; report?: boolean }) => {
      const tooMany = checkWorkers(opts.workers, availableParallelism(), Boolean(opts.allowOversubscribe));
      if (tooMany) throw new UsageError(tooMany);
      const progress = progressFor(io, 'vtrial compare', opts.quiet);
      const t0 = performance.now();
      try {
        const result = await compareCommand({
          protocolFiles: protocols,
          seed: opts.seed,
          replicates: opts.replicates,
          workers: opts.workers,
          batchSize: opts.batchSize,
          failIf: opts.failIf,
          out: opts.out,
          force: Boolean(opts.force),
          argv: recordedArgs(argv),
          onProgress: (p) =>
            progress.update(`protocol ${p.protocol} (${p.protocolNumber}/${p.protocols}), scenario ${p.scenario} (${p.scenarioNumber}/${p.scenarios}): replicate ${p.done}/${p.total} · ${rateText(p.doneAll, p.totalAll, t0, performance.now())}`),
        });
        progress.stop();
        if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.compare[opts.format](result));
        await afterWrite(io, opts.out, Boolean(opts.report), opts.format, opts.quiet);
        if (result.summary.failIf?.holds) {
          io.stderr(`vtrial: --fail-if holds: ${result.summary.failIf.hits.map((h) => `${h.protocol} ${h.analysis}${h.na ? ` (${h.na})` : ''}`).join('; ')}`);
          throw new CommanderError(EXIT.condition, 'vtrial.condition', '');
        }
      } finally {
        progress.stop();
      }
    });

  program
    .command('sweep')
    .summary('operating characteristics over a design grid (power curves), with common random numbers')
    .description(
      'Run R replicates of every point of a grid over protocol values (--vary PATH=VALUES, repeatable: the grid is their cartesian product; default: the protocol\'s sweeps: section), crossed with its scenarios. Replicate r of every point simulates the same twins (common random numbers), so differences between points carry far less Monte Carlo error than the points themselves. Every point is checked first (exit code 2, naming the point). A re-run with the same --out, seed and inputs computes only the missing points.',
    )
    .argument('<protocol>', 'protocol spec (YAML or JSON)')
    .addOption(
      new Option('--vary <path=values>', 'a dotted protocol path and its values, repeatable: a list (0.6,0.7), a range FROM:TO:STEP (100:400:50), text ("a, b" in quotes keeps commas)')
        .argParser((v: string, prev: string[]) => [...prev, v])
        .default([], "the protocol's sweeps: section"),
    )
    .requiredOption('-o, --out <dir>', 'output directory (created if missing; a previous sweep there is resumed)')
    .addOption(new Option('-r, --replicates <int>', `replicates per point and scenario (default: the protocol's sweeps.replicates; at most ${LIMITS.replicates.toLocaleString('en-US')})`).argParser(parseInteger(1, 'a number of replicates', LIMITS.replicates)))
    .option('-c, --cohort <file>', 'use this cohort instead of the protocol\'s')
    .addOption(seedOption())
    .addOption(new Option('-w, --workers <int>', 'worker threads, at most the available cores (results do not depend on it)').argParser(parseInteger(1, 'a number of workers')).default(defaultWorkers(availableParallelism()), 'available cores'))
    .option('--allow-oversubscribe', `allow more --workers than available cores (up to ${LIMITS.workers})`)
    .addOption(new Option('--batch-size <int>', 'replicates per worker task (results do not depend on it)').argParser(parseInteger(1, 'a batch size', LIMITS.batchSize)))
    .option('-s, --scenario <name>', 'run only this scenario at every point (default: base and every scenario of the protocol)')
    .addOption(shardOption('points x replicates'))
    .addOption(shardsOption())
    .option('-f, --force', 'write beside files that are not a sweep\'s, and recompute points computed from other inputs')
    .option('--report', 'also write the HTML report (vtrial report) into the output directory (not with --shard)')
    .addOption(formatOption())
    .option('-q, --quiet', 'no progress and no text summary (errors are still printed)')
    .addHelpText(
      'after',
      `${outputFilesHelp([
        ['sweep', `${fileList(filesOf('sweep'))}; ${POINTS_FOLDER.path} holds each point's replicate run`],
        ['--shard k/n', `run.json and ${POINTS_FOLDER.path} of the points it shares (record files)`],
      ])}

Examples:
  vtrial sweep protocols/t2d-weekly-injectable.yaml --vary enrolment.target=100:400:100 --replicates 500 --out sweeps/n
  vtrial sweep protocols/t2d-weekly-injectable.yaml --vary enrolment.target=200,300 --vary biomarkers.hba1c.drug_effect.emax=-0.8,-1.2 -r 200 --out sweeps/grid
  vtrial sweep protocols/t2d-weekly-injectable.yaml --vary 'enrolment.inclusion.1.expr="hba1c >= 7.5 and hba1c <= 10.0","hba1c >= 7 and hba1c <= 10.5"' -r 200 --out sweeps/criteria
  vtrial sweep design.yaml --out sweeps/design                       # grid and replicates from its sweeps: section
  vtrial sweep design.yaml --shard auto --out shards/$SLURM_ARRAY_TASK_ID   # then: vtrial merge shards/* --out sweeps/design`,
    )
    .action(
      async (
        protocol: string,
        opts: { vary: string[]; out: string; replicates?: number; cohort?: string; seed: number; workers: number; allowOversubscribe?: boolean; batchSize?: number; scenario?: string; shard?: { k: number; n: number } | 'auto'; shards?: number; force?: boolean; format: ReportFormat; quiet?: boolean; report?: boolean },
      ) => {
        const tooMany = checkWorkers(opts.workers, availableParallelism(), Boolean(opts.allowOversubscribe));
        if (tooMany) throw new UsageError(tooMany);
        const shard = resolveShard(opts.shard, opts.shards, io.env ?? process.env);
        if (opts.report && shard) throw new UsageError('--report: a shard of a sweep has no report; give --report to the merge of all shards (vtrial merge ... --report)');
        const progress = progressFor(io, 'vtrial sweep', opts.quiet);
        const t0 = performance.now();
        try {
          const r = await sweepCommand({
            protocolFile: protocol,
            cohortFile: opts.cohort,
            vary: opts.vary,
            replicates: opts.replicates,
            seed: opts.seed,
            workers: opts.workers,
            batchSize: opts.batchSize,
            scenario: opts.scenario,
            shard,
            out: opts.out,
            force: Boolean(opts.force),
            argv: recordedArgs(argv),
            onProgress: (p) => progress.update(`point ${p.point}/${p.points} (${p.label}) ${p.scenario}: replicate ${p.done}/${p.total} · ${rateText(p.doneAll, p.totalAll, t0, performance.now())}`),
          });
          progress.stop();
          if (opts.quiet && opts.format === 'text') return void (await afterWrite(io, opts.out, Boolean(opts.report), opts.format, opts.quiet));
          const done = `${r.computed.length} of ${r.points} points computed${r.reused.length ? `, ${r.reused.length} already complete in ${r.out} (resumed)` : ''}: ${r.replicatesRun} replicate trials in ${r.seconds.toFixed(1)} s`;
          if (opts.format === 'json') io.stdout(JSON.stringify(r.summary ?? { shard: r.shard, out: r.out, computed: r.computed, reused: r.reused, replicates: r.replicatesRun }, null, 2));
          else io.stdout(r.summary ? `${sweepSummaryText(r.summary)}\n\n${done}; wrote ${r.out}` : `Shard ${r.shard!.k}/${r.shard!.n}: ${done}; records written to ${r.out} (combine all shards with vtrial merge)`);
          if (r.summary) await afterWrite(io, opts.out, Boolean(opts.report), opts.format, opts.quiet);
        } finally {
          progress.stop();
        }
      },
    );

  program
    .command('merge')
    .summary('combine shards of a replicate run into the unsharded result')
    .description('Combine the output directories of `vtrial run --replicates R --shard k/n` or of `vtrial sweep --shard k/n` (all n\nshards) into the result an unsharded run gives, byte for byte (run.json aside: it names the shards).')
    .argument('<dirs...>', 'shard output directories')
    .requiredOption('-o, --out <dir>', 'output directory (must be empty unless --force)')
    .option('-f, --force', `write into a non-empty directory, replacing only files vtrial writes (${forceHelp()}; a sweep's points/ when it holds only vtrial's point folders); other files are left alone; a failed merge changes nothing`)
    .addOption(formatOption())
    .option('-q, --quiet', 'no text summary')
    .option('--report', 'also write the HTML report (vtrial report) into the output directory')
    .addHelpText('after', `${outputFilesHelp([['merge', fileList(filesOf('merge'))]])}\n\nExamples:\n  vtrial merge shards/1 shards/2 shards/3 --out runs/oc\n  vtrial merge shards/* --out runs/oc --format json`)
    .action(async (dirs: string[], opts: { out: string; force?: boolean; format: ReportFormat; quiet?: boolean; report?: boolean }) => {
      const r = await mergeCommand(dirs, opts.out, Boolean(opts.force));
      if (!(opts.quiet && opts.format === 'text')) {
        // The shards of a sweep merge into a sweep.
        const sweep = (r as { sweep?: SweepSummary }).sweep;
        if (sweep) io.stdout(opts.format === 'json' ? JSON.stringify(sweep, null, 2) : `${sweepSummaryText(sweep)}\n\nMerged ${r.shards} shards into ${r.out}`);
        else io.stdout(reporters.merge[opts.format](r));
      }
      if (!(r as { sweep?: SweepSummary }).sweep) for (const w of replicatesStudyEndWarnings(r.summary)) io.stderr(`vtrial: ${w}`);
      await afterWrite(io, opts.out, Boolean(opts.report), opts.format, opts.quiet);
    });

  program
    .command('report')
    .summary('write an HTML report of an output directory')
    .description(
      'Write one self-contained HTML page (inline SVG charts and CSS, no scripts, opens offline) from the output directory\nof vtrial run, run --replicates, merge, analyze, sweep or compare: the charts its files allow, the efficacy and safety tables, the\nscreening flow, the resolved protocol and the run manifest. Each chart\'s Vega-Lite specification is written as JSON\nbeside the page (DIR/report/NN-name.vl.json for DIR/report.html). The same directory gives the same bytes.',
    )
    .argument('<dir>', 'an output directory of vtrial run, run --replicates, merge, analyze, sweep or compare')
    .option('-o, --out <file>', 'write the page here (a .html file) instead of DIR/report.html')
    .option('-f, --force', 'replace an existing --out file (DIR/report.html is always replaced)')
    .addOption(formatOption())
    .option('-q, --quiet', 'no text summary (errors are still printed)')
    .addHelpText('after', '\nExamples:\n  vtrial report runs/demo                      # runs/demo/report.html and runs/demo/report/*.vl.json\n  vtrial report runs/t2d-oc --out t2d-oc.html\n  vtrial run protocols/t2d-weekly-injectable.yaml --out runs/t2d --report')
    .action(async (dir: string, opts: { out?: string; force?: boolean; format: ReportFormat; quiet?: boolean }) => {
      const r = await reportCommand({ dir, out: opts.out, force: Boolean(opts.force) });
      if (opts.format === 'json') io.stdout(JSON.stringify(r, null, 2));
      else if (!opts.quiet) io.stdout(reportText(r));
    });

  program
    .command('analyze')
    .summary('apply a protocol\'s analysis plan to ADaM-shaped CSV files')
    .description(
      'Apply the protocol\'s analysis plan to a directory of ADaM-shaped CSV files (adsl, adeff, adtte, adae; counterfactual\noptional), a previous run\'s output or a real trial\'s export in the same shape, without simulating. Writes the\noutput files below into <dir> or --out.',
    )
    .argument('<dir>', 'directory with adsl.csv, adeff.csv, adtte.csv and adae.csv')
    .requiredOption('-p, --protocol <file>', 'protocol whose arms, endpoints and analysis plan apply')
    .option('-c, --cohort <file>', 'use this cohort instead of the protocol\'s (its covariates type the plan\'s covariates)')
    .option('-o, --out <dir>', 'write the results here instead of into <dir> (required when <dir> is a vtrial run\'s directory)')
    .option('-f, --force', `replace existing ${fileList(filesOf('analyze'))} in the output directory`)
    .addOption(new Option('--seed <int>', 'random seed of analyses that draw (method: mi); default: the seed in <dir>/run.json, else 1').argParser(parseInteger(0, 'a seed')))
    .addOption(new Option('--replicate <int>', 'with --seed: the replicate the files are (replicate-N of run --keep-patients is N-1)').argParser(parseInteger(0, 'a replicate')).default(0))
    .addOption(formatOption())
    .option('-q, --quiet', 'no text summary (errors are still printed)')
    .addHelpText(
      'after',
      `${outputFilesHelp([['analyze', fileList(filesOf('analyze'))]])}

Examples:
  vtrial analyze runs/t2d --protocol protocols/t2d-weekly-injectable.yaml --out runs/t2d-reanalysis
  vtrial analyze exports/study-301 --protocol protocols/t2d-weekly-injectable.yaml --out results/301 --format json`,
    )
    .action(async (dir: string, opts: { protocol: string; cohort?: string; out?: string; force?: boolean; seed?: number; replicate: number; format: ReportFormat; quiet?: boolean }) => {
      const result = await analyzeCommand({ dir, protocolFile: opts.protocol, cohortFile: opts.cohort, out: opts.out, force: Boolean(opts.force), seed: opts.seed, replicate: opts.replicate });
      if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.analyze[opts.format](result));
    });

  program
    .command('sample-size')
    .summary('analytic sample size or power: means (t test, PROCOVA), two proportions, hazard ratio (events); fixed or group-sequential')
    .description(
      [
        'Analytic sample size (given --power) or power (given --n or --events) of a two-arm comparison. The effect chooses the mode:',
        '  --delta D --sd S     difference in means: t test as R\'s power.t.test; with --rho also PROCOVA (prognostic covariate',
        '                       adjustment: variance (1 - rho^2) sd^2, non-central t with n - 2 - p df; rho may be deflated)',
        '  --p1 P --p2 Q        two proportions (active P, control Q): normal approximation as rpact\'s getSampleSizeRates',
        '  --hr H               hazard ratio: Schoenfeld\'s number of events for the log-rank test',
        'With --looks K (2 or more) the design is group-sequential with alpha spending (means and hazard ratios), as rpact\'s',
        'getSampleSizeMeans and the events of getSampleSizeSurvival: boundaries, alpha spent, rejection per look, maximum and',
        'expected size under H0 and H1. Sizes are patients in both arms (and per arm) or events, not rounded; check a design by',
        'simulation with vtrial run --replicates.',
        'With a PROTOCOL (and no effect flags) the size is found by simulation: the smallest enrolment.target (or --vary PATH)',
        'at which the primary analyses all reject (or --analysis ENDPOINT[:METHOD]) with probability --power, by a search that',
        'fits probit(power) = a + b log N to simulated points (common random numbers; the points are kept in --out for resuming),',
        'with a Monte Carlo interval, the power at N and the type I error there under the null scenario. --grid (and every',
        '--shard k/n) simulates a fixed grid instead; merge the shards with vtrial sample-size --merge DIR... --out OUT.',
        'Real-valued paths (an Emax, an SD) are searched on multiples of --step; --direction decrease when smaller values give',
        'more power. A search without an answer writes sample-size.json (converged: false, reason) and exits with code 3.',
      ].join('\n'),
    )
    .argument('[protocol]', 'protocol spec: search its size by simulation (README "Sample size by simulation")')
    .option('--vary <path>', 'simulation: the monotone numeric path searched (default enrolment.target)')
    .option('--analysis <endpoint[:method]>', 'simulation: the analysis that must reject (default: every primary analysis)')
    .addOption(new Option('--criterion <rule>', "simulation: success is every primary analysis rejecting (all-primary, the default) or at least one after the plan's multiplicity adjustment (plan)").choices(['all-primary', 'plan']))
    .addOption(new Option('--start <from>', 'simulation: start from the analytic guess of a pilot run (analytic, the default) or from the protocol\'s value (protocol)').choices(['analytic', 'protocol']).default('analytic'))
    .addOption(new Option('--pilot <int>', 'simulation: replicates of the pilot run that reads effect and SD (or events) for the analytic guess').argParser(parseInteger(10, 'a number of replicates', LIMITS.replicates)).default(200))
    .option('--grid', 'simulation: a fixed grid of 0.5, 0.7, 0.85, 1, 1.2, 1.5 and 2 times the start, fitted once (not adaptive)')
    .addOption(shardOption('fixed grid\'s points x replicates (implies --grid)'))
    .addOption(shardsOption())
    .option('--merge <dirs...>', 'simulation: merge the shards of a --shard k/n search into --out (no PROTOCOL)')
    .addOption(new Option('--direction <dir>', 'simulation: power rises with the value (increase: the smallest value reaching --power) or falls (decrease: the largest)').choices(['increase', 'decrease']).default('increase'))
    .option('--step <x>', 'simulation: values searched are multiples of this (default: the randomisation block for enrolment.target, 1 for whole-number paths, 3 significant digits of the protocol\'s value for real ones)', parseReal('a step'))
    .option('--min <x>', 'simulation: the smallest value searched (default one step)', parseReal('a value'))
    .option('--max <x>', 'simulation: the largest value searched (default no limit)', parseReal('a value'))
    .addOption(new Option('--rounds <int>', 'simulation: rounds of the adaptive search before it stops without an answer (exit code 3)').argParser(parseInteger(1, 'a number of rounds', 100)).default(8))
    .addOption(new Option('-r, --replicates <int>', 'simulation: replicates per value searched').argParser(parseInteger(1, 'a number of replicates', LIMITS.replicates)).default(1000))
    .addOption(seedOption())
    .addOption(new Option('-w, --workers <int>', 'simulation: worker threads (results do not depend on it)').argParser(parseInteger(1, 'a number of workers')).default(defaultWorkers(availableParallelism()), 'available cores'))
    .option('-o, --out <dir>', 'simulation: output directory (the points searched, sample-size.json, sample-size-search.csv; resumed when re-run)')
    .option('-f, --force', 'simulation: write beside other files and recompute points computed from other inputs')
    .option('-q, --quiet', 'simulation: no progress')
    .option('--delta <x>', 'difference in means to detect', parseReal('a treatment difference'))
    .option('--sd <x>', 'outcome standard deviation', parseReal('a standard deviation'))
    .option('--rho <x>', 'PROCOVA: correlation between prognostic score and outcome', parseReal('a correlation'))
    .option('--deflate <x>', 'PROCOVA: multiply rho by this factor for conservative planning', parseReal('a deflation factor'), 1)
    .addOption(new Option('--covariates <int>', 'PROCOVA: number of adjustment covariates (the score counts as one)').argParser(parseInteger(1, 'a number of covariates', LIMITS.covariates)).default(1))
    .option('--p1 <x>', 'response proportion in the active arm', parseReal('a proportion'))
    .option('--p2 <x>', 'response proportion in the control arm', parseReal('a proportion'))
    .option('--hr <x>', 'hazard ratio, active vs control', parseReal('a hazard ratio'))
    .option('--power <x>', 'target power: solve for the size (default 0.8 when neither --n nor --events is given)', parseReal('a power'))
    .option('--n <x>', 'patients in both arms: give the power at this size (means, proportions)', parseReal('a number of patients'))
    .option('--events <x>', 'events: give the power at this number of events (hazard ratio)', parseReal('a number of events'))
    .option('--alpha <x>', 'significance level (two-sided with --sided 2, one-sided with --sided 1)', parseReal('a significance level'), 0.05)
    .addOption(new Option('--sided <s>', 'two-sided or one-sided test').choices(['1', '2']).default('2'))
    .option('--allocation <x>', 'allocation ratio active : control (e.g. 2 for 2:1)', parseReal('an allocation ratio'), 1)
    .addOption(new Option('--looks <int>', 'number of analyses of a group-sequential design (interims + final)').argParser(parseInteger(1, 'a number of looks', 20)).default(1))
    .option('--information <list>', 'cumulative information rates of the looks, e.g. 0.33,0.67,1 (default equally spaced)', parseRealList('information rates'))
    .addOption(new Option('--spending <name>', "efficacy boundaries: alpha spending of Lan-DeMets O'Brien-Fleming (of) or Pocock (pocock) type, Hwang-Shih-DeCani (hsd) or Kim-DeMets (kd) with --gamma, or the classical designs").choices(Object.keys(SPENDING)).default('of'))
    .option('--gamma <x>', "Hwang-Shih-DeCani's gamma (--spending hsd) or Kim-DeMets' rho (--spending kd)", parseReal('a gamma'))
    .option('--futility <list>', 'futility bounds on the z scale at looks 1..K-1, e.g. 0,0 (one-sided designs; non-binding unless --binding)', parseRealList('futility bounds'))
    .option('--binding', 'the futility bounds bind: boundaries are computed with them in place (lower efficacy boundaries)')
    .addOption(formatOption())
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  vtrial sample-size --delta 0.5 --sd 1                      # t test: 64 per arm for 80% power',
        '  vtrial sample-size --delta 0.35 --sd 1.22 --rho 0.82       # and with PROCOVA',
        '  vtrial sample-size --delta 0.5 --sd 1 --n 100              # power with 100 patients in all',
        '  vtrial sample-size --p1 0.45 --p2 0.3 --power 0.9          # two proportions',
        '  vtrial sample-size --hr 0.7 --allocation 2                 # events for 2:1',
        '  vtrial sample-size --hr 0.7 --events 200                   # power with 200 events',
        '  vtrial sample-size --hr 0.75 --sided 1 --alpha 0.025 --looks 3 --futility 0,0   # group-sequential',
        '  vtrial sample-size protocols/t2d-weekly-injectable.yaml --power 0.9 -r 1000 --out runs/n   # by simulation',
      ].join('\n'),
    )
    .action(async (protocol: string | undefined, opts: SampleSizeOptions & { vary?: string; analysis?: string; criterion?: 'all-primary' | 'plan'; start: 'analytic' | 'protocol'; pilot: number; grid?: boolean; shard?: { k: number; n: number } | 'auto'; shards?: number; merge?: string[]; direction: 'increase' | 'decrease'; step?: number; min?: number; max?: number; rounds: number; replicates: number; seed: number; workers: number; out?: string; force?: boolean; quiet?: boolean }, cmd: Command) => {
      if (opts.merge) {
        if (protocol !== undefined) throw new UsageError('sample-size --merge: the shards hold the protocol; give no PROTOCOL');
        if (!opts.out) throw new UsageError('sample-size --merge: give --out DIR');
        const r = await sampleSizeMerge({ dirs: opts.merge, out: opts.out, force: Boolean(opts.force), argv: recordedArgs(argv) });
        const { search, ...rest } = r;
        io.stdout(opts.format === 'json' ? JSON.stringify({ ...rest, search }, null, 2) : `${sampleSizeSimulationText(r)}\n\nwrote ${r.out} in ${r.seconds.toFixed(1)} s`);
        sampleSizeExit(io, r);
        return;
      }
      if (protocol !== undefined) {
        const shard = resolveShard(opts.shard, opts.shards, io.env ?? process.env);
        const effects = (['delta', 'sd', 'rho', 'p1', 'p2', 'hr', 'n', 'events'] as const).filter((k) => opts[k] !== undefined);
        if (effects.length > 0) throw new UsageError(`sample-size ${protocol}: the simulation takes the effect from the protocol; ${effects.map((k) => `--${k}`).join(', ')} belong to the analytic modes`);
        if (!opts.out) throw new UsageError('sample-size PROTOCOL: give --out DIR (the points searched are kept there)');
        const tooMany = checkWorkers(opts.workers, availableParallelism(), false);
        if (tooMany) throw new UsageError(tooMany);
        const progress = progressFor(io, 'vtrial sample-size', opts.quiet);
        try {
          const r = await sampleSizeSimulation({
            protocolFile: protocol, power: opts.power ?? 0.8, path: opts.vary, direction: opts.direction, step: opts.step, min: opts.min, max: opts.max, maxRounds: opts.rounds, analysis: opts.analysis, criterion: opts.criterion, start: opts.start, pilotReplicates: opts.pilot, grid: opts.grid, shard, replicates: opts.replicates, seed: opts.seed, workers: opts.workers, out: opts.out, force: Boolean(opts.force), argv: recordedArgs(argv),
            onProgress: (p) => progress.update(`${p.round < 0 ? 'pilot' : p.round === 0 ? 'null' : `round ${p.round}`} · ${p.label} ${p.scenario}: replicate ${p.done}/${p.total}`),
          });
          progress.stop();
          const { search, ...rest } = r;
          io.stdout(opts.format === 'json' ? JSON.stringify({ ...rest, search }, null, 2) : `${sampleSizeSimulationText(r)}\n\nwrote ${r.out} in ${r.seconds.toFixed(1)} s`);
          sampleSizeExit(io, r);
        } finally {
          progress.stop();
        }
        return;
      }
      // The analytic modes would silently ignore the simulation's options: say so instead.
      const simulationOnly = ['vary', 'analysis', 'criterion', 'start', 'pilot', 'grid', 'shard', 'shards', 'direction', 'step', 'min', 'max', 'rounds', 'replicates', 'seed', 'workers', 'out', 'force'].filter((k) => cmd.getOptionValueSource(k) === 'cli');
      if (simulationOnly.length > 0) throw new UsageError(`sample-size: ${simulationOnly.map((k) => cmd.options.find((o) => o.attributeName() === k)?.long ?? `--${k}`).join(', ')} belong to the simulation (sample-size PROTOCOL ...); the analytic modes take the effect flags (--delta, --p1/--p2, --hr)`);
      const result = sampleSizeCommand(sampleSizeRequest(opts));
      io.stdout(reporters.sampleSize[opts.format](result));
    });

  program
    .command('validate')
    .summary('check cohort and protocol specs without running anything')
    .description('Check cohort and protocol specs (and the files they reference) without running anything.\nEvery problem is listed with file:line:column, the path inside the file, what was expected and what was found.')
    .argument('<files...>', 'spec files (YAML or JSON)')
    .addOption(formatOption())
    .addHelpText('after', '\nExamples:\n  vtrial validate cohorts/*.yaml protocols/*.yaml\n  vtrial validate my-protocol.yaml --format json')
    .action((files: string[], opts: { format: ReportFormat }) => {
      const entries = validateCommand(files);
      io.stdout(reporters.validate[opts.format](entries));
      if (entries.some((e) => !e.ok)) throw new CommanderError(EXIT.usage, 'vtrial.invalid', '');
    });

  return program;
}

/**
 * After run and merge: with --report, the report of the directory just written (a text line
 * unless --quiet or --format json); without, a note on stderr when an earlier report.html is
 * there (it is not a file of the run, so --force leaves it, and it now describes older results).
 */
async function afterWrite(io: Io, dir: string, report: boolean, format: ReportFormat, quiet: boolean | undefined): Promise<void> {
  if (report) {
    const r = await reportCommand({ dir });
    if (format === 'text' && !quiet) io.stdout(reportText(r));
  } else if (!quiet && existsSync(join(dir, REPORT_FILE))) {
    io.stderr(`vtrial: note: ${join(dir, REPORT_FILE)} is the report of earlier results; make it again with \`vtrial report ${dir}\``);
  }
}

/** A simulated sample-size search's warnings (stderr), and exit code 3 when it has no answer (README "Exit codes"). */
function sampleSizeExit(io: Io, r: Parameters<typeof sampleSizeSimulationOutcome>[0]): void {
  const { warnings, failure } = sampleSizeSimulationOutcome(r);
  for (const w of warnings) io.stderr(`vtrial: warning: ${w}`);
  if (failure) {
    io.stderr(`vtrial: ${failure}`);
    throw new CommanderError(EXIT.shortfall, 'vtrial.shortfall', '');
  }
}

/** Runs the CLI and returns the exit code (bin/vtrial.js sets process.exitCode from it). */
export async function runCli(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  // Relative paths resolve against the working directory: if it was deleted, say so, before any work.
  try {
    process.cwd();
  } catch {
    io.stderr('vtrial: the current directory no longer exists (it was deleted or moved); change to an existing directory');
    return EXIT.usage;
  }
  const program = buildProgram(io, argv);
  try {
    await program.parseAsync(argv as string[]);
    return EXIT.ok;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: Io): number {
  // The reader of our output went away (`vtrial ... | head`): stop quietly, as `yes | head` does.
  if (isClosedPipe(err)) return EXIT.ok;
  // Standard output cannot be written (a full disk, /dev/full): one line, exit 1.
  if (isStdoutFailure(err)) {
    reportStdoutFailure(err);
    return EXIT.runtime;
  }
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    if (err.code === 'vtrial.invalid') return EXIT.usage;
    if (err.code === 'vtrial.condition') return EXIT.condition;
    if (err.code === 'vtrial.shortfall') return EXIT.shortfall;
    return EXIT.usage; // commander has already printed the message
  }
  if (err instanceof SpecError || err instanceof DataError || err instanceof UsageError) {
    io.stderr(`vtrial: ${err.message}`);
    return EXIT.usage;
  }
  if (err instanceof EnrolmentShortfall) {
    io.stderr(`vtrial: ${err.message}`);
    return EXIT.shortfall;
  }
  const e = err as Error;
  io.stderr(`vtrial: ${e?.message ?? String(err)}`);
  if (process.env.VTRIAL_DEBUG) io.stderr(e?.stack ?? '');
  return EXIT.runtime;
}
