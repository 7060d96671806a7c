/** A destroyed StagedFile closes its descriptor exactly once: never a number the process has since reopened. */
import { closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StagedFile } from '../../src/io/staged-file.js';
import { tempDir } from '../helpers.js';

describe('StagedFile.destroy', () => {
  it('a file opened after one is destroyed (often on the same descriptor number) is written and closed intact', async () => {
    const dir = tempDir();
    let reused = 0;
    for (let t = 0; t < 30; t++) {
      const a = new StagedFile(join(dir, `a${t}.csv`));
      await a.write('partial\n');
      const fdA = (a as unknown as { fd: number }).fd;
      a.destroy();
      // Keep opening files until one gets the destroyed file's number (or give up after 100 ms).
      let b: StagedFile | undefined;
      const until = Date.now() + 100;
      while (!b && Date.now() < until) {
        const f = new StagedFile(join(dir, `b${t}.csv`));
        if ((f as unknown as { fd: number }).fd === fdA) b = f;
        else closeSync((f as unknown as { fd: number }).fd);
        await new Promise((r) => setImmediate(r));
      }
      await new Promise((r) => setTimeout(r, 10));
      if (!b) continue;
      reused++;
      await b.write('x\n');
      await b.close();
      expect(b.bytes).toBe(2);
    }
    expect(reused).toBeGreaterThan(0);
  });
});
