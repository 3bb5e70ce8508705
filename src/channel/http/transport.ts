// The Transport over HTTP(S) with undici: one keep-alive pool per run, a connect and a read timeout, retries with
// backoff on dropped connections and 5xx, a cap on every response from the sizes the caller knows (signed lengths),
// and downloads streamed to their destination with the sha256 computed on the way. A download broken mid-body is
// resumed with Range + If-Range on the strong ETag: only a 206 whose content-range starts exactly where the file on
// disk ends is appended to, and the kept prefix is re-read and re-hashed first; anything else starts again at 0.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { UpdateError } from '../../core/errors.js';
import type { FetchOptions, ReadOptions, Transport } from '../transport.js';
import { createDispatcher, proxiesFrom, proxyFor, proxyHost } from './dispatcher.js';
import { classify, exhausted, Retryable, statusError } from './errors.js';
import { parseHttpLocation, urlOf, type HttpLocation } from './location.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface HttpTransportOptions {
  /** The variables proxies and NODE_EXTRA_CA_CERTS are read from (cli/ passes process.env). */
  env: Record<string, string | undefined>;
  caFile?: string;
  /** Plain http to a host other than this machine. */
  allowHttp?: boolean;
  /** Connections per origin (the parallel downloads), default 8. */
  connections?: number;
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /** Further attempts after the first, default 4. */
  retries?: number;
  /** First pause before a retry, doubled each time (capped at 8 s). */
  backoffMs?: number;
  /** Credentials known up front (flags, environment): sent with every request. */
  credentials?: Credentials;
  /** Asked once, at the first 401, when no credentials were given (a prompt on a terminal). */
  askCredentials?: () => Promise<Credentials | undefined>;
  /** Injected for tests. */
  dispatcher?: Dispatcher;
}

/** Bytes gathered before one write to disk. */
const WRITE_BATCH = 1 << 20;

/**
 * Every request has a cap and a deadline, set here and nowhere else. The cap: what the caller knows the answer may
 * hold (a signed length, a size a verified manifest names, a limit), else READ_MAX. The deadline, for the whole
 * answer (curl's --max-time and --speed-limit in one): the read timeout plus the cap at MIN_BYTES_PER_SECOND, so a
 * server dripping bytes (each within the read timeout, which only catches silence) cannot hold a run for hours. A
 * blob cut off by its deadline resumes where it ended, like a dropped connection.
 */
export const MIN_BYTES_PER_SECOND = 16 << 10;
const READ_MAX = 16 << 20;
const deadlineMs = (readTimeoutMs: number, bytes: number): number => readTimeoutMs + Math.ceil((bytes * 1000) / MIN_BYTES_PER_SECOND);

const strongEtag = (v: string | string[] | undefined): string | undefined =>
  typeof v === 'string' && v.startsWith('"') ? v : undefined;

const lengthOf = (v: string | string[] | undefined): number | undefined =>
  typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;

function tooLarge(url: URL, limit: number, got: string): UpdateError {
  return new UpdateError('verification', `${url.href} is larger than the ${limit} bytes it may have (${got})`, {
    hint: 'The repository or something between it and here sends more than was signed; nothing was changed.',
  });
}

export class HttpTransport implements Transport {
  readonly location: string;
  readonly remote = true;
  readonly parallelism: number;
  private readonly where: HttpLocation;
  private readonly dispatcher: Dispatcher;
  private readonly readTimeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private auth: string | undefined;
  private asked: Promise<void> | null = null;
  /** The proxy this repository is reached through (undefined: direct). */
  private readonly proxy: string | undefined;

