// A download's bytes written to its file as they arrive: gathered and written with one positional writev per MiB
// (most blobs: one write in all), at most one write in flight while the next chunks arrive. A write per chunk costs a
// thread-pool round trip each and made downloads about twice as slow as curl's (BENCH.md). While a write is in flight
// and another MiB is waiting, `busy(true)` asks the sender to stop (undici stops reading the socket) until `busy(false)`.
import { writevAll, writevAllSync } from '../../io/disk-write.js';

/** Where the batches go: every byte at a position, or the disk's errno (io/disk-write.ts). */
export interface BatchTarget {
  /** In the background, while the next chunks arrive. */
  write(chunks: Buffer[], pos: number): Promise<void>;
  /** Now: the last batch, which nothing is left to overlap with (a thread-pool round trip would only add its wait). */
  writeNow(chunks: Buffer[], pos: number): void;
}

export const fdTarget = (fd: number): BatchTarget => ({
  write: (chunks, pos) => writevAll(fd, chunks, pos),
  writeNow: (chunks, pos) => writevAllSync(fd, chunks, pos),
});

/** Bytes gathered before one write to disk. */
export const WRITE_BATCH = 1 << 20;

export class BatchWriter {
  private batch: Buffer[] = [];
  private batched = 0;
  private inFlight: Promise<void> | null = null;
  private error: { err: unknown } | null = null;
  private stalled = false;

  /** `at`: the file position the first byte goes to; `failed`: a write failed (the transfer should stop). */
  constructor(private readonly out: BatchTarget, private at: number, private readonly busy: (stop: boolean) => void, private readonly failed: (err: unknown) => void) {}

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
    this.at += this.batched;
    this.batch = [];
    this.batched = 0;
    // Every byte or the disk's errno (writevAll): a short write must not pass as written nor throw outside the
    // rejection handler below (that escaped as an unhandled rejection: test/channel/http/disk-full.test.ts).
    this.inFlight = this.out.write(chunks, pos).then(() => {
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
   * Waits for every write, then writes what is left at once (also after a broken transfer: a resume starts from
   * what is on disk); throws the first write error.
   */
  async end(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    if (this.batched > 0 && !this.error) {
      const chunks = this.batch;
      this.batch = [];
      this.batched = 0;
      try {
        this.out.writeNow(chunks, this.at);
      } catch (err) {
        this.error = { err };
      }
    }
    if (this.error) throw this.error.err;
  }
}
