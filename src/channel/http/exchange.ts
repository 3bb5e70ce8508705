// One GET on undici's low-level dispatch(): the status and headers come as a promise, the body as calls to a sink,
// with no stream and no promise per chunk (undici's request() builds a Readable per body and its async iterator a
// promise per chunk: measured, about 35% more CPU than dispatch() on the bench's 288 blobs). The cap on the body, the
// deadline for the whole answer and the caller's interrupt are enforced here, for every request, and the first failure
// is the one reported.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

export interface Head {
  statusCode: number;
  headers: IncomingHttpHeaders;
}

/** What is done with each chunk of the body; it may call Exchange.fail to stop the transfer. */
export type Sink = (chunk: Buffer) => void;

export interface ExchangeOptions {
  url: URL;
  headers: Record<string, string>;
  /** The operator's interrupt: fails the exchange at once with its reason. */
  signal?: AbortSignal;
  /** The most body bytes a 200 answer may have (and a 206, unless `partialMax`): a longer one fails with `tooLarge`. */
  maxBytes: number;
  partialMax?: number;
  tooLarge: (got: string) => Error;
  /** The whole answer must be in by then, else it fails with `late()`. */
  deadlineMs: number;
  late: () => Error;
  /** undici's silence timeouts (no headers, no body bytes for this long). */
  readTimeoutMs: number;
}

/** Bytes of a body held while nobody takes them yet (before attach) before undici is asked to stop reading. */
const HOLD_MAX = 1 << 20;
/** Bytes of an unwanted answer (a 404's page) read to keep the connection; a longer one closes it. */
const DRAIN_MAX = 64 << 10;

export class Exchange implements Dispatcher.DispatchHandler {
  readonly head: Promise<Head>;
  /** Settles when the body has ended (or the exchange failed); rejections are handled here, await it to see them. */
  readonly done: Promise<void>;
  private resolveHead!: (h: Head) => void;
  private rejectHead!: (e: unknown) => void;
  private resolveDone!: () => void;
  private rejectDone!: (e: unknown) => void;
  private controller: Dispatcher.DispatchController | null = null;
  private failure: { err: unknown } | null = null;
  /** The body has ended (undici is done with it); `done` resolves once the sink has also had every chunk. */
  private ended = false;
  private settled = false;
  private sink: Sink | null = null;
  /** Body bytes received, and the most a wanted answer (200, 206) may have; an error page's are not counted. */
  private received = 0;
  private cap = Infinity;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private holdPaused = false;
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort: (() => void) | null = null;

  constructor(dispatcher: Dispatcher, private readonly o: ExchangeOptions) {
    this.head = new Promise((resolve, reject) => { this.resolveHead = resolve; this.rejectHead = reject; });
    this.done = new Promise((resolve, reject) => { this.resolveDone = resolve; this.rejectDone = reject; });
    this.head.catch(() => undefined); // seen through `done` by whoever awaits it; never unhandled meanwhile
    this.done.catch(() => undefined);
    // One plain timer per request (no AbortController, no AbortSignal.any): unref'd, so it never holds the process.
    this.timer = setTimeout(() => this.fail(o.late()), o.deadlineMs);
    this.timer.unref();
    if (o.signal) {
      if (o.signal.aborted) {
        this.fail(o.signal.reason);
      } else {
        const signal = o.signal;
        this.onAbort = () => this.fail(signal.reason);
        signal.addEventListener('abort', this.onAbort, { once: true });
      }
    }
    if (this.failure) return;
    dispatcher.dispatch({
      origin: o.url.origin,
      path: o.url.pathname,
      method: 'GET',
      headers: o.headers,
      headersTimeout: o.readTimeoutMs,
      bodyTimeout: o.readTimeoutMs,
    }, this);
  }

  /** Stops the exchange with `err` (the first failure wins): the promises reject at once, the connection is closed. */
  fail(err: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.failure = { err };
    this.finish();
    this.rejectHead(err);
    this.rejectDone(err);
    if (!this.ended) this.controller?.abort(err instanceof Error ? err : new Error(String(err)));
  }

  /** fail(err), returning `err` to throw: for a refusal decided on the status and headers. */
  failWith<E>(err: E): E {
    this.fail(err);
    return err;
  }

  /** Hands the body to `sink`, first what arrived before this call. */
  attach(sink: Sink): void {
    this.sink = sink;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const chunk of held) {
      if (this.failure) return;
      sink(chunk);
    }
    if (this.ended) this.succeed();
    else if (this.holdPaused) {
      this.holdPaused = false;
      this.controller?.resume();
    }
  }

  /** Reads and drops an unwanted answer's body (short ones only), so that the connection can serve the next request. */
  drain(): void {
    let n = 0;
    this.attach((chunk) => {
      n += chunk.length;
      if (n > DRAIN_MAX) this.fail(new Error('an unwanted answer was too long to drain'));
    });
  }

  /** Backpressure for a sink that cannot keep up (a write to disk in flight): undici stops reading the socket. */
  pause(): void {
    this.controller?.pause();
  }

  resume(): void {
    this.controller?.resume();
  }

  private succeed(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveDone();
  }

  private finish(): void {
    clearTimeout(this.timer);
    if (this.onAbort) this.o.signal?.removeEventListener('abort', this.onAbort);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Failed while waiting for a connection: undici has a way to stop it only now.
    if (this.failure) controller.abort(this.failure.err instanceof Error ? this.failure.err : new Error(String(this.failure.err)));
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // an informational answer (100 Continue): the real one follows
    this.cap = statusCode === 200 ? this.o.maxBytes : statusCode === 206 ? this.o.partialMax ?? this.o.maxBytes : Infinity;
    const len = headers['content-length'];
    if (typeof len === 'string' && /^\d+$/.test(len) && Number(len) > this.cap) return this.fail(this.o.tooLarge(`content-length ${len}`));
    this.resolveHead({ statusCode, headers });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.failure) return;
    this.received += chunk.length;
    if (this.received > this.cap) return this.fail(this.o.tooLarge(`more than ${this.cap} bytes sent`));
    if (this.sink) return this.sink(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= HOLD_MAX && !this.holdPaused) {
      this.holdPaused = true;
      controller.pause();
    }
  }

  onResponseEnd(): void {
    if (this.failure) return;
    this.ended = true;
    this.finish();
    // A body that ended before anyone attached: `done` waits for attach to hand its chunks over.
    if (this.sink) this.succeed();
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    this.fail(err);
  }
}
