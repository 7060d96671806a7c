/**
 * sequential-looks.csv with calendar-day looks (README "Interim analyses"): a calendar look's
 * planned fraction is the mean observed one; a look that no replicate ran has NA design columns
 * with a note, and the other looks keep the design of the looks that have planned fractions
 * (the final look spending what is left); a look not run in some replicates says in how many,
 * beside the share of replicates that ran it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { reportCommand } from '../../src/app/report-command.js';
import { groupSequentialDesign } from '../../src/stats/group-sequential.js';
import { tempDir } from '../helpers.js';
import { survivalProtocol } from './interim-helpers.js';

/** 407 patients over 18 months, PFS (median 1 year, HR 0.7) analysed at the 250th event (near day 950), with the given calendar looks. */
const protocol = (looks: string): string => survivalProtocol({ name: 'Calendar looks', looks });
const dir = tempDir('vtrial-calendar-looks-');
const outOf = (file: string): string => join(dir, `out-${file.split('/').pop()}`);

async function looksOf(file: string, replicates: number): Promise<Record<string, string>[]> {
  const out = outOf(file);
  await replicatesCommand({ protocolFile: file, seed: 1, replicates, workers: 1, keepPatients: 0, out, force: true });
  const text = readFileSync(join(out, 'sequential-looks.csv'), 'utf8').trim().split('\n');
  // The note is the last column and may be quoted (it holds commas).
  const cols = text[0]!.split(',');
  return text.slice(1).map((l) => {
    const cells = l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"(.*)"$/, '$1'));
    return Object.fromEntries(cols.map((c, i) => [c, cells[i]!]));
  });
}

describe('sequential-looks.csv with calendar looks', () => {
  it('a calendar look no replicate ran: its design columns are NA with a note, the others carry the design without it', async () => {
    const file = protocol('[ { calendar_day: 400 }, { calendar_day: 1300 } ]');
    const rows = await looksOf(file, 12);
    const [l1, l2, l3] = rows;
    expect(l2!.reached).toBe('0');
    expect(l2!.reached_share).toBe('0');
    for (const c of ['planned_fraction', 'critical_value', 'nominal_level', 'alpha_spent']) expect(l2![c], c).toBe('NA');
    expect(l2!.note).toMatch(/^not run in 12 of the 12 replicates .*; no replicate ran the look, so it has no planned fraction: the design columns are NA/);
    // Looks 1 and 3: the two-look design at (mean observed fraction of look 1, 1).
    const t1 = Number(l1!.planned_fraction);
    expect(t1).toBe(Number(l1!.mean_fraction));
    expect(t1 > 0 && t1 < 1).toBe(true);
    const g = groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 2, alpha: 0.025, sided: 1, informationRates: [t1, 1] });
    expect(Number(l1!.critical_value)).toBeCloseTo(g.criticalValues[0]!, 10);
    expect(Number(l3!.critical_value)).toBeCloseTo(g.criticalValues[1]!, 10);
    expect(Number(l3!.alpha_spent)).toBeCloseTo(0.025, 10);
    expect(l1!.note).toMatch(/planned fraction: the mean observed at day 400 over the 12 replicates that ran the look .*; design without look 2/);
    expect(l3!.note).toBe('design without look 2 (see its note)');
    expect(l3!.reached_share).toBe('1');
    // The report's per-look table carries the share reached and the note.
    await reportCommand({ dir: outOf(file) });
    const html = readFileSync(join(outOf(file), 'report.html'), 'utf8');
    expect(html).toContain('<th scope="col">share reached</th>');
    expect(html).toContain('<td>design without look 2 (see its note)</td>');
  }, 60_000);

  it('a calendar look not reached in some replicates: the share that ran it and a note; the design at all three looks', async () => {
    const rows = await looksOf(protocol('[ { calendar_day: 400 }, { calendar_day: 900 } ]'), 12);
    const l2 = rows[1]!;
    const reached = Number(l2.reached);
    expect(reached > 0 && reached < 12).toBe(true);
    expect(Number(l2.reached_share)).toBe(reached / 12);
    expect(l2.note).toMatch(new RegExp(`not run in ${12 - reached} of the 12 replicates`));
    const g = groupSequentialDesign({ typeOfDesign: 'asOF', kMax: 3, alpha: 0.025, sided: 1, informationRates: [Number(rows[0]!.planned_fraction), Number(l2.planned_fraction), 1] });
    rows.forEach((r, k) => expect(Number(r.critical_value), `look ${k + 1}`).toBeCloseTo(g.criticalValues[k]!, 10));
    expect(rows[2]!.note).toBe('');
  }, 60_000);
});
