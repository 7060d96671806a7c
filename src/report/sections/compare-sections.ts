/**
 * The sections of a comparison (`vtrial compare`), from its summary.json ("vtrial-compare/2"):
 * power and type I error side by side per matched analysis with 95% Monte Carlo CIs, the
 * differences from the reference protocol with paired and independent intervals, bias and
 * coverage, trial characteristics, the protocols (each a replicate run in LABEL/), what was not
 * compared, the --fail-if result, and the manifest.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Chart } from '../chart.js';
import { pairedDifferenceChart } from '../charts/paired-differences.js';
import { accuracyChart, protocolRateChart, trialCharacteristicsChart } from '../charts/protocol-bars.js';
import { fixed, htmlTable } from '../html-table.js';
import { escapeHtml } from '../html-text.js';
import { designRejectionChart } from '../charts/design-rejection.js';
import { num, type OutputDir } from '../output-dir.js';
import { analysisLabel, nominalCoverage, ordered, planOf, type AnalysisKey, type Plan } from './design-data.js';
import type { ReportSection } from './section.js';

interface Diff {
  diff: number;
  mcse: number;
  mcseIndependent: number;
}

interface Row extends AnalysisKey {
  protocol: string;
  scenario: string;
  nullScenario: boolean;
  oc: { estimable: number; power: number | null; powerMcse: number | null; powerLower: number | null; powerUpper: number | null; bias: number | null; rmse: number | null; coverage: number | null; coverageMcse: number | null; trueEffect: number | null };
  power: Diff | null;
  bias: Diff | null;
  coverage: Diff | null;
}

interface Trial {
  protocol: string;
  scenario: string;
  meanScreened: number;
  meanEnrolled: number;
  screenFailureRate: number;
  dropoutRate: number;
  enrolled: Diff | null;
  dropout: Diff | null;
}

interface Comparison {
  reference: string;
  protocols: { label: string; file: string }[];
  directories: Record<string, string>;
  rows: Row[];
  trials: Trial[];
  unmatched: { what: string; key: string; in: string[] }[];
  failIf: { condition: string; holds: boolean; hits: { protocol: string; analysis: string; na?: string; values?: Record<string, unknown> }[] } | null;
  /** Each protocol's plan (from LABEL/run.json), by label. */
  plans: Map<string, Plan>;
}

const n = (v: number | null | undefined): number => (typeof v === 'number' ? v : NaN);

function comparisonOf(dir: OutputDir): Comparison | null {
  const s = dir.summary;
  if (!s || typeof s.schema !== 'string' || !s.schema.startsWith('vtrial-compare/') || !Array.isArray(s.rows)) return null;
  const c = s as unknown as Omit<Comparison, 'plans'>;
  const plans = new Map<string, Plan>();
  for (const p of c.protocols) {
    const plan = planOf(dir, c.directories[p.label] ?? p.label);
    if (plan) plans.set(p.label, plan);
  }
  return { ...c, trials: c.trials ?? [], unmatched: c.unmatched ?? [], failIf: c.failIf ?? null, plans };
}

const labels = (c: Comparison) => c.protocols.map((p) => p.label);
const rowParts = (r: Row) => [r.scenario, analysisLabel(r)];

/** The one value all protocols share, or null when they differ. */
function shared<T>(c: Comparison, f: (p: Plan) => T): T | null {
  const xs = ordered([...c.plans.values()].map(f));
  return xs.length === 1 ? xs[0]! : null;
}

