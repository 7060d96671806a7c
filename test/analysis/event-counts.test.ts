/**
 * Events per arm for every time-to-event analysis (issue 13): in efficacy.csv and summary.json,
 * in replicates.csv and the operating characteristics, and in the terminal tables, which also
 * name the method and covariates so that analyses of one endpoint can be told apart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { analyzeCommand } from '../../src/app/analyze-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { runCommand } from '../../src/app/run-command.js';
import { efficacyText } from '../../src/cli/reporters/analysis-report.js';
import { replicatesSummaryText } from '../../src/cli/reporters/replicates-report.js';
import { tempDir } from '../helpers.js';

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file), { columns: true });

describe('events per arm', () => {
  it('counts the analysed events of each arm; NA for endpoints that are not time to event', async () => {
    const dir = tempDir();
    const ids = Array.from({ length: 40 }, (_, i) => `S${i + 1}`);
    const arm = (i: number) => (i < 20 ? 'ACTIVE' : 'PLACEBO');
    const w = (name: string, columns: string[], rows: unknown[][]) => writeFileSync(join(dir, name), stringify(rows, { header: true, columns }));
    w('adsl.csv', ['USUBJID', 'RANDFL', 'TRT01A', 'EOSSTT', 'AGE'], ids.map((u, i) => [u, 'Y', arm(i), 'COMPLETED', 50 + i]));
    // Active: events for subjects 0..6 (7), placebo: subjects 20..31 (12); the rest censored at day 100.
    const event = (i: number) => (i < 7 || (i >= 20 && i < 32) ? 1 : 0);
    w('adtte.csv', ['USUBJID', 'PARAMCD', 'AVAL', 'CNSR'], ids.map((u, i) => [u, 'SURV', event(i) ? 3 + i : 100, 1 - event(i)]));
    w('adeff.csv', ['USUBJID', 'PARAMCD', 'AVISIT', 'AVAL', 'BASE', 'CHG'], ids.map((u, i) => [u, 'R', 'Week 4', i % 3 === 0 ? 1 : 0, 0, 0]));
    w('adae.csv', ['USUBJID', 'AEDECOD', 'AETOXGR', 'AESER', 'AEACN'], []);
    const out = join(dir, 'out');
    const r = await analyzeCommand({ dir, protocolFile: 'test/fixtures/analysis/one-sided-edges.yaml', out });
    const [lr, logit, fisher] = r.efficacy;
    expect([lr!.eventsArm, lr!.eventsControl]).toEqual([7, 12]);
    for (const x of [logit!, fisher!]) expect([x.eventsArm, x.eventsControl]).toEqual([null, null]);
    const rows = csv(join(out, 'efficacy.csv'));
    expect(rows.map((x) => [x.events_arm, x.events_control])).toEqual([['7', '12'], ['NA', 'NA'], ['NA', 'NA']]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.efficacy[0].eventsArm).toBe(7);
    expect(summary.efficacy[0].eventsControl).toBe(12);
    expect(summary.efficacy[1].eventsArm).toBeNull();

    const text = efficacyText(r.efficacy).split('\n');
    expect(text[0]).toMatch(/^Endpoint\s+analysis\s+comparison\s+events\s+measure/);
    expect(text[2]).toMatch(/^SURV \*\s+logrank\s+ACTIVE vs PLACEBO\s+7\/12\s+hazard ratio/);
    expect(text[3]).toMatch(/^RESP\s+logistic\s+ACTIVE vs PLACEBO\s+-\s+odds ratio/);
    expect(text[4]).toMatch(/^RESP\s+fisher\s+ACTIVE vs PLACEBO\s+-\s+odds ratio/);
  });

  it('a single-arm estimate counts its own events only', async () => {
    const out = join(tempDir(), 'single');
    const r = await runCommand({ protocolFile: 'test/fixtures/analysis/single-arm.yaml', seed: 2, out, force: false });
    const tte = r.efficacy.filter((x) => x.endpoint === 'TTE');
    expect(tte.length).toBeGreaterThan(0);
    const adtte = csv(join(out, 'adtte.csv'));
    const adsl = new Map(csv(join(out, 'adsl.csv')).map((x) => [x.USUBJID!, x]));
    for (const row of tte) {
      const events = adtte.filter((x) => x.PARAMCD === 'TTE' && x.CNSR === '0' && adsl.get(x.USUBJID!)!.TRT01A === row.arm).length;
      expect(row.eventsArm).toBe(events);
      expect(row.eventsControl).toBeNull();
    }
    expect(r.efficacy.filter((x) => x.endpoint !== 'TTE').every((x) => x.eventsArm === null)).toBe(true);
  });

  it('replicates.csv holds each replicate\'s events and the operating characteristics their mean', async () => {
    const out = join(tempDir(), 'reps');
    const protocolFile = 'test/fixtures/protocols/identical-arms.yaml';
    await replicatesCommand({ protocolFile, seed: 5, replicates: 6, workers: 1, keepPatients: 0, out, force: false });
    const reps = csv(join(out, 'replicates.csv')).filter((x) => x.endpoint === 'TTE');
    const oc = csv(join(out, 'operating-characteristics.csv')).filter((x) => x.endpoint === 'TTE');
    expect(oc.length).toBeGreaterThan(0);
    for (const o of oc) {
      const mine = reps.filter((x) => x.scenario === o.scenario && x.method === o.method && x.arm === o.arm);
      expect(mine).toHaveLength(6);
      const mean = (k: string) => mine.reduce((s, x) => s + Number(x[k]), 0) / mine.length;
      expect(Number(o.mean_events_arm)).toBeCloseTo(mean('events_arm'), 12);
      expect(Number(o.mean_events_control)).toBeCloseTo(mean('events_control'), 12);
      expect(mine.every((x) => Number.isInteger(Number(x.events_arm)) && Number(x.events_arm) > 0)).toBe(true);
    }
    expect(csv(join(out, 'operating-characteristics.csv')).filter((x) => x.endpoint !== 'TTE').every((x) => x.mean_events_arm === 'NA')).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const text = replicatesSummaryText(summary);
    expect(text).toMatch(/Endpoint\s+analysis\s+comparison\s+mean events\s+power/);
    const first = summary.scenarios[0].operatingCharacteristics.find((x: { endpoint: string }) => x.endpoint === 'TTE');
    expect(text).toContain(`${first.meanEventsArm.toFixed(1)}/${first.meanEventsControl.toFixed(1)}`);
  });
});
