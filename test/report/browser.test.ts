/**
 * The report as a person sees it: opened in headless Chromium (Debian's chromium, driven by
 * puppeteer-core, which downloads nothing) from a file: URL with the network cut off. No console
 * error, no request beyond the page itself (no external resource), every chart drawn with a
 * non-zero size, and a screenshot saved in the temp dir. Skipped, with the reason in the test's
 * name, where no Chromium is installed (CHROMIUM_PATH, else /usr/bin/chromium); .ci/run installs it.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFileSync, readFileSync } from 'node:fs';
import type { Browser } from 'puppeteer-core';
import { runCommand } from '../../src/app/run-command.js';
import { reportCommand } from '../../src/app/report-command.js';
import { sweepCommand } from '../../src/app/sweep-command.js';
import { compareCommand } from '../../src/app/compare-command.js';
import { replicatesCommand } from '../../src/app/replicates-command.js';
import { sampleSizeSimulation } from '../../src/app/sample-size-simulation.js';
import { screenTradeOffsReplicates } from '../../src/app/screen-command.js';
import { REPO } from '../adversarial/harness.js';
import { meansProtocol } from '../replicates/interim-helpers.js';
import { tempDir } from '../helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const WHY = HAVE_CHROMIUM ? '' : ` (SKIPPED: no Chromium at ${CHROMIUM}; install Debian's chromium or set CHROMIUM_PATH)`;
if (!HAVE_CHROMIUM) console.warn(`test/report/browser.test.ts: the browser check of the HTML report is skipped: no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH; .ci/run installs it)`);

/**
 * Opens a report offline: no console error or warning, no request beyond the page, every chart
 * (by its <title>, in order) larger than 100 x 50 px; a full-page screenshot goes to PNG.
 */
async function checkInBrowser(browser: Browser, report: Awaited<ReturnType<typeof reportCommand>>, png: string): Promise<void> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('request', (r) => requests.push(r.url()));
  await page.setOfflineMode(true);
  await page.setViewport({ width: 1200, height: 900 });
  const url = pathToFileURL(report.file).href;
  await page.goto(url, { waitUntil: 'load' });
  const sizes = await page.$$eval('figure > svg', (svgs) => svgs.map((s) => ({ label: s.querySelector('title')?.textContent ?? '', ...(({ width, height }) => ({ width, height }))(s.getBoundingClientRect()) })));
  expect(sizes).toHaveLength(report.charts.length);
  expect(sizes.map((s) => s.label)).toEqual(report.charts.map((c) => c.title));
  for (const s of sizes) {
    expect(s.width, s.label).toBeGreaterThan(100);
    expect(s.height, s.label).toBeGreaterThan(50);
  }
  expect(problems).toEqual([]);
  expect(requests).toEqual([url]);
  await page.screenshot({ path: png, fullPage: true });
  expect(statSync(png).size).toBeGreaterThan(50_000);
  console.log(`report screenshot: ${png}`);
  await page.close();
}

async function withBrowser(f: (b: Browser) => Promise<void>): Promise<void> {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await f(browser);
  } finally {
    await browser.close();
  }
}

describe.skipIf(!HAVE_CHROMIUM)(`the report in headless Chromium${WHY}`, () => {
  it('opens offline with no console error, draws every chart with a non-zero size, and is saved as a screenshot', async () => {
    const dir = join(tempDir(), 'run');
    await runCommand({ protocolFile: 'test/report/fixtures/small-trial.yaml', seed: 3, out: dir, force: false });
    const report = await reportCommand({ dir });
    await withBrowser((b) => checkInBrowser(b, report, join(dir, 'report-screenshot.png')));
  });

  it('the report of a group-sequential replicate run, likewise', async () => {
    const dir = join(tempDir(), 'sequential');
    const file = meansProtocol({ extra: 'scenarios: [ { name: "null", no_effect: true } ]' });
    await replicatesCommand({ protocolFile: file, seed: 4, replicates: 40, workers: 1, keepPatients: 0, out: dir, force: false });
    const report = await reportCommand({ dir });
    expect(report.charts.slice(0, 4).map((c) => c.id)).toEqual(['01-sequential-boundaries', '02-sequential-stopping', '03-sequential-cumulative-rejection', '04-sequential-expected']);
    await withBrowser((b) => checkInBrowser(b, report, join(dir, 'report-screenshot.png')));
  });

  it('the reports of a sweep (two varied paths) and of a comparison, likewise', async () => {
    const root = tempDir();
    const power = join(REPO, 'test/fixtures/protocols/power.yaml');
    const sweep = join(root, 'sweep');
    await sweepCommand({ protocolFile: power, vary: ['enrolment.target=32,64,96', 'biomarkers.y.drug_effect.emax=0.3,0.6'], replicates: 20, seed: 2, workers: 1, out: sweep, force: false });
    const larger = join(root, 'larger.yaml');
    writeFileSync(larger, readFileSync(power, 'utf8').replace('cohort: cohort.yaml', `cohort: ${JSON.stringify(join(REPO, 'test/fixtures/protocols/cohort.yaml'))}`).replace('target: 64', 'target: 96'));
    const cmp = join(root, 'cmp');
    await compareCommand({ protocolFiles: [power, larger], seed: 3, replicates: 20, workers: 1, out: cmp, force: false });
    const reports = [await reportCommand({ dir: sweep }), await reportCommand({ dir: cmp })];
    expect(reports.map((r) => [r.kind, r.charts.length])).toEqual([['sweep', 6], ['compare', 5]]);
    await withBrowser(async (b) => {
      await checkInBrowser(b, reports[0]!, join(sweep, 'report-screenshot.png'));
      await checkInBrowser(b, reports[1]!, join(cmp, 'report-screenshot.png'));
    });
  });

  it('the reports of a simulated sample-size search and of the criteria trade-offs with replicates, likewise', async () => {
    const root = tempDir();
    const n = join(root, 'n');
    await sampleSizeSimulation({ protocolFile: 'test/fixtures/protocols/sample-size-normal.yaml', power: 0.8, replicates: 100, pilotReplicates: 50, seed: 1, workers: 1, out: n, force: false });
    const t = join(root, 't');
    await screenTradeOffsReplicates({ protocolFile: 'test/fixtures/protocols/trade-offs.yaml', seed: 5, replicates: 30, workers: 1, out: t, force: false });
    const reports = [await reportCommand({ dir: n }), await reportCommand({ dir: t })];
    expect(reports.map((r) => [r.kind, r.charts.length])).toEqual([['sample-size', 1], ['trade-offs', 2]]);
    await withBrowser(async (b) => {
      await checkInBrowser(b, reports[0]!, join(n, 'report-screenshot.png'));
      await checkInBrowser(b, reports[1]!, join(t, 'report-screenshot.png'));
    });
  }, 120_000);
});