const rates: ReportSection = {
  id: 'compare-rates',
  heading: 'Power and type I error by protocol',
  kinds: ['compare'],
  needs: ['summary.json'],
  build(dir) {
    const c = comparisonOf(dir);
    if (!c || c.rows.length === 0) return null;
    const rate = (r: Row) => ({ parts: rowParts(r), protocol: r.protocol, rate: n(r.oc.power), lower: n(r.oc.powerLower), upper: n(r.oc.powerUpper), replicates: r.oc.estimable });
    const charts: Chart[] = [];
    const effect = c.rows.filter((r) => !r.nullScenario);
    const nulls = c.rows.filter((r) => r.nullScenario);
    if (effect.length > 0) charts.push(protocolRateChart('power-by-protocol', labels(c), effect.map(rate), null));
    const alpha = shared(c, (p) => p.alpha);
    if (nulls.length > 0) charts.push(protocolRateChart('type1-by-protocol', labels(c), nulls.map(rate), alpha === null ? null : { alpha }));
    const seq = dir.has(DESIGNS) ? ' A protocol has interim looks: these rows are each analysis at the study end (the trial followed to its planned end, as if it never stopped); the designs as wholes are compared under <a href="#compare-designs">Designs</a>.' : '';
    const lead = `<p>Rows are matched by scenario, endpoint, method, covariates, arm and control; intervals are Clopper-Pearson 95% confidence intervals (Monte Carlo error of the replicates).${alpha === null && nulls.length > 0 ? ' The protocols have different alphas: none is drawn.' : ''}${seq}</p>`;
    return { charts, html: lead };
  },
};

const DESIGNS = 'compare-designs.csv';

/** compare-designs.csv: each design's rejection (group-sequential: at any look) and expected patients, and the paired differences. */
const designs: ReportSection = {
  id: 'compare-designs',
  heading: 'Designs',
  kinds: ['compare'],
  needs: [DESIGNS, 'summary.json'],
  build(dir) {
    const rows = dir.csv(DESIGNS);
    if (rows.length === 0) return null;
    const c = comparisonOf(dir);
    const group = (r: Record<string, string>) => `${r.protocol} · ${r.design}`;
    const scenarios = ordered(rows.map((r) => r.scenario!));
    const charts: Chart[] = [
      designRejectionChart(
        'compare-designs',
        'Each design: rejection of the primary hypothesis and expected patients',
        'protocol · design',
        ordered(rows.map(group)),
        scenarios,
        rows.map((r) => ({ group: group(r), scenario: r.scenario!, nullScenario: r.null_scenario === 'Y', reject: num(r.reject), rejectMcse: num(r.reject_mcse), patients: num(r.mean_patients), patientsMcse: NaN })),
      ),
    ];
    const diffs = rows.filter((r) => Number.isFinite(num(r.reject_diff)));
    const reference = c?.reference ?? rows[0]!.protocol!;
    if (diffs.length > 0) {
      charts.push(
        pairedDifferenceChart(
          'design-differences',
          `Difference in the design's rejection from ${reference} (95% Monte Carlo intervals)`,
          `Difference in rejection (protocol − ${reference})`,
          diffs.map((r) => ({ parts: [r.scenario + (r.null_scenario === 'Y' ? ' (type I error)' : ''), `${group(r)} − ${reference}`], difference: num(r.reject_diff), pairedSe: num(r.reject_diff_mcse), independentSe: num(r.reject_diff_mcse_independent) })),
        ),
      );
    }
    const d = (r: Record<string, string>, k: string, digits: number) => (Number.isFinite(num(r[`${k}_diff`])) ? `${num(r[`${k}_diff`]) >= 0 ? '+' : ''}${fixed(num(r[`${k}_diff`]), digits)} (${fixed(num(r[`${k}_diff_mcse`]), digits)} | ${fixed(num(r[`${k}_diff_mcse_independent`]), digits)})` : '');
    const table = htmlTable(
      `The designs as wholes (compare-designs.csv): a group-sequential design rejects at any look, a fixed one at the study end; patients, information and days at the deciding analysis; differences from ${reference} (MC SE paired | independent)`,
      ['Scenario', 'protocol', 'design', 'reject (MC SE)', 'difference', 'patients', 'difference', 'information', 'difference', 'days', 'difference'],
      rows.map((r) => [r.scenario + (r.null_scenario === 'Y' ? ' (type I error)' : ''), r.protocol!, r.design!, `${fixed(num(r.reject))} (${fixed(num(r.reject_mcse))})`, d(r, 'reject', 3), fixed(num(r.mean_patients), 1), d(r, 'patients', 1), fixed(num(r.mean_information), 1), d(r, 'information', 1), fixed(num(r.mean_duration_days), 1), d(r, 'duration', 1)]),
    );
    return { charts, html: table };
  },
};