  constructor(raw: string, private readonly o: HttpTransportOptions) {
    this.where = parseHttpLocation(raw, Boolean(o.allowHttp));
    this.location = this.where.location;
    this.readTimeoutMs = o.readTimeoutMs ?? 30_000;
    this.retries = o.retries ?? 4;
    this.backoffMs = o.backoffMs ?? 500;
    this.parallelism = o.connections ?? 8;
    this.proxy = proxyFor(this.where.base, proxiesFrom(o.env));
    if (o.credentials) this.useCredentials(o.credentials);
    this.dispatcher = o.dispatcher ?? createDispatcher({ env: o.env, caFile: o.caFile, connections: this.parallelism, connectTimeoutMs: o.connectTimeoutMs ?? 15_000, base: this.where.base, proxy: this.proxy });
  }

  /**
   * Basic auth sends the password readable by anyone on the path: only over https, or to this machine directly. A
   * plain http request through a proxy hands the Authorization header to the proxy in clear text, loopback or not.
   */
  private useCredentials(c: Credentials): void {
    if (!this.where.secure && this.proxy) {
      throw new UpdateError('usage', `credentials are not sent over plain http through the proxy ${proxyHost(this.proxy)} (http_proxy): it would read them`, {
        hint: `Add ${this.where.base.hostname} to no_proxy so that they go to this machine directly, or use an https:// repository URL.`,
      });
    }
    if (!this.where.secure && !this.where.loopback) {
      throw new UpdateError('usage', `credentials are not sent over plain http to ${this.where.base.host}`, {
        hint: 'Use an https:// repository URL for a repository that needs credentials.',
      });
    }
    this.auth = `Basic ${Buffer.from(`${c.username}:${c.password}`, 'utf8').toString('base64')}`;
  }

