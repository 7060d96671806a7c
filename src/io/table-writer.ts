/** Streams table rows to CSV (csv-stringify) or JSON Lines in chunks, in bounded memory. */
import { stringify } from 'csv-stringify/sync';
import type { Value } from '../expr/compile.js';
import { neutraliseFormula } from '../util/csv-cell.js';

export type TableFormat = 'csv' | 'jsonl';

export interface RowSink {
  write(chunk: string): Promise<void>;
}

/** Buffers rows and flushes them in chunks, so a million rows never sit in memory at once. */
export class TableWriter {
  private buffer: Value[][] = [];
  private headerWritten = false;
  /** Rows added so far (the header not counted). */
  rows = 0;

  constructor(
    private readonly sink: RowSink,
    private readonly format: TableFormat,
    private readonly columns: readonly string[],
    private readonly chunkRows = 2000,
  ) {}

  async add(values: Value[]): Promise<void> {
    this.buffer.push(values);
    this.rows++;
    if (this.buffer.length >= this.chunkRows) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.format === 'csv') {
      // Every text cell (and header) goes through the one formula neutraliser (csv-cell.ts).
      const chunk = stringify(this.buffer, {
        header: !this.headerWritten,
        columns: this.columns.map(neutraliseFormula),
        cast: { boolean: (b) => (b ? 'Y' : 'N'), string: neutraliseFormula },
      });
      this.headerWritten = true;
      this.buffer = [];
      if (chunk) await this.sink.write(chunk);
      return;
    }
    let out = '';
    for (const values of this.buffer) {
      const obj: Record<string, Value> = {};
      this.columns.forEach((c, i) => (obj[c] = values[i]!));
      out += JSON.stringify(obj) + '\n';
    }
    this.buffer = [];
    if (out) await this.sink.write(out);
  }
}

export function formatFromPath(path: string): TableFormat | undefined {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return undefined;
}
