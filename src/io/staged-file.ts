/** A file written as a stream (bounded memory) that knows its SHA-256 and size once closed. */
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export class StagedFile {
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private failed: Error | null = null;
  private closed = false;
  bytes = 0;
  sha256 = '';

  constructor(readonly path: string) {
    // Opened synchronously: the file exists (and an undo action can remove it) from now on.
    this.stream = createWriteStream(path, { fd: openSync(path, 'w'), encoding: 'utf8' });
    this.stream.on('error', (err) => (this.failed = err));
  }

  async write(chunk: string): Promise<void> {
    if (this.failed) throw this.failed;
    this.hash.update(chunk, 'utf8');
    this.bytes += Buffer.byteLength(chunk, 'utf8');
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, 'drain'), once(this.stream, 'error')]);
    if (this.failed) throw this.failed;
  }

  async close(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.closed) return;
    this.closed = true;
    this.sha256 = this.hash.digest('hex');
    this.stream.end();
    await Promise.race([once(this.stream, 'close'), once(this.stream, 'error')]);
    if (this.failed) throw this.failed;
  }

  destroy(): void {
    this.closed = true;
    this.stream.destroy();
  }
}
