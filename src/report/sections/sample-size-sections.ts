/**
 * The sections of a simulated sample-size search (`vtrial sample-size PROTOCOL --out DIR`): the
 * power curve from sample-size-search.csv (the simulated points) and sample-size.json (the fit,
 * the target, the chosen N and its interval), and tables of the answer and the search path. The
 * base/ (a sweep), null/ and pilot/ folders are replicate runs with reports of their own.
 */
import { sampleSizeChart, type SearchPointRow } from '../charts/sample-size-curve.js';
import { fixed, htmlTable } from '../html-table.js';
import { num, type OutputDir } from '../output-dir.js';
import type { ReportSection } from './section.js';

const CSV = 'sample-size-search.csv';
const JSON_FILE = 'sample-size.json';

interface McValue {
  value: number;
  mcse: number;
}

interface Answer {
  path: string;
  criterion: string;
  mode: string;
  targetPower: number;
  replicates: number;
  converged: boolean;
  nFitted: number | null;
  nInterval: [number, number] | null;
  n: number | null;
  fit: { a: number; b: number } | null;
  power: (McValue & { n: number }) | null;
  typeIError: (McValue & { n: number; scenario: string }) | null;
  sequential: { n: number; patients: { mean: number; mcse: number }; information: { mean: number; mcse: number }; day: { mean: number; mcse: number } } | null;
  start: { from: string; value: number; reason: string | null } | null;
}

const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** sample-size.json as the chart and tables need it, or null when it lacks the path or target. */
function answerOf(dir: OutputDir): Answer | null {
  const j = dir.json(JSON_FILE);
  if (!j || typeof j.path !== 'string' || finite(j.targetPower) === null) return null;
  const fit = j.fit as { a?: unknown; b?: unknown } | null;
  const interval = Array.isArray(j.nInterval) && j.nInterval.length === 2 && j.nInterval.every((x) => finite(x) !== null) ? (j.nInterval as [number, number]) : null;
  return {
    path: j.path,
    criterion: String(j.criterion ?? ''),
    mode: String(j.mode ?? ''),
    targetPower: j.targetPower as number,
    replicates: finite(j.replicates) ?? NaN,
    converged: j.converged === true,
    nFitted: finite(j.nFitted),
    nInterval: interval,
    n: finite(j.n),
    fit: fit && finite(fit.a) !== null && finite(fit.b) !== null ? { a: fit.a as number, b: fit.b as number } : null,
    power: (j.power as Answer['power']) ?? null,
    typeIError: (j.typeIError as Answer['typeIError']) ?? null,
    sequential: (j.sequential as Answer['sequential']) ?? null,
    start: (j.start as Answer['start']) ?? null,
  };
}

function pointsOf(dir: OutputDir): SearchPointRow[] {
  return dir
    .csv(CSV)
    .map((r) => ({ round: num(r.round), n: num(r.n), replicates: num(r.replicates), power: num(r.power), mcse: num(r.power_mcse) }))
    .filter((p) => Number.isFinite(p.n) && Number.isFinite(p.power))
    .sort((x, y) => x.n - y.n);
}

const mc = (v: { value?: number; mean?: number; mcse: number } | null, d = 3) => (v ? `${fixed(v.value ?? v.mean ?? NaN, d)} (MC SE ${fixed(v.mcse, d)})` : 'NA');

const curve: ReportSection = {
  id: 'sample-size',
  heading: 'Sample size by simulation',
  kinds: ['sample-size'],
  needs: [CSV, JSON_FILE],
  build(dir) {
    const a = answerOf(dir);
    const points = pointsOf(dir);
    if (!a || points.length === 0) return null;
    const chart = sampleSizeChart(points, { path: a.path, targetPower: a.targetPower, fit: a.fit, n: a.n, interval: a.nInterval });
    const rows: string[][] = [
      ['searched', `${a.path} for power ${a.targetPower} (${a.criterion}), ${a.replicates} replicates per value, ${a.mode === 'grid' ? 'a fixed grid fitted once' : 'adaptive search'}`],
      ...(a.start ? [['start', `${a.start.from === 'analytic' ? 'analytic guess' : "the protocol's value"} ${fixed(a.start.value, 1)}${a.start.reason ? ` (${a.start.reason})` : ''}`]] : []),
      ['chosen N', a.n === null ? `none (${a.converged ? 'no fit' : 'the search did not converge'})` : String(a.n)],
      ['fitted N', a.nFitted === null ? 'NA' : fixed(a.nFitted, 1)],
      ['95% MC interval of N', a.nInterval ? `${fixed(a.nInterval[0], 1)} to ${fixed(a.nInterval[1], 1)}` : 'NA'],
      ['probit fit', a.fit ? `probit(power) = ${fixed(a.fit.a, 4)} + ${fixed(a.fit.b, 4)} log N` : 'NA'],
      ['power at N', a.power ? `${mc(a.power)} at ${a.power.n}` : 'NA'],
      ['type I error at N', a.typeIError ? `${mc(a.typeIError)} at ${a.typeIError.n} (scenario ${a.typeIError.scenario})` : 'NA (no null scenario)'],
      ...(a.sequential
        ? [
            ['expected patients at the stop', `${mc(a.sequential.patients, 1)} at ${a.sequential.n}`],
            ['expected information at the stop', mc(a.sequential.information, 1)],
            ['expected day of the stop', mc(a.sequential.day, 1)],
          ]
        : []),
    ];
    const search = htmlTable(
      'The simulated points (sample-size-search.csv), by N',
      ['N', 'round', 'replicates', 'power', 'MC SE', 'fitted power'],
      dir
        .csv(CSV)
        .slice()
        .sort((x, y) => num(x.n) - num(y.n))
        .map((r) => [r.n ?? '', r.round ?? '', r.replicates ?? '', fixed(num(r.power)), fixed(num(r.power_mcse)), fixed(num(r.fitted_power))]),
    );
    const note = '<p>Every N is a sweep point of the protocol with the same seed (common random numbers): its replicate runs are in <code>base/points/</code> (and the null scenario at N in <code>null/</code>, the pilot in <code>pilot/</code>); <code>vtrial report</code> of those folders draws them.</p>';
    return { charts: [chart], html: htmlTable('The answer (sample-size.json)', ['Item', 'value'], rows) + search + note };
  },
};

export const SAMPLE_SIZE_SECTIONS: readonly ReportSection[] = [curve];
