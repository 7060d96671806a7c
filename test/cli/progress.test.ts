import { describe, expect, it } from 'vitest';
import { colourAllowed, duration, plainInterval, rateText, spinnerAllowed, startProgress } from '../../src/cli/progress.js';

function plain(opts: { quiet?: boolean; interactive?: boolean; columns?: number; env?: NodeJS.ProcessEnv } = {}) {
  const lines: string[] = [];
  let t = 0;
  const p = startProgress('vtrial run', { quiet: opts.quiet ?? false, interactive: opts.interactive ?? false, columns: opts.columns, writeLine: (s) => lines.push(s), env: opts.env ?? {}, now: () => t });
  return { p, lines, at: (ms: number) => (t = ms) };
}

describe('progress off a terminal: a plain line at most every 30 s', () => {
  it('nothing before 30 s, then one line per 30 s however often it is updated', () => {
    const { p, lines, at } = plain();
    for (let ms = 0; ms < 29_999; ms += 100) (at(ms), p.update(`at ${ms}`));
    expect(lines).toEqual([]);
    at(30_000);
    p.update('replicate 5/10');
    at(30_001);
    p.update('replicate 6/10');
    at(59_999);
    p.update('replicate 7/10');
    at(60_000);
    p.update('replicate 8/10');
    expect(lines).toEqual(['vtrial run: replicate 5/10', 'vtrial run: replicate 8/10']);
  });
  it('a terminal reporting 0 or no columns gets plain lines, not a spinner', () => {
    for (const columns of [0, undefined, 5]) {
      const { p, lines, at } = plain({ interactive: true, columns, env: { VTRIAL_PROGRESS_INTERVAL_MS: '10' } });
      at(10);
      p.update('twin 1000/5000');
      p.stop();
      expect(lines).toEqual(['vtrial run: twin 1000/5000']);
    }
  });
  it('a spinner only on a terminal of sane width, not under TERM=dumb or CI', () => {
    expect(spinnerAllowed({ interactive: true, columns: 80 }, {})).toBe(true);
    expect(spinnerAllowed({ interactive: false, columns: 80 }, {})).toBe(false);
    expect(spinnerAllowed({ interactive: true, columns: 0 }, {})).toBe(false);
    expect(spinnerAllowed({ interactive: true, columns: undefined }, {})).toBe(false);
    expect(spinnerAllowed({ interactive: true, columns: 80 }, { TERM: 'dumb' })).toBe(false);
    expect(spinnerAllowed({ interactive: true, columns: 80 }, { CI: 'true' })).toBe(false);
  });
  it('--quiet: nothing at all', () => {
    const { p, lines, at } = plain({ quiet: true, env: { VTRIAL_PROGRESS_INTERVAL_MS: '0' } });
    at(100_000);
    p.update('x');
    expect(lines).toEqual([]);
  });
  it('the interval can be set through VTRIAL_PROGRESS_INTERVAL_MS (for tests); nonsense falls back to 30 s', () => {
    expect(plainInterval({ VTRIAL_PROGRESS_INTERVAL_MS: '250' })).toBe(250);
    expect(plainInterval({ VTRIAL_PROGRESS_INTERVAL_MS: 'soon' })).toBe(30_000);
    expect(plainInterval({ VTRIAL_PROGRESS_INTERVAL_MS: '-1' })).toBe(30_000);
    expect(plainInterval({})).toBe(30_000);
  });
});

describe('progress text', () => {
  it('colour only when NO_COLOR, FORCE_COLOR=0 and TERM=dumb are all absent', () => {
    expect(colourAllowed({})).toBe(true);
    expect(colourAllowed({ NO_COLOR: '' })).toBe(false);
    expect(colourAllowed({ NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed({ FORCE_COLOR: '0' })).toBe(false);
    expect(colourAllowed({ TERM: 'dumb' })).toBe(false);
  });
  it('rate and ETA', () => {
    expect(rateText(412, 3000, 0, 10_000)).toBe('41.2/s · ETA 1m 03s');
    expect(rateText(0, 3000, 0, 10_000)).toBe('0.0/s · ETA ?');
    expect([duration(42), duration(70), duration(3725), duration(Infinity)]).toEqual(['42s', '1m 10s', '1h 02m', '?']);
  });
});
