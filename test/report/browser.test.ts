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
import { runCommand } from '../../src/app/run-command.js';
import { reportCommand } from '../../src/app/report-command.js';
import { tempDir } from '../helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const WHY = HAVE_CHROMIUM ? '' : ` (SKIPPED: no Chromium at ${CHROMIUM}; install Debian's chromium or set CHROMIUM_PATH)`;
if (!HAVE_CHROMIUM) console.warn(`test/report/browser.test.ts: the browser check of the HTML report is skipped: no Chromium at ${CHROMIUM} (install Debian's chromium package, or set CHROMIUM_PATH; .ci/run installs it)`);

describe.skipIf(!HAVE_CHROMIUM)(`the report in headless Chromium${WHY}`, () => {
  it('opens offline with no console error, draws every chart with a non-zero size, and is saved as a screenshot', async () => {
    const dir = join(tempDir(), 'run');
    await runCommand({ protocolFile: 'test/report/fixtures/small-trial.yaml', seed: 3, out: dir, force: false });
    const report = await reportCommand({ dir });
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    try {
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
      const png = join(dir, 'report-screenshot.png');
      await page.screenshot({ path: png, fullPage: true });
      expect(statSync(png).size).toBeGreaterThan(50_000);
      console.log(`report screenshot: ${png}`);
    } finally {
      await browser.close();
    }
  });
});
