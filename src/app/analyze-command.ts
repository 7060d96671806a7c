/**
 * `vtrial analyze`: applies a protocol's analysis plan to a directory of ADaM-shaped CSV files
 * (a previous run's output, or a real trial's export in the same shape) without simulating,
 * and writes efficacy.csv, safety.csv and summary.json.
 */
import { VERSION } from '../version.js';
import { analyseTrial, analysisTables, type TrialAnalysis } from '../analysis/analyse-trial.js';
import { checkArms } from '../analysis/adam-data.js';
import { readAdamDir } from '../io/read-adam.js';
import { loadProtocol } from '../io/load-specs.js';
import { RunWriter } from '../io/run-writer.js';
import { DataError } from '../errors/data-error.js';
import { interruptedPublication } from '../io/staging.js';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_ANALYSIS_RANDOM, type AnalysisRandom } from '../analysis/efficacy.js';
import { UsageError } from '../errors/usage-error.js';

export interface AnalyzeCommandOptions {
  dir: string;
  protocolFile: string;
  cohortFile?: string;
  /** Where to write the results (default: the input directory). */
  out?: string;
  /** Replace existing efficacy.csv, safety.csv and summary.json (no other file is touched). */
  force?: boolean;
  /** The seed of analyses that draw (multiple imputation); default: the seed in <dir>/run.json, else 1 (run's default). */
  seed?: number;
  /** The replicate of that seed (default 0: a single run; a replicate run's kept patient files are replicate N−1 of replicate-N). */
  replicate?: number;
}

/**
 * The random key of the re-analysis: --seed, else the seed a single `vtrial run` recorded in
 * DIR/run.json (so MI re-draws exactly what the run drew), else vtrial run's default seed.
 */
export function analysisRandomOf(dir: string, seed: number | undefined, replicate = 0): AnalysisRandom {
  if (seed !== undefined) return { seed, replicate };
  const f = join(dir, 'run.json');
  if (existsSync(f)) {
    try {
      const recorded = (JSON.parse(readFileSync(f, 'utf8')) as { seed?: unknown }).seed;
      if (typeof recorded === 'number' && Number.isInteger(recorded)) return { seed: recorded, replicate };
    } catch {
      // An unreadable run.json is not the analysis' concern: the default seed applies.
    }
  }
  return { seed: DEFAULT_ANALYSIS_RANDOM.seed, replicate };
}

export interface AnalyzeCommandResult extends TrialAnalysis {
  protocol: string;
  dir: string;
  out: string;
  files: string[];
  truthAvailable: boolean;
}

export async function analyzeCommand(o: AnalyzeCommandOptions): Promise<AnalyzeCommandResult> {
  const p = loadProtocol(o.protocolFile, o.cohortFile);
  if (!p.trial) throw new UsageError(`${o.protocolFile} has no arms and endpoints to analyse`);
  const out = o.out ?? o.dir;
  // The destination is checked before the work: existing results are refused unless --force.
  const writer = RunWriter.open(out, { force: Boolean(o.force), kind: 'analyze', inputs: [o.protocolFile, ...(o.cohortFile ? [o.cohortFile] : [])] });
  let data, analysis, tables;
  try {
    const interrupted = interruptedPublication(o.dir);
    if (interrupted) throw new DataError(o.dir, `a vtrial run was interrupted while publishing into it (${interrupted}): its files are a mix of two runs; run any vtrial command with --out ${o.dir} to restore the previous results, or re-run`);
    data = readAdamDir(o.dir);
    checkArms(join(o.dir, 'adsl.csv'), data.adsl, p.trial.arms.map((a) => a.id));
    analysis = analyseTrial(p.trial, p.spec.analysis, data, analysisRandomOf(o.dir, o.seed, o.replicate));
    tables = analysisTables(analysis);
    for (const t of tables) await writer.table(t);
    // `files` records the tables' sizes and SHA-256 (summary.json is the marker): vtrial report checks them.
    await writer.json('summary.json', { vtrial: VERSION, protocol: p.file, analysed: o.dir, plan: analysis.plan, efficacy: analysis.efficacy, safety: analysis.safety, files: await writer.fileRecords() });
    await writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return { ...analysis, protocol: p.file, dir: o.dir, out, files: [...tables.map((t) => t.name), 'summary.json'], truthAvailable: Boolean(data.counterfactual) };
}
