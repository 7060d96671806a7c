/** A file written as a stream (bounded memory) that knows its SHA-256 and size once closed. */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export class StagedFile {
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private failed: Error | null = null;
  private closed = false;
  private readonly fd: number;
  bytes = 0;
  sha256 = '';

  constructor(readonly path: string) {
    // Opened synchronously: the file exists (and an undo action can remove it) from now on.
    this.fd = openSync(path, 'w');
    this.stream = createWriteStream(path, { fd: this.fd, encoding: 'utf8', autoClose: false });
    this.stream.on('error', (err) => (this.failed = err));
  }

  async write(chunk: string): Promise<void> {
    if (this.failed) throw this.failed;
    this.hash.update(chunk, 'utf8');
    this.bytes += Buffer.byteLength(chunk, 'utf8');
    // once() rejects on 'error' and removes its listeners either way (a race of two once() calls
    // would leave one listener behind per wait).
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    if (this.failed) throw this.failed;
  }

  async close(): Promise<void> {
    if (this.failed) throw this.failed;
    if (this.closed) return;
    this.closed = true;
    this.sha256 = this.hash.digest('hex');
    this.stream.end();
    await once(this.stream, 'finish');
    if (this.failed) throw this.failed;
    // On disk before it is renamed into place: after a power loss a published file is never empty.
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    // destroy() closes the descriptor itself once the stream's pending writes are done (whatever
    // autoClose says). It must be the only close: a second one, later or sooner, could hit the
    // same number reopened by the next file in this process.
    this.stream.destroy();
  }
}
