// The Transport over HTTP(S) with undici: one keep-alive pool per run, a connect and a read timeout, retries with
// backoff on dropped connections and 5xx, a cap on every response from the sizes the caller knows (signed lengths),
// and downloads streamed to their destination with the sha256 computed on the way. A download broken mid-body is
// resumed with Range + If-Range on the strong ETag: only a 206 whose content-range starts exactly where the file on
// disk ends is appended to, and the kept prefix is re-read and re-hashed first; anything else starts again at 0.
import { noRoomError, writevAllSync } from '../../io/disk-write.js';
import { createHash, type Hash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, fsync, ftruncateSync, open as openCb, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import type { Dispatcher } from 'undici';
import { UpdateError } from '../../core/errors.js';
import type { FetchOptions, ReadOptions, Transport } from '../transport.js';
import { createDispatcher, proxiesFrom, proxyFor, proxyHost } from './dispatcher.js';
import { BatchWriter, fdTarget } from './batch-writer.js';
import { classify, exhausted, Retryable, statusError } from './errors.js';
import { Exchange, type Head } from './exchange.js';
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

/**
 * Every request has a cap and a deadline, set here and nowhere else. The cap: what the caller knows the answer may
 * hold (a signed length, a size a verified manifest names, a limit), else READ_MAX. The deadline, for the whole
 * answer (curl's --max-time and --speed-limit in one): the read timeout plus the cap at MIN_BYTES_PER_SECOND, so a
 * server dripping bytes (each within the read timeout, which only catches silence) cannot hold a run for hours. A
 * blob cut off by its deadline resumes where it ended, like a dropped connection.
 */
export const MIN_BYTES_PER_SECOND = 16 << 10;
const READ_MAX = 16 << 20;
/** Blobs up to this size are fetched whole and written once verified (fetchSmall); larger ones are streamed to disk. */
export const SMALL_BLOB = 256 << 10;
const NO_ROOM_HINT = 'Nothing was changed. Free space on that disk and run again.';
/** Plain descriptors, not FileHandles: a FileHandle can only be closed asynchronously (or it warns and closes on GC). */
const openFd = promisify(openCb);
const fsyncFd = promisify(fsync);
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
      const { chunks, n } = await this.whole(this.send(url, {}, opts.signal, max), url, rel);
      return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, n);
    });
  }

  /** The whole answer (a 200) of a GET into memory (at most its cap), as the chunks it came in. */
  private async whole(ex: Sent, url: URL, rel: string, each?: (chunk: Buffer) => void): Promise<{ chunks: Buffer[]; n: number }> {
    const head = await ex.head;
    if (head.statusCode !== 200) throw this.refuse(ex, head, url, rel);
    const chunks: Buffer[] = [];
    let n = 0;
    ex.attach((chunk) => {
      n += chunk.length;
      chunks.push(chunk);
      each?.(chunk);
    });
    await ex.done;
    return { chunks, n };
  }

  async fetchTo(rel: string, dest: string, o: FetchOptions): Promise<void> {
    const url = urlOf(this.where.base, rel);
    // The first request is sent while the file is created (each costs a round trip: to the server, to the disk).
    const first = o.size > 0 ? this.send(url, {}, o.signal, o.size) : null;
    if (o.size <= SMALL_BLOB) return this.fetchSmall(url, rel, dest, first, o);
    await this.intoNewFile(dest, first, o, async (fd) => {
      // What the file on disk holds so far and the validator it came with: the state a resume starts from.
      const part = { written: 0, etag: undefined as string | undefined, first };
      await this.retrying(url, o.signal, () => this.fetchOnce(url, rel, dest, fd, o, part));
    });
  }

  /**
   * The one rule for a downloaded file: `dest` is created here ('wx': an existing file, EEXIST, is left alone, and
   * the request `first` sent meanwhile is dropped), `fill` writes it, it is fsynced when asked, and on any failure
   * nothing of it is left. The close is synchronous: it sits between this body and the connection's next request.
   */
  private async intoNewFile(dest: string, first: Sent | null, o: FetchOptions, fill: (fd: number) => Promise<void>, cannotCreate?: (err: unknown) => void): Promise<void> {
    let fd: number;
    try {
      fd = await openFd(dest, 'wx', 0o644);
    } catch (err) {
      cannotCreate?.(err);
      first?.fail(err);
      throw noRoomError(err, dest, NO_ROOM_HINT) ?? err;
    }
    let done = false;
    try {
      await fill(fd);
      if (o.sync) await fsyncFd(fd);
      done = true;
    } catch (err) {
      throw noRoomError(err, dest, NO_ROOM_HINT) ?? err;
    } finally {
      closeSync(fd);
      if (!done) rmSync(dest, { force: true }); // this call created it
    }
  }

  /**
   * A small blob (most of a pack's) is fetched whole into memory and checked, and only then written, in one write:
   * the file never holds a byte that was not verified, and a broken transfer starts again from 0 (it is at most
   * SMALL_BLOB bytes). The file is created (on the thread pool) while the request is on its way; the write and the
   * close come after the body, between it and this connection's next request, so they are made synchronously: at
   * most SMALL_BLOB bytes to the page cache cost tens of microseconds, while each thread-pool round trip took about
   * a millisecond there (median, 8 connections), queued behind the other connections' file creations.
   */
  private async fetchSmall(url: URL, rel: string, dest: string, first: Sent | null, o: FetchOptions): Promise<void> {
    let next = first;
    let cannotKeep: { err: unknown } | null = null;
    const fetching = this.retrying(url, o.signal, () => {
      if (cannotKeep) throw cannotKeep.err; // no attempt after the file could not be created
      const ex = o.size === 0 ? null : next ?? this.send(url, {}, o.signal, o.size); // nothing to ask for an empty blob
      next = null;
      return this.wholeBlob(ex, rel, url, o);
    });
    fetching.catch(() => undefined); // awaited below, or left when the file cannot be created
    await this.intoNewFile(dest, first, o, async (fd) => writevAllSync(fd, (await fetching).chunks, 0), (err) => { cannotKeep = { err }; });
  }

  /** One attempt at a small blob (`ex`: its request): the whole body, checked against size and sha256, as chunks. */
  private async wholeBlob(ex: Sent | null, rel: string, url: URL, o: FetchOptions): Promise<{ chunks: Buffer[]; n: number }> {
    const hash = createHash('sha256');
    if (!ex) {
      this.verify(rel, hash, o); // the hash of nothing is still checked
      return { chunks: [], n: 0 };
    }
    let got = 0;
    try {
      const body = await this.whole(ex, url, rel, (chunk) => {
        hash.update(chunk);
        got += chunk.length;
        o.onBytes?.(chunk.length);
      });
      if (body.n < o.size) throw new Retryable(`the download ended after ${body.n} of ${o.size} bytes`);
      this.verify(rel, hash, o);
      return body;
    } catch (err) {
      o.onBytes?.(-got); // an attempt that failed starts again from 0
      throw err;
    }
  }

  private async fetchOnce(url: URL, rel: string, dest: string, fd: number, o: FetchOptions, part: { written: number; etag?: string; first: Sent | null }): Promise<void> {
    const early = part.first;
    part.first = null;
    const restart = async (): Promise<void> => {
      if (part.written > 0) o.onBytes?.(-part.written);
      ftruncateSync(fd, 0);
      part.written = 0;
      part.etag = undefined;
    };
    if (part.written > 0) {
      // Resume from what the file on disk really holds (a write cut short by the failure is not counted).
      const onDisk = Math.min(fstatSync(fd).size, o.size);
      o.onBytes?.(onDisk - part.written);
      part.written = onDisk;
      ftruncateSync(fd, onDisk);
    }
    // Without a strong validator a resumed range might splice two versions of the file together.
    if (part.written > 0 && !part.etag) await restart();
    if (part.written === o.size) return this.verify(rel, await hashPrefix(dest, o.size), o);
    const headers: Record<string, string> = part.written > 0 ? { range: `bytes=${part.written}-`, 'if-range': part.etag as string } : {};
    // A 206 may hold what is left; a 200 (If-Range failed: the file changed) the whole size.
    const ex = early ?? this.send(url, headers, o.signal, o.size, o.size - part.written);
    const head = await ex.head;
    let hash: Hash;
    try {
      if (part.written > 0 && head.statusCode === 206) {
        const want = `bytes ${part.written}-${o.size - 1}/${o.size}`;
        if (head.headers['content-range'] !== want) {
          const e = ex.failWith(new Retryable(`the server resumed at another range (${String(head.headers['content-range'])}, expected ${want})`));
          await restart();
          throw e;
        }
        hash = await hashPrefix(dest, part.written);
      } else if (head.statusCode === 200) {
        // A fresh start, or the file changed on the server (If-Range failed): what is on disk is worthless.
        if (part.written > 0) await restart();
        hash = createHash('sha256');
      } else {
        throw this.refuse(ex, head, url, rel);
      }
    } catch (err) {
      ex.release(err); // a body nobody will take must not hold the connection until its deadline
      throw err;
    }
    if (head.statusCode === 200) part.etag = strongEtag(head.headers.etag);
    const writer = new BatchWriter(fdTarget(fd), part.written, (stop) => (stop ? ex.pause() : ex.resume()), (err) => ex.fail(err));
    ex.attach((chunk) => {
      hash.update(chunk);
      writer.push(chunk);
      part.written += chunk.length;
      o.onBytes?.(chunk.length);
    });
    // What was received is written even when the body broke: a resume starts from what is on disk.
    const broken = await ex.done.then(() => null, (err: unknown) => ({ err }));
    await writer.end();
    if (broken) throw broken.err;
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

  /**
   * One GET whose answer may hold at most `bytes` bytes (a 206 to a range request `rest`) and must be in by its
   * deadline (see MIN_BYTES_PER_SECOND).
   */
  private send(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined, bytes: number, rest?: number): Sent {
    const sentAuth = this.auth;
    const ms = deadlineMs(this.readTimeoutMs, rest ?? bytes);
    headers['user-agent'] = 'wso2update';
    if (sentAuth) headers.authorization = sentAuth;
    // The failure on the deadline is a Retryable, so the deadline is retried (and resumed) as a drop.
    const late = () => new Retryable(`the answer took longer than ${(ms / 1000).toFixed(1)} s (the read timeout plus ${rest ?? bytes} bytes at ${MIN_BYTES_PER_SECOND / 1024} KiB/s)`);
    const ex = new Exchange(this.dispatcher, {
      url, headers, signal, maxBytes: bytes, partialMax: rest, tooLarge: (got) => tooLarge(url, bytes, got), deadlineMs: ms, late, readTimeoutMs: this.readTimeoutMs,
    });
    return Object.assign(ex, { sentAuth });
  }

  /** The error for an answer other than the one wanted; a 401 without credentials asks for them (once) and retries. */
  private refuse(ex: Sent, head: Head, url: URL, rel: string): unknown {
    ex.drain(); // read the (short) error page, so that the connection goes back to the pool
    if (head.statusCode === 404) {
      return new UpdateError('not-found', `${rel} is missing from ${this.location} (404)`, {
        hint: 'The repository is incomplete or --repo points at the wrong place: check the URL, or publish the level again.',
        status: 404,
      });
    }
    if (head.statusCode === 401 && !ex.sentAuth && (this.auth || this.o.askCredentials)) {
      // Asked once for the whole run; requests already on their way without them are repeated with them.
      this.asked ??= this.o.askCredentials?.().then((c) => { if (c) this.useCredentials(c); }) ?? Promise.resolve();
      return new CredentialsAsked(this.asked);
    }
    const retryAfter = lengthOf(head.headers['retry-after']);
    const e = statusError(head.statusCode, url, Boolean(ex.sentAuth));
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

type Sent = Exchange & { sentAuth?: string };

/** A 401 answered by asking the operator: the request is repeated once the answer is in. */
class CredentialsAsked extends Error {
  constructor(readonly asked: Promise<void>) {
    super('credentials needed');
  }
}

function interrupted(url: URL): UpdateError {
  return new UpdateError('interrupted', `interrupted while fetching ${url.href}`, { hint: 'Run the command again when ready.' });
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
