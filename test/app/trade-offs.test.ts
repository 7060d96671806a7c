import { describe, expect, it } from 'vitest';
import { screenCommand, screenTradeOffs } from '../../src/app/screen-command.js';
import { UsageError } from '../../src/errors/usage-error.js';

const T2D = 'protocols/t2d-weekly-injectable.yaml';

describe('screen --trade-offs', () => {
  it('screens the same twins for every variant: the first row is vtrial screen, and removing a criterion never screens more', () => {
    const r = screenTradeOffs({ protocolFile: T2D, seed: 7, replicate: 0 });
    const flow = screenCommand({ protocolFile: T2D, seed: 7, replicate: 0 });
    expect(r.rows[0]).toMatchObject({ criterion: null, change: 'as written', screened: flow.screened, screenFailureRate: flow.screenFailureRate, screenedPerEnrolled: flow.screenedPerEnrolled });
    for (const row of r.rows.slice(1)) {
      expect(row.targetReached).toBe(true);
      expect(row.screened).toBeLessThanOrEqual(flow.screened);
    }
    // HbA1c 7-10% is the criterion that costs the most: without it 391 twins are screened for 388 (seed 7), 433 with it.
    const hba1c = r.rows.find((x) => x.criterion === 'inclusion.hba1c_range' && x.change === 'removed')!;
    expect(flow.screened).toBe(433);
    expect(hba1c.screened).toBe(391);
    expect(r.rows.find((x) => x.criterion === 'inclusion.hba1c_range' && x.change === 'threshold moved')!.expr).toBe('hba1c >= 6.3 and hba1c <= 11.0');
  });

  it('takes --move ID=EXPR and refuses an unknown criterion', () => {
    const r = screenTradeOffs({ protocolFile: T2D, seed: 7, replicate: 0, moves: ['hba1c_range=hba1c >= 7.5 and hba1c <= 10.0'] });
    const moved = r.rows.find((x) => x.criterion === 'inclusion.hba1c_range' && x.change === 'threshold moved')!;
    expect(moved.expr).toBe('hba1c >= 7.5 and hba1c <= 10.0');
    expect(moved.screened).toBeGreaterThan(r.rows[0]!.screened);
    expect(() => screenTradeOffs({ protocolFile: T2D, seed: 7, replicate: 0, moves: ['nope=age > 1'] })).toThrow(UsageError);
  });
});
