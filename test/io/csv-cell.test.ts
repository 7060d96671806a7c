import { describe, expect, it } from 'vitest';
import { neutraliseFormula } from '../../src/util/csv-cell.js';
import { TableWriter } from '../../src/io/table-writer.js';

describe('CSV cells a spreadsheet could run as formulas (OWASP CSV injection)', () => {
  it.each([
    ['=HYPERLINK("http://evil","x")', `'=HYPERLINK("http://evil","x")`],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
  ])('prefixes %j with a single quote', (text, safe) => {
    expect(neutraliseFormula(text)).toBe(safe);
  });
  it.each(['-1.5', '+2', '-3e-4', '-.5', 'Nausea', 'a=b', '', "'quoted", 'NA', '1-2'])('leaves %j unchanged', (text) => {
    expect(neutraliseFormula(text)).toBe(text);
  });
  it('the table writer applies it to every text cell and header, and writes numbers as numbers', async () => {
    let out = '';
    const w = new TableWriter({ write: async (s) => void (out += s) }, 'csv', ['id', '=col'], 1);
    await w.add(['=1+1', -1.5]);
    await w.add(['-x', true]);
    await w.flush();
    expect(out).toBe("id,'=col\n'=1+1,-1.5\n'-x,Y\n");
  });
  it('JSON Lines output is not changed', async () => {
    let out = '';
    const w = new TableWriter({ write: async (s) => void (out += s) }, 'jsonl', ['id'], 10);
    await w.add(['=1+1']);
    await w.flush();
    expect(out).toBe('{"id":"=1+1"}\n');
  });
});
