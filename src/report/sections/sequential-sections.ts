/**
 * The sections of a group-sequential replicate run (analysis.interim; `run --replicates` and
 * `merge` write sequential-characteristics.csv and sequential-looks.csv): the boundaries with the
 * simulated z statistics, the stopping probabilities by look and reason, the cumulative rejection
 * by look, the expected patients, information and duration against the fixed design, and the
 * characteristics as tables.
 */
import { sequentialBoundaryChart, summariseZ, type BoundaryLook } from '../charts/sequential-boundaries.js';
import { expectedChart, type ExpectedValue } from '../charts/sequential-expected.js';
import { interimLooksChart } from '../charts/interim-looks.js';
import { cumulativeRejectionChart, stoppingChart, type LookStop } from '../charts/sequential-stopping.js';
import { DataError } from '../../errors/data-error.js';
import { fixed, htmlTable } from '../html-table.js';
import { num, type CsvRow, type OutputDir } from '../output-dir.js';
import { alphaOf, scenarios } from './replicate-sections.js';
import type { ReportSection } from './section.js';

const CHARACTERISTICS = 'sequential-characteristics.csv';
const LOOKS = 'sequential-looks.csv';

/** The plan's sidedness (the primary item's, else the plan's). */
function twoSided(dir: OutputDir): boolean {
  const a = (dir.manifest?.protocol as { resolved?: { analysis?: { sided?: unknown; primary?: { sided?: unknown }[] } } } | undefined)?.resolved?.analysis;
  return (a?.primary?.[0]?.sided ?? a?.sided) === 'two';
}

/** Whether the primary endpoint is a time to event (information = events), from the resolved protocol. */
function eventDriven(dir: OutputDir): boolean {
  const r = (dir.manifest?.protocol as { resolved?: { analysis?: { primary?: { endpoint?: unknown }[] }; endpoints?: { id?: unknown; type?: unknown }[] } } | undefined)?.resolved;
  const id = r?.analysis?.primary?.[0]?.endpoint;
  return r?.endpoints?.find((e) => e.id === id)?.type === 'time_to_event';
}

/** The z statistics and observed fractions per look of every replicate (lookK_z, lookK_fraction), or [] without them. */
function zRows(dir: OutputDir, looks: number): { scenario: string; look: number; z: number; fraction: number }[] {
  const cols = ['scenario', ...Array.from({ length: looks }, (_, k) => [`look${k + 1}_z`, `look${k + 1}_fraction`]).flat()];
  let rows: string[][];
  try {
    rows = dir.columns('replicate-trials.csv', cols);
  } catch (err) {
    if (err instanceof DataError) return [];
    throw err;
  }
  const out: { scenario: string; look: number; z: number; fraction: number }[] = [];
  for (const r of rows) for (let k = 0; k < looks; k++) out.push({ scenario: r[0]!, look: k + 1, z: num(r[1 + 2 * k]), fraction: num(r[2 + 2 * k]) });
  return out;
}

/** The fixed design's means per scenario (the study end on the same twins), from replicate-trials.csv; empty without its columns. */
function fixedMeans(dir: OutputDir): Map<string, { patients: number; events: number; duration: number }> {
  const out = new Map<string, { patients: number; events: number; duration: number }>();
  let rows: string[][];
  try {
    rows = dir.columns('replicate-trials.csv', ['scenario', 'enrolled', 'events_at_cutoff', 'study_end_day']);
  } catch (err) {
    if (err instanceof DataError) return out;
    throw err;
  }
  const sums = new Map<string, number[]>();
  for (const r of rows) {
    const s = sums.get(r[0]!) ?? [0, 0, 0, 0];
    s[0]! += num(r[1]);
    s[1]! += num(r[2]);
    s[2]! += num(r[3]);
    s[3]!++;
    sums.set(r[0]!, s);
  }
  for (const [k, s] of sums) out.set(k, { patients: s[0]! / s[3]!, events: s[1]! / s[3]!, duration: s[2]! / s[3]! });
  return out;
}

const lookStops = (looks: readonly CsvRow[], replicates: Map<string, number>): LookStop[] =>
  looks.map((r) => ({ scenario: r.scenario!, look: num(r.look), fraction: num(r.planned_fraction), replicates: replicates.get(r.scenario!) ?? NaN, pEfficacy: num(r.p_efficacy), pFutility: num(r.p_futility) }));

