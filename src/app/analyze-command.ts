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
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { UsageError } from './errors.js';

export interface AnalyzeCommandOptions {
  dir: string;
  protocolFile: string;
  cohortFile?: string;
  /** Where to write the results (default: the input directory). */
  out?: string;
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
  const data = readAdamDir(o.dir);
  checkArms(join(o.dir, 'adsl.csv'), data.adsl, p.trial.arms.map((a) => a.id));
  const analysis = analyseTrial(p.trial, p.spec.analysis, data);
  const out = o.out ?? o.dir;
  mkdirSync(out, { recursive: true });
  const writer = new RunWriter(out);
  const tables = analysisTables(analysis);
  try {
    for (const t of tables) await writer.table(t);
    await writer.json('summary.json', { vtrial: VERSION, protocol: p.file, analysed: o.dir, plan: analysis.plan, efficacy: analysis.efficacy, safety: analysis.safety });
    await writer.commit();
  } catch (err) {
    writer.abort();
    throw err;
  }
  return { ...analysis, protocol: p.file, dir: o.dir, out, files: [...tables.map((t) => t.name), 'summary.json'], truthAvailable: Boolean(data.counterfactual) };
}
