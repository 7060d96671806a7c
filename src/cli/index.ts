/**
 * The vtrial command line: parses options (commander), calls the library command in src/app,
 * and prints the result with a reporter chosen by --format. Exit codes: 0 ok, 1 runtime
 * failure, 2 usage, spec or input error, 3 enrolment target not reached, 128 + signal number when
 * interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { cohortCommand } from '../app/cohort-command.js';
import { runCommand } from '../app/run-command.js';
import { analyzeCommand } from '../app/analyze-command.js';
import { replicatesCommand } from '../app/replicates-command.js';
import { mergeCommand } from '../app/merge-command.js';
import { reportCommand, reportText, REPORT_FILE } from '../app/report-command.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { procovaSampleSize } from '../stats/procova-sample-size.js';
import { SampleSizeUnreachable, sampleSizeTTest } from '../stats/power.js';
import { EnrolmentShortfall } from '../screening/enrolment-shortfall.js';
import { EXIT } from './exit-codes.js';
import { UsageError } from '../errors/usage-error.js';
import { screenCommand } from '../app/screen-command.js';
import { validateCommand } from '../app/validate-command.js';
import { DataError } from '../errors/data-error.js';
import { formatFromPath } from '../io/table-writer.js';
import { filesOf, fileList, forceHelp, outputFilesHelp, PATIENT_FILES, PATIENTS_FOLDER, SHARD_FILES } from '../io/output-files.js';
import { SpecError } from '../spec/spec-error.js';
import { checkWorkers, defaultWorkers, LIMITS, parseChoice, parseInteger, parseReal, parseShard, REPORT_FORMATS, type ReportFormat } from './options.js';
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
  vtrial run protocols/t2d-weekly-injectable.yaml --replicates 1000 --out runs/t2d-oc`,
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
    .addOption(formatOption())
    .option('-q, --quiet', 'no text summary (errors are still printed)')
    .addHelpText(
      'after',
      `
Examples:
  vtrial screen protocols/t2d-weekly-injectable.yaml --seed 7
  vtrial screen protocols/t2d-weekly-injectable.yaml --target 1000 --format json`,
    )
    .action((protocol: string, opts: { cohort?: string; seed: number; replicate: number; target?: number; maxScreened?: number; format: ReportFormat; quiet?: boolean }) => {
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
    .addOption(new Option('--shard <k/n>', 'run only the k-th of n shares of the replicates (combine with vtrial merge)').argParser(parseShard))
    .addOption(formatOption())
    .option('-q, --quiet', 'no progress and no text summary (errors are still printed)')
    .option('--report', 'also write the HTML report (vtrial report) into the output directory')
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
  vtrial run protocols/hypertension-dose-ranging.yaml --out runs/htn --force --format json`,
    )
    .action(
      async (
        protocol: string,
        opts: { out: string; cohort?: string; seed: number; force?: boolean; replicates?: number; workers: number; allowOversubscribe?: boolean; batchSize?: number; scenario?: string; keepPatients: number; shard?: { k: number; n: number }; format: ReportFormat; quiet?: boolean; report?: boolean },
      ) => {
        const tooMany = checkWorkers(opts.workers, availableParallelism(), Boolean(opts.allowOversubscribe));
        if (tooMany) throw new UsageError(tooMany);
        const replicateMode = opts.replicates !== undefined || opts.shard !== undefined || opts.scenario !== undefined;
        if (!replicateMode) {
          const result = await runCommand({ protocolFile: protocol, cohortFile: opts.cohort, seed: opts.seed, out: opts.out, force: Boolean(opts.force), argv: recordedArgs(argv) });
          if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.run[opts.format](result));
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
            shard: opts.shard,
            out: opts.out,
            force: Boolean(opts.force),
            argv: recordedArgs(argv),
            onProgress: (p) =>
              progress.update(`scenario ${p.scenario} (${p.scenarioNumber}/${p.scenarios}): replicate ${p.done}/${p.total} · ${rateText(p.doneAll, p.totalAll, t0, performance.now())}`),
          });
          progress.stop();
          if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.replicates[opts.format](result));
          await afterWrite(io, opts.out, Boolean(opts.report), opts.format, opts.quiet);
        } finally {
          progress.stop();
        }
      },
    );

  program
    .command('merge')
    .summary('combine shards of a replicate run into the unsharded result')
    .description('Combine the output directories of `vtrial run --replicates R --shard k/n` (all n shards) into the result an\nunsharded run gives, byte for byte (run.json aside: it names the shards).')
    .argument('<dirs...>', 'shard output directories')
    .requiredOption('-o, --out <dir>', 'output directory (must be empty unless --force)')
    .option('-f, --force', `write into a non-empty directory, replacing only files vtrial writes (${forceHelp()}); other files are left alone`)
    .addOption(formatOption())
    .option('-q, --quiet', 'no text summary')
    .option('--report', 'also write the HTML report (vtrial report) into the output directory')
    .addHelpText('after', `${outputFilesHelp([['merge', fileList(filesOf('merge'))]])}\n\nExamples:\n  vtrial merge shards/1 shards/2 shards/3 --out runs/oc\n  vtrial merge shards/* --out runs/oc --format json`)
    .action(async (dirs: string[], opts: { out: string; force?: boolean; format: ReportFormat; quiet?: boolean; report?: boolean }) => {
      const r = await mergeCommand(dirs, opts.out, Boolean(opts.force));
      if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.merge[opts.format](r));
      await afterWrite(io, opts.out, Boolean(opts.report), opts.format, opts.quiet);
    });

  program
    .command('report')
    .summary('write an HTML report of an output directory')
    .description(
      'Write one self-contained HTML page (inline SVG charts and CSS, no scripts, opens offline) from the output directory\nof vtrial run, run --replicates, merge or analyze: the charts its files allow, the efficacy and safety tables, the\nscreening flow, the resolved protocol and the run manifest. Each chart\'s Vega-Lite specification is written as JSON\nbeside the page (DIR/report/NN-name.vl.json for DIR/report.html). The same directory gives the same bytes.',
    )
    .argument('<dir>', 'an output directory of vtrial run, run --replicates, merge or analyze')
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
    .addOption(formatOption())
    .option('-q, --quiet', 'no text summary (errors are still printed)')
    .addHelpText(
      'after',
      `${outputFilesHelp([['analyze', fileList(filesOf('analyze'))]])}

Examples:
  vtrial analyze runs/t2d --protocol protocols/t2d-weekly-injectable.yaml --out runs/t2d-reanalysis
  vtrial analyze exports/study-301 --protocol protocols/t2d-weekly-injectable.yaml --out results/301 --format json`,
    )
    .action(async (dir: string, opts: { protocol: string; cohort?: string; out?: string; force?: boolean; format: ReportFormat; quiet?: boolean }) => {
      const result = await analyzeCommand({ dir, protocolFile: opts.protocol, cohortFile: opts.cohort, out: opts.out, force: Boolean(opts.force) });
      if (!(opts.quiet && opts.format === 'text')) io.stdout(reporters.analyze[opts.format](result));
    });

  program
    .command('sample-size')
    .summary('per-arm sample size with and without a prognostic score (PROCOVA)')
    .description(
      'Per-arm sample size of a two-arm comparison of means: unadjusted (R\'s power.t.test) and with prognostic covariate\nadjustment (PROCOVA: variance (1 - rho^2) sd^2, non-central t with 2n - 2 - p df; rho may be deflated). Check the\nreduced design by simulation with a scenario that sets enrolment.target and vtrial run --replicates.',
    )
    .requiredOption('--delta <x>', 'treatment difference to detect', parseReal('a treatment difference'))
    .requiredOption('--sd <x>', 'outcome standard deviation (unadjusted)', parseReal('a standard deviation'))
    .requiredOption('--rho <x>', 'correlation between prognostic score and outcome', parseReal('a correlation'))
    .option('--power <x>', 'target power', parseReal('a power'), 0.8)
    .option('--alpha <x>', 'two-sided significance level', parseReal('a significance level'), 0.05)
    .addOption(new Option('--covariates <int>', 'number of adjustment covariates (the score counts as one)').argParser(parseInteger(1, 'a number of covariates', LIMITS.covariates)).default(1))
    .option('--deflate <x>', 'multiply rho by this factor for conservative planning', parseReal('a deflation factor'), 1)
    .addOption(formatOption())
    .addHelpText('after', '\nExamples:\n  vtrial sample-size --delta 0.5 --sd 1 --rho 0.6 --power 0.9\n  vtrial sample-size --delta 0.35 --sd 1.22 --rho 0.8 --deflate 0.9 --format json')
    .action((opts: { delta: number; sd: number; rho: number; power: number; alpha: number; covariates: number; deflate: number; format: ReportFormat }) => {
      // The ranges where the t quantile and the non-central t are computed reliably (an alpha of
      // 1e-16 makes 1 - alpha/2 round to 1); see the README's sample-size section.
      const effect = Math.abs(opts.delta) / opts.sd;
      for (const [k, v, ok, expected] of [
        ['delta', opts.delta, opts.delta !== 0, 'not 0'],
        ['sd', opts.sd, opts.sd > 0, '> 0'],
        ['delta', opts.delta, !(opts.sd > 0) || (Number.isFinite(effect) && effect >= 1e-6 && effect <= 1e6), 'with |delta|/sd between 1e-6 and 1e6'],
        ['rho', opts.rho, Math.abs(opts.rho) <= 1 - 1e-6, 'between -0.999999 and 0.999999'],
        ['alpha', opts.alpha, opts.alpha >= 1e-10 && opts.alpha <= 0.5, 'between 1e-10 and 0.5'],
        ['power', opts.power, opts.power > opts.alpha / 2 && opts.power <= 1 - 1e-10, 'above alpha/2 and at most 1 - 1e-10'],
        ['deflate', opts.deflate, opts.deflate > 0 && opts.deflate <= 1, 'in (0, 1]'],
      ] as const) {
        if (!Number.isFinite(v) || !ok) throw new UsageError(`--${k}: expected a value ${expected}, found ${v}`);
      }
      const solve = (label: string, f: () => number): number => {
        try {
          return f();
        } catch (err) {
          if (err instanceof SampleSizeUnreachable) throw new UsageError(`sample-size (${label}): ${err.message}`);
          throw err;
        }
      };
      const unadjusted = solve('unadjusted', () => sampleSizeTTest({ power: opts.power, delta: opts.delta, sd: opts.sd, alpha: opts.alpha }));
      const adjusted = solve('PROCOVA', () => procovaSampleSize({ ...opts }));
      const r = { ...opts, rhoUsed: opts.rho * opts.deflate, nPerArmUnadjusted: unadjusted, nPerArmAdjusted: adjusted, saving: 1 - Math.ceil(adjusted) / Math.ceil(unadjusted) };
      io.stdout(
        opts.format === 'json'
          ? JSON.stringify(r, null, 2)
          : `Per-arm n for power ${opts.power} at two-sided alpha ${opts.alpha} (delta ${opts.delta}, sd ${opts.sd}):\n  unadjusted (power.t.test):  ${unadjusted.toFixed(2)} -> ${Math.ceil(unadjusted)}\n  PROCOVA (rho ${r.rhoUsed.toFixed(3)}, ${opts.covariates} covariate${opts.covariates > 1 ? 's' : ''}): ${adjusted.toFixed(2)} -> ${Math.ceil(adjusted)}  (${(100 * r.saving).toFixed(0)}% fewer patients)`,
      );
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