const sequential: ReportSection = {
  id: 'sequential',
  heading: 'Group-sequential design',
  kinds: ['replicates', 'merge'],
  needs: [CHARACTERISTICS, LOOKS],
  build(dir) {
    const chars = dir.csv(CHARACTERISTICS);
    const looks = dir.csv(LOOKS);
    if (chars.length === 0 || looks.length === 0) return null;
    const sc = scenarios(dir, chars).filter((s) => chars.some((r) => r.scenario === s));
    const replicates = new Map(chars.map((r) => [r.scenario!, num(r.replicates)]));
    const nLooks = Math.max(...looks.map((r) => num(r.look)));
    const boundaries: BoundaryLook[] = looks.map((r) => ({ scenario: r.scenario!, look: num(r.look), plannedFraction: num(r.planned_fraction), meanFraction: num(r.mean_fraction), critical: num(r.critical_value), futility: num(r.futility_bound), observedCritical: num(r.mean_observed_critical) }));
    const stops = lookStops(looks, replicates);
    const withFutility = looks.some((r) => Number.isFinite(num(r.futility_bound)));
    const fixedDesign = fixedMeans(dir);
    // The study end's events are the fixed design's information only for a time-to-event primary.
    const events = eventDriven(dir);
    const measures = ['Patients randomised (patients)', events ? 'Information (events)' : 'Information (patients observed)', 'Calendar duration (days)'];
    const expected: ExpectedValue[] = [];
    for (const s of sc) {
      const r = chars.find((c) => c.scenario === s)!;
      const f = fixedDesign.get(s);
      const seq = [
        [num(r.expected_patients), num(r.expected_patients_mcse), f?.patients ?? NaN],
        [num(r.expected_information), num(r.expected_information_mcse), events ? (f?.events ?? NaN) : NaN],
        [num(r.expected_duration_days), num(r.expected_duration_days_mcse), f?.duration ?? NaN],
      ] as const;
      seq.forEach(([value, mcse, fixedValue], i) => {
        expected.push({ measure: measures[i]!, scenario: s, design: 'sequential', value, mcse });
        if (Number.isFinite(fixedValue)) expected.push({ measure: measures[i]!, scenario: s, design: 'fixed', value: fixedValue, mcse: NaN });
      });
    }
    const charts = [
      sequentialBoundaryChart(sc, boundaries, summariseZ(zRows(dir, nLooks)), twoSided(dir)),
      stoppingChart(sc, stops, withFutility),
      cumulativeRejectionChart(sc, alphaOf(dir), stops),
      expectedChart(sc, measures, expected),
    ];
    const se = (r: CsvRow, c: string, d: number) => `${fixed(num(r[c]), d)} (${fixed(num(r[`${c}_mcse`]), d)})`;
    let html = htmlTable(
      'Sequential characteristics per scenario: mean (Monte Carlo SE) over replicates, at the stop',
      ['Scenario', 'replicates', 'looks', 'rejection', 'rejection ignoring futility', 'patients', 'information', 'duration (days)', 'mean estimate at stop', 'truth', `bias at stop`],
      sc.map((s) => {
        const r = chars.find((c) => c.scenario === s)!;
        return [s, r.replicates!, r.looks!, se(r, 'overall_reject', 3), se(r, 'reject_ignoring_futility', 3), se(r, 'expected_patients', 1), se(r, 'expected_information', 1), se(r, 'expected_duration_days', 1), fixed(num(r.mean_estimate_at_stop)), fixed(num(r.true_effect)), `${se(r, 'bias_at_stop', 3)}${r.bias_scale === 'log' ? ' log' : ''}`];
      }),
    );
    html += htmlTable(
      'Per look: the design at the planned fractions, the boundary used at the observed information (mean), and the stopping probabilities (Monte Carlo SE)',
      ['Scenario', 'look', 'planned fraction', 'mean fraction', 'critical value', 'nominal level', 'alpha spent', 'futility bound', 'mean observed critical', 'reached', 'share reached', 'P(efficacy)', 'P(futility)', 'P(stop)', 'note'],
      looks.map((r) => [r.scenario!, r.look!, fixed(num(r.planned_fraction)), fixed(num(r.mean_fraction)), fixed(num(r.critical_value)), fixed(num(r.nominal_level), 5), fixed(num(r.alpha_spent), 5), fixed(num(r.futility_bound)), fixed(num(r.mean_observed_critical)), r.reached!, fixed(num(r.reached_share), 3), se(r, 'p_efficacy', 3), se(r, 'p_futility', 3), se(r, 'p_stop', 3), r.note ?? '']),
    );
    return { charts, html };
  },
};

/**
 * A single run's looks (interim-looks.csv, src/analysis/interim-looks.ts; one row per look): its
 * z against the boundaries at the observed information. Looks not run (not reached, or after the
 * stop) have no fraction and are left out.
 */
const trialLooks: ReportSection = {
  id: 'interim-looks',
  heading: 'Interim looks',
  kinds: ['run'],
  needs: ['interim-looks.csv'],
  build(dir) {
    const rows = dir.csv('interim-looks.csv').filter((r) => Number.isFinite(num(r.fraction)));
    if (rows.length === 0) return null;
    const looks = rows.map((r) => ({ look: num(r.look), fraction: num(r.fraction), z: num(r.z), critical: num(r.efficacy_bound), futility: num(r.futility_bound) }));
    return { charts: [interimLooksChart(looks)], html: '' };
  },
};

export const SEQUENTIAL_SECTIONS: readonly ReportSection[] = [sequential, trialLooks];
