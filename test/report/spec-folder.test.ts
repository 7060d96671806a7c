/**
 * The report's spec folder holds the user's files too: vtrial replaces or removes only the specs
 * it wrote there (listed with their SHA-256 in .vtrial-report.json), never a file it did not
 * write, and a spec the user edited only with --force.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/run-command.js';
import { reportCommand } from '../../src/app/report-command.js';
import { tempDir } from '../helpers.js';

const PROTOCOL = 'test/report/fixtures/small-trial.yaml';

describe('the report never touches a file it did not write', () => {
  const root = tempDir();
  const run = join(root, 'run');
  beforeAll(async () => {
    await runCommand({ protocolFile: PROTOCOL, seed: 3, out: run, force: false });
  });

  it('a same-named file in a folder it never wrote stops it before anything is written', async () => {
    const mine = join(root, 'charts');
    mkdirSync(mine);
    writeFileSync(join(mine, '01-consort.vl.json'), '{"mine": true}');
    writeFileSync(join(mine, '01-sales.vl.json'), '{"sales": 1}');
    await expect(reportCommand({ dir: run, out: join(root, 'charts.html') })).rejects.toThrow(/01-consort\.vl\.json was not written by vtrial report; move it away or choose another --out/);
    await expect(reportCommand({ dir: run, out: join(root, 'charts.html'), force: true })).rejects.toThrow(/was not written by vtrial report/);
    expect(readFileSync(join(mine, '01-consort.vl.json'), 'utf8')).toBe('{"mine": true}');
    expect(readFileSync(join(mine, '01-sales.vl.json'), 'utf8')).toBe('{"sales": 1}');
    expect(existsSync(join(root, 'charts.html'))).toBe(false);
  });

  it('an edited spec is replaced only with --force; stale specs of its own are removed, the user\u2019s kept', async () => {
    await reportCommand({ dir: run });
    const dir = join(run, 'report');
    const manifest = JSON.parse(readFileSync(join(dir, '.vtrial-report.json'), 'utf8')).specs as Record<string, string>;
    expect(Object.keys(manifest).sort()).toEqual(readdirSync(dir).filter((n) => n.endsWith('.vl.json')).sort());
    writeFileSync(join(dir, '02-forest.vl.json'), '{"restyled": true}');
    await expect(reportCommand({ dir: run })).rejects.toThrow(/02-forest\.vl\.json was changed since vtrial report wrote it; keep your copy elsewhere, or add --force/);
    expect(readFileSync(join(dir, '02-forest.vl.json'), 'utf8')).toBe('{"restyled": true}');
    await reportCommand({ dir: run, force: true });
    expect(JSON.parse(readFileSync(join(dir, '02-forest.vl.json'), 'utf8')).$schema).toMatch(/vega-lite/);
    // A spec an earlier report wrote and this one no longer draws goes; a user's spec-like file stays.
    writeFileSync(join(dir, '99-gone.vl.json'), '{}');
    writeFileSync(join(dir, '98-mine.vl.json'), '{}');
    const m = JSON.parse(readFileSync(join(dir, '.vtrial-report.json'), 'utf8'));
    m.specs['99-gone.vl.json'] = '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'; // SHA-256 of "{}"
    writeFileSync(join(dir, '.vtrial-report.json'), JSON.stringify(m));
    await reportCommand({ dir: run });
    expect(existsSync(join(dir, '99-gone.vl.json'))).toBe(false);
    expect(readFileSync(join(dir, '98-mine.vl.json'), 'utf8')).toBe('{}');
  });
});
