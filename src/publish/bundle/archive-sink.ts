// The archive being written, as a sink the bundle writer (write.ts) fills in order: two large buffers, one filled
// (files are read straight into it) while the other's write is in flight, every byte hashed once as its buffer is
// handed over, so the archive's sha256 needs no read-back. Issue 22: one small write per header, piece and padding,
// each a thread-pool round trip, was most of create-update's time.
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** The size of each of the sink's two buffers: few, large writes (a 100 MB bundle is ~25 of them). */
export const SINK_BYTES = 4 << 20;

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  for (let off = 0; off < chunk.length;) off += (await handle.write(chunk, off, chunk.length - off)).bytesWritten;
}

/** The archive file behind `handle`, written from its start. */
export class ArchiveSink {
  private readonly hash = createHash('sha256');
  private readonly bufs = [Buffer.allocUnsafe(SINK_BYTES), Buffer.allocUnsafe(SINK_BYTES)];
  private cur = 0;
  private inflight: Promise<void> = Promise.resolve();
  /** Bytes filled in the current buffer. */
  fill = 0;
  bytes = 0;
  constructor(private readonly handle: FileHandle) {}

  /** The buffer being filled; bytes go at `fill`, up to `room`. */
  get buf(): Buffer {
    return this.bufs[this.cur];
  }

  get room(): number {
    return SINK_BYTES - this.fill;
  }

  /** Hands the filled buffer to a write and switches to the other, once that one's write is done. */
  async flush(): Promise<void> {
    if (this.fill === 0) return;
    const chunk = this.buf.subarray(0, this.fill);
    this.hash.update(chunk);
    this.bytes += chunk.length;
    const previous = this.inflight;
    // Chained, so that writes land in order; marked handled here and awaited (rethrowing) before the buffer is reused.
    this.inflight = previous.then(() => writeAll(this.handle, chunk));
    this.inflight.catch(() => undefined);
    this.cur ^= 1;
    this.fill = 0;
    await previous;
  }

  /** Copies `data` in, flushing as the buffer fills. */
  async put(data: Uint8Array): Promise<void> {
    for (let off = 0; off < data.length;) {
      if (this.room === 0) await this.flush();
      const n = Math.min(this.room, data.length - off);
      this.buf.set(data.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
    }
  }

  /** `n` zero bytes (a data block's padding, the end-of-archive marker). */
  async zeros(n: number): Promise<void> {
    while (n > 0) {
      if (this.room === 0) await this.flush();
      const k = Math.min(this.room, n);
      this.buf.fill(0, this.fill, this.fill + k);
      this.fill += k;
      n -= k;
    }
  }

  /** Everything written; the archive's sha256. */
  async end(): Promise<string> {
    await this.flush();
    await this.inflight;
    return this.hash.digest('hex');
  }

  /** Waits out a write still in flight (its error is the one already thrown, or moot) before the handle closes. */
  async settle(): Promise<void> {
    await this.inflight.catch(() => undefined);
  }
}