  async read(rel: string, opts: ReadOptions = {}): Promise<Buffer> {
    const url = urlOf(this.where.base, rel, opts.encoded);
    const max = opts.maxBytes ?? READ_MAX;
    return this.retrying(url, opts.signal, async () => {
      const res = await this.request(url, {}, opts.signal, max);
      if (res.statusCode !== 200) throw this.refuse(res, url, rel);
      const len = lengthOf(res.headers['content-length']);
      if (len !== undefined && len > max) {
        discard(res.body);
        throw tooLarge(url, max, `content-length ${len}`);
      }
      const chunks: Buffer[] = [];
      let n = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        n += chunk.length;
        if (n > max) {
          discard(res.body);
          throw tooLarge(url, max, `more than ${max} bytes sent`);
        }
        chunks.push(chunk);
      }
      return Buffer.concat(chunks, n);
    });
  }

  async fetchTo(rel: string, dest: string, o: FetchOptions): Promise<void> {
    const url = urlOf(this.where.base, rel);
    // Created while the first request is on its way (each costs a round trip: to the server, to the disk).
    const file = open(dest, 'wx', 0o644);
    file.catch(() => undefined); // awaited below; a failure must not count as unhandled meanwhile
    let done = false;
    // What the file on disk holds so far and the validator it came with: the state a resume starts from.
    const part = { written: 0, etag: undefined as string | undefined };
    try {
      await this.retrying(url, o.signal, () => this.fetchOnce(url, rel, dest, file, o, part));
      if (o.sync) await (await file).sync();
      done = true;
    } finally {
      const fh = await file.catch(() => null);
      await fh?.close();
      // Only a file this call created is removed (a failed open may mean someone else's file is there).
      if (!done && fh) await rm(dest, { force: true });
    }
  }

  private async fetchOnce(url: URL, rel: string, dest: string, file: Promise<FileHandle>, o: FetchOptions, part: { written: number; etag?: string }): Promise<void> {
    const early = part.written === 0 && o.size > 0 ? this.request(url, {}, o.signal, o.size) : null;
    early?.catch(() => undefined); // awaited below, once the file is open
    let fh: FileHandle;
    try {
      fh = await file;
    } catch (err) {
      void early?.then((r) => discard(r.body), () => undefined);
      throw err;
    }
    const restart = async (): Promise<void> => {
      if (part.written > 0) o.onBytes?.(-part.written);
      await fh.truncate(0);
      part.written = 0;
      part.etag = undefined;
    };
    if (part.written > 0) {
      // Resume from what the file on disk really holds (a write cut short by the failure is not counted).
      const onDisk = Math.min((await fh.stat()).size, o.size);
      o.onBytes?.(onDisk - part.written);
      part.written = onDisk;
      await fh.truncate(onDisk);
    }
    // Without a strong validator a resumed range might splice two versions of the file together.
    if (part.written > 0 && !part.etag) await restart();
    if (part.written === o.size) return this.verify(rel, await hashPrefix(dest, o.size), o);
    const headers: Record<string, string> = part.written > 0 ? { range: `bytes=${part.written}-`, 'if-range': part.etag as string } : {};
    const res = await (early ?? this.request(url, headers, o.signal, o.size - part.written));
    let hash: Hash;
    if (part.written > 0 && res.statusCode === 206) {
      const want = `bytes ${part.written}-${o.size - 1}/${o.size}`;
      if (res.headers['content-range'] !== want) {
        discard(res.body);
        await restart();
        throw new Retryable(`the server resumed at another range (${String(res.headers['content-range'])}, expected ${want})`);
      }
      hash = await hashPrefix(dest, part.written);
    } else if (res.statusCode === 200) {
      // A fresh start, or the file changed on the server (If-Range failed): what is on disk is worthless.
      if (part.written > 0) await restart();
      hash = createHash('sha256');
    } else {
      throw this.refuse(res, url, rel);
    }
    const left = o.size - part.written;
    const len = lengthOf(res.headers['content-length']);
    if (len !== undefined && len > left) {
      discard(res.body);
      throw tooLarge(url, o.size, `content-length ${len + part.written}`);
    }
    if (res.statusCode === 200) part.etag = strongEtag(res.headers.etag);
    // Chunks are gathered and written with one positional writev per MiB (most blobs: one write in all), with at
    // most one write in flight while the next chunks arrive: a write per chunk through a stream costs a thread-pool
    // round trip each and made downloads about twice as slow as curl's (BENCH.md).
    let batch: Buffer[] = [];
    let batched = 0;
    let at = part.written;
    let inFlight: Promise<unknown> = Promise.resolve();
    const flush = async () => {
      await inFlight;
      const chunks = batch;
      const pos = at;
      at += batched;
      batch = [];
      batched = 0;
      const n = at - pos;
      inFlight = chunks.length === 0 ? Promise.resolve() : fh.writev(chunks, pos).then((r) => {
        if (r.bytesWritten !== n) throw new Error(`short write to ${dest}: ${r.bytesWritten} of ${n} bytes`);
      });
    };
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (part.written + chunk.length > o.size) {
          discard(res.body);
          throw tooLarge(url, o.size, 'more bytes were sent');
        }
        hash.update(chunk);
        batch.push(chunk);
        batched += chunk.length;
        if (batched >= WRITE_BATCH) await flush();
        part.written += chunk.length;
        o.onBytes?.(chunk.length);
      }
    } finally {
      // What was received is written even when the body broke: a resume starts from what is on disk.
      await flush().catch(() => undefined);
      await inFlight;
    }
    if (part.written < o.size) throw new Retryable(`the download ended after ${part.written} of ${o.size} bytes`);
    this.verify(rel, hash, o);
  }

  private verify(rel: string, hash: Hash, o: FetchOptions): void {
    const got = hash.digest('hex');
    if (got !== o.sha256) {
      throw new UpdateError('verification', `${rel} from ${this.location} does not match its sha256 (expected ${o.sha256}, got ${got})`, {
        hint: 'The repository copy is damaged or was tampered with; nothing was changed. Re-publish the level or use another mirror.',
      });
    }
  }

  /** One GET whose whole answer, of at most `bytes` bytes, must be in by its deadline (see MIN_BYTES_PER_SECOND). */
  private async request(url: URL, headers: Record<string, string>, callerSignal: AbortSignal | undefined, bytes: number): Promise<Sent> {
    const sentAuth = this.auth;
    const ms = deadlineMs(this.readTimeoutMs, bytes);
    const deadline = new AbortController();
    // The reason is what the body stream fails with: a Retryable, so the deadline is retried (and resumed) as a drop.
    const timer = setTimeout(() => deadline.abort(new Retryable(`the answer took longer than ${(ms / 1000).toFixed(1)} s (the read timeout plus ${bytes} bytes at ${MIN_BYTES_PER_SECOND / 1024} KiB/s)`)), ms);
    timer.unref();
    const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
    const res = await this.dispatcher.request({
      origin: url.origin,
      path: url.pathname,
      method: 'GET',
      headers: { ...headers, ...(sentAuth ? { authorization: sentAuth } : {}), 'user-agent': 'wso2update' },
      signal,
      headersTimeout: this.readTimeoutMs,
      bodyTimeout: this.readTimeoutMs,
    }).catch((err: unknown) => {
      clearTimeout(timer);
      throw deadline.signal.aborted && !callerSignal?.aborted ? deadline.signal.reason : err;
    });
    res.body.once('close', () => clearTimeout(timer));
    return Object.assign(res, { sentAuth });
  }

  /** The error for an answer other than the one wanted; a 401 without credentials asks for them (once) and retries. */
  private refuse(res: Sent, url: URL, rel: string): unknown {
    res.body.on('error', () => undefined);
    res.body.resume(); // drain, so that the connection goes back to the pool
    if (res.statusCode === 404) {
      return new UpdateError('not-found', `${rel} is missing from ${this.location} (404)`, {
        hint: 'The repository is incomplete or --repo points at the wrong place: check the URL, or publish the level again.',
        status: 404,
      });
    }
    if (res.statusCode === 401 && !res.sentAuth && (this.auth || this.o.askCredentials)) {
      // Asked once for the whole run; requests already on their way without them are repeated with them.
      this.asked ??= this.o.askCredentials?.().then((c) => { if (c) this.useCredentials(c); }) ?? Promise.resolve();
      return new CredentialsAsked(this.asked);
    }
    const retryAfter = lengthOf(res.headers['retry-after']);
    const e = statusError(res.statusCode, url, Boolean(res.sentAuth));
    return e instanceof Retryable && retryAfter !== undefined ? new Retryable(e.message, Math.min(retryAfter, 30) * 1000) : e;
  }

  private async retrying<T>(url: URL, signal: AbortSignal | undefined, attempt: () => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (thrown) {
        if (signal?.aborted) throw interrupted(url);
        if (thrown instanceof CredentialsAsked) {
          await thrown.asked; // try again at once with them; not counted as a retry
          if (!this.auth) throw statusError(401, url, false);
          n -= 1;
          continue;
        }
        const err = classify(thrown, url);
        if (!(err instanceof Retryable)) throw err;
        if (n >= this.retries) throw exhausted(err, url, n + 1);
        const backoff = Math.min(this.backoffMs * 2 ** n, 8000) * (0.75 + Math.random() * 0.5);
        await sleep(Math.max(backoff, err.retryAfterMs ?? 0), signal).catch(() => { throw interrupted(url); });
      }
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

type Sent = Dispatcher.ResponseData & { sentAuth?: string };

/** A 401 answered by asking the operator: the request is repeated once the answer is in. */
class CredentialsAsked extends Error {
  constructor(readonly asked: Promise<void>) {
    super('credentials needed');
  }
}

function interrupted(url: URL): UpdateError {
  return new UpdateError('interrupted', `interrupted while fetching ${url.href}`, { hint: 'Run the command again when ready.' });
}

/** Stops reading a body we refuse; its abort error has nobody to go to. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal?.reason); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The sha256 state after the first `n` bytes of a partial download, read back from disk (what was really kept). */
async function hashPrefix(file: string, n: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (n === 0) return hash; // an empty blob: nothing to read back (a read stream cannot end at byte -1)
  let seen = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: n - 1, highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    seen += (chunk as Buffer).length;
  }
  if (seen !== n) throw new Retryable(`the partial download was ${seen} bytes on disk, not ${n}`);
  return hash;
}