const differences: ReportSection = {
  id: 'compare-differences',
  heading: 'Differences from the reference protocol',
  kinds: ['compare'],
  needs: ['summary.json'],
  build(dir) {
    const c = comparisonOf(dir);
    if (!c) return null;
    const others = c.rows.filter((r) => r.power !== null);
    if (others.length === 0) return null;
    const chart = pairedDifferenceChart(
      'power-differences',
      `Difference in rejection rate from ${c.reference} (95% Monte Carlo intervals)`,
      `Difference in power or type I error (protocol − ${c.reference})`,
      others.map((r) => ({ parts: [...rowParts(r), `${r.protocol} − ${c.reference}`], difference: r.power!.diff, pairedSe: r.power!.mcse, independentSe: r.power!.mcseIndependent })),
    );
    const d = (x: Diff | null, digits = 3) => (x ? `${x.diff >= 0 ? '+' : ''}${fixed(x.diff, digits)} (${fixed(x.mcse, digits)} | ${fixed(x.mcseIndependent, digits)})` : '');
    const table = htmlTable(
      `Differences from ${c.reference}: difference (MC SE with common random numbers | as independent runs)`,
      ['Scenario', 'analysis', 'protocol', 'power', 'power difference', 'bias difference', 'coverage difference'],
      others.map((r) => [r.scenario + (r.nullScenario ? ' (type I error)' : ''), analysisLabel(r), r.protocol, fixed(n(r.oc.power)), d(r.power), d(r.bias), d(r.coverage)]),
    );
    return { charts: [chart], html: table };
  },
};

const accuracy: ReportSection = {
  id: 'compare-accuracy',
  heading: 'Bias and coverage',
  kinds: ['compare'],
  needs: ['summary.json'],
  build(dir) {
    const c = comparisonOf(dir);
    if (!c || c.rows.length === 0) return null;
    const nominal = shared(c, nominalCoverage) ?? 0.95;
    const chart = accuracyChart(labels(c), nominal, c.rows.map((r) => ({ parts: rowParts(r), protocol: r.protocol, bias: n(r.oc.bias), coverage: n(r.oc.coverage), coverageSe: n(r.oc.coverageMcse) })));
    const table = htmlTable(
      'Operating characteristics per protocol (matched analyses)',
      ['Scenario', 'analysis', 'protocol', 'replicates', 'power (95% CI)', 'MC SE', 'truth', 'bias', 'RMSE', 'coverage'],
      c.rows.map((r) => [r.scenario, analysisLabel(r), r.protocol, String(r.oc.estimable), `${fixed(n(r.oc.power))} (${fixed(n(r.oc.powerLower))}, ${fixed(n(r.oc.powerUpper))})`, fixed(n(r.oc.powerMcse)), fixed(n(r.oc.trueEffect)), fixed(n(r.oc.bias)), fixed(n(r.oc.rmse)), fixed(n(r.oc.coverage))]),
    );
    return { charts: [chart], html: table };
  },
};

const trials: ReportSection = {
  id: 'compare-trials',
  heading: 'Trials by protocol',
  kinds: ['compare'],
  needs: ['summary.json'],
  build(dir) {
    const c = comparisonOf(dir);
    if (!c || c.trials.length === 0) return null;
    const scenarios = ordered(c.trials.map((t) => t.scenario));
    const chart = trialCharacteristicsChart(scenarios, labels(c), c.trials.map((t) => ({ scenario: t.scenario, protocol: t.protocol, screened: t.meanScreened, enrolled: t.meanEnrolled, screenFailure: t.screenFailureRate, dropout: t.dropoutRate })));
    const d = (x: Diff | null, digits: number) => (x ? `${x.diff >= 0 ? '+' : ''}${fixed(x.diff, digits)} (${fixed(x.mcse, digits)} | ${fixed(x.mcseIndependent, digits)})` : '');
    const table = htmlTable(
      `Replicate trials (means); differences from ${c.reference} (MC SE paired | independent)`,
      ['Scenario', 'protocol', 'screened', 'enrolled', 'screen failure', 'dropout', 'enrolled difference', 'dropout difference'],
      c.trials.map((t) => [t.scenario, t.protocol, fixed(t.meanScreened, 1), fixed(t.meanEnrolled, 1), `${(100 * t.screenFailureRate).toFixed(1)}%`, `${(100 * t.dropoutRate).toFixed(1)}%`, d(t.enrolled, 1), d(t.dropout, 3)]),
    );
    return { charts: [chart], html: table };
  },
};

