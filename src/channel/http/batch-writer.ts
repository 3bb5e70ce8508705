// A download's bytes written to its file as they arrive: gathered and written with one positional writev per MiB
// (most blobs: one write in all), at most one write in flight while the next chunks arrive. A write per chunk costs a
// thread-pool round trip each and made downloads about twice as slow as curl's (BENCH.md). While a write is in flight
// and another MiB is waiting, `busy(true)` asks the sender to stop (undici stops reading the socket) until `busy(false)`.
import type { FileHandle } from 'node:fs/promises';

/** Bytes gathered before one write to disk. */
export const WRITE_BATCH = 1 << 20;

export class BatchWriter {
  private batch: Buffer[] = [];
  private batched = 0;
  private inFlight: Promise<void> | null = null;
  private error: { err: unknown } | null = null;
  private stalled = false;

  /** `at`: the file position the first byte goes to; `failed`: a write failed (the transfer should stop). */
  constructor(private readonly fh: FileHandle, private at: number, private readonly dest: string, private readonly busy: (stop: boolean) => void, private readonly failed: (err: unknown) => void) {}

  push(chunk: Buffer): void {
    if (this.error) return; // the transfer is being stopped: nothing more goes to disk
    this.batch.push(chunk);
    this.batched += chunk.length;
    if (this.batched < WRITE_BATCH) return;
    if (!this.inFlight) this.write();
    else if (!this.stalled) {
      this.stalled = true;
      this.busy(true);
    }
  }

  private write(): void {
    const chunks = this.batch;
    const pos = this.at;
    const n = this.batched;
    this.at += n;
    this.batch = [];
    this.batched = 0;
    this.inFlight = this.fh.writev(chunks, pos).then((r) => {
      if (r.bytesWritten !== n) throw new Error(`short write to ${this.dest}: ${r.bytesWritten} of ${n} bytes`);
      this.inFlight = null;
      if (this.batched >= WRITE_BATCH && !this.error) this.write();
      else if (this.stalled) {
        this.stalled = false;
        this.busy(false);
      }
    }, (err: unknown) => {
      this.inFlight = null;
      this.error ??= { err };
      this.failed(err);
    });
  }

  /**
   * Writes what is left (also after a broken transfer: a resume starts from what is on disk) and waits for every
   * write; throws the first write error.
   */
  async end(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.batched > 0 && !this.error) {
      this.write();
      while (this.inFlight) await this.inFlight;
    }
    if (this.error) throw this.error.err;
  }
}