const protocols: ReportSection = {
  id: 'compare-protocols',
  heading: 'Protocols, what was not compared, and the --fail-if gate',
  kinds: ['compare'],
  needs: ['summary.json'],
  build(dir) {
    const c = comparisonOf(dir);
    if (!c) return null;
    let html = htmlTable(
      `The protocols (the first, ${c.reference}, is the reference); each is a complete replicate run in its folder (its own report: vtrial report DIR/LABEL)`,
      ['Label', 'protocol file', 'folder', 'alpha'],
      c.protocols.map((p) => [p.label, p.file, `${c.directories[p.label] ?? p.label}/`, c.plans.has(p.label) ? String(c.plans.get(p.label)!.alpha) : 'NA']),
    );
    html +=
      c.unmatched.length === 0
        ? '<p>Every analysis, scenario and trial row was matched in all protocols.</p>'
        : `<h3>Not compared (not in every protocol)</h3><ul>${c.unmatched.map((u) => `<li>${escapeHtml(`${u.what} ${u.key}: only in ${u.in.join(', ')}`)}</li>`).join('')}</ul>`;
    const f = c.failIf;
    html += !f
      ? '<p>No --fail-if condition was given.</p>'
      : `<h3>--fail-if</h3><p>Condition <code>${escapeHtml(f.condition)}</code> (every primary analysis of every protocol, scenario base): ${f.holds ? '<strong>holds</strong> (exit code 4) for:' : 'does not hold (exit code 0).'}</p>${
          f.holds ? `<ul>${f.hits.map((h) => `<li>${escapeHtml(`${h.protocol} ${h.analysis}${h.na ? ` (${h.na})` : ''}${h.values ? `: ${Object.entries(h.values).map(([k, v]) => `${k} = ${typeof v === 'number' ? fixed(v) : String(v)}`).join(', ')}` : ''}`)}</li>`).join('')}</ul>` : ''
        }`;
    return { charts: [], html };
  },
};

interface FileRef {
  file?: string;
  sha256?: string;
}

const manifest: ReportSection = {
  id: 'manifest',
  heading: 'Run manifest',
  kinds: ['compare'],
  needs: ['run.json'],
  build(dir) {
    const m = dir.manifest!;
    const sha = createHash('sha256').update(readFileSync(join(dir.path, 'run.json'))).digest('hex');
    const ps = (m.protocols ?? []) as (FileRef & { label?: string; cohort?: FileRef; inputs?: FileRef[] })[];
    const rows: string[][] = [
      ['vtrial version', String(m.vtrial)],
      ['command', Array.isArray(m.command) ? (m.command as string[]).join(' ') : m.command == null ? '(not recorded)' : String(m.command)],
      ['seed', String(m.seed)],
      ['replicates', String(m.replicates)],
      ...ps.flatMap((p) => [
        [`protocol ${p.label}`, `${p.file} (SHA-256 ${p.sha256})`],
        [`cohort of ${p.label}`, `${p.cohort?.file} (SHA-256 ${p.cohort?.sha256})`],
        ...(p.inputs ?? []).map((i) => [`input of ${p.label}`, `${i.file} (SHA-256 ${i.sha256})`]),
      ]),
      ['run.json', `SHA-256 ${sha}`],
    ];
    const files = Object.entries((m.files ?? {}) as Record<string, { rows?: number; sha256?: string }>).map(([name, f]) => [name, f.rows === undefined ? '' : String(f.rows), f.sha256 ?? '']);
    return { charts: [], html: htmlTable('The comparison (run.json)', ['Item', 'value'], rows, 'data manifest') + htmlTable('Files of the comparison, as run.json records them', ['File', 'rows', 'SHA-256'], files, 'data manifest') };
  },
};

export const COMPARE_SECTIONS: readonly ReportSection[] = [rates, differences, designs, accuracy, trials, protocols, manifest];
