// A bundle opened as a Transport: the verifying repository (repository.ts) and TUF (trust/client.ts) read it exactly
// like a folder or an HTTP server. Opening walks the whole archive strictly (scan.ts) before any entry is read;
// reads then come straight from the archive file at the offsets found, so nothing is ever extracted anywhere.
// One command opens the same bundle several times (apply-update checks it, plans from it, applies from it): while
// one transport over it is open, the next open of the same unchanged file shares its walk, and a gzip bundle's
// decompressed copy, instead of decompressing and scanning it again. The last close removes that copy.
import { constants } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { UpdateError } from '../../core/errors.js';
import { writevAll } from '../../io/disk-write.js';
import { checkBytes, checkSize, tooLarge } from '../verify-bytes.js';
import { decodedRel, type FetchOptions, type ReadOptions, type Transport } from '../transport.js';
import { compressionOf, gunzipToStaging } from './gunzip.js';
import { bundleRefusal, DEFAULT_LIMITS, scanTar, type BundleEntry, type BundleLimits } from './scan.js';

/** The piece fetchTo reads and writes at a time: few round trips, and little memory for the 8 blobs staged at once. */
const FETCH_PIECE = 1 << 20;

/** Cap on one whole-file read when the caller names none (the repository always names one). */
const MAX_READ = 512 << 20;

export interface OpenBundleOptions {
  limits?: Partial<BundleLimits>;
  /** Where a gzip-compressed bundle may be decompressed (a private folder, removed by close); none: gzip is refused. */
  stagingDir?: string;
  signal?: AbortSignal;
}

/** One strict walk of a bundle file, shared by the transports open over it (reads are positional: one handle serves all). */
interface Walk {
  /** The file as it was walked (device, inode, size, mtime): another file at the same path is walked anew. */
  identity: string;
  /** The tar the offsets are in (the bundle itself, or its decompressed copy), open for as long as a transport is. */
  fh: FileHandle;
  index: Map<string, BundleEntry>;
  /** The private folder of a decompressed copy, removed by the last close. */
  staging: string | null;
  open: number;
}

const walks = new Map<string, Walk>();
const identityOf = (st: { dev: number; ino: number; size: number; mtimeMs: number }): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;

export class BundleTransport implements Transport {
  readonly remote = false;
  private readonly index: Map<string, BundleEntry>;
  private readonly fh: FileHandle;
  private closed = false;

  constructor(readonly location: string, private readonly walk: Walk) {
    this.index = walk.index;
    this.fh = walk.fh;
  }

  /** Every entry, sorted, with its size (what create-update put in, for `plan --bundle` and the hotfix archive). */
  entries(): Array<{ path: string; size: number }> {
    return [...this.index.values()].map(({ path, size }) => ({ path, size })).sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  has(rel: string): boolean {
    return this.index.has(rel);
  }

  private entry(rel: string): BundleEntry {
    const e = this.index.get(rel);
    if (!e) throw new UpdateError('not-found', `${rel} is not in the bundle ${this.location}`, { hint: 'The bundle does not hold what is needed: make it again with `wso2update create-update` for the levels you need.' });
    return e;
  }

  async read(rel: string, opts: ReadOptions = {}): Promise<Buffer> {
    interrupted(opts.signal);
    const e = this.entry(decodedRel(rel, opts.encoded));
    const max = opts.maxBytes ?? MAX_READ;
    if (e.size > max) throw tooLarge(`${rel} in the bundle ${this.location}`, e.size, max);
    const buf = Buffer.alloc(e.size);
    const { bytesRead } = await this.fh.read(buf, 0, e.size, e.offset);
    if (bytesRead !== e.size) throw bundleRefusal(this.location, `changed while it was read (${rel} is short)`);
    return buf;
  }

  /**
   * Copies an entry to `dest` (a new file), hashing it on the way, in pieces of at most FETCH_PIECE: one positional
   * read and one write each (issue 22: a stream pipeline of 64 KiB chunks through a Transform cost apply-update about
   * 100 ms of CPU on the bench's 48 MB of blobs). Checked against the size before a byte is copied and against the
   * sha256 after; on any failure (Ctrl-C between pieces, a bundle cut short under us, a full disk) `dest` is removed.
   */
  async fetchTo(rel: string, dest: string, opts: FetchOptions): Promise<void> {
    interrupted(opts.signal);
    const e = this.entry(rel);
    const what = `${rel} in the bundle ${this.location}`;
    checkSize(what, opts.size, e.size); // before a byte is copied
    const hash = createHash('sha256');
    const out = await open(dest, 'wx', 0o600);
    try {
      const piece = Buffer.allocUnsafe(Math.min(e.size, FETCH_PIECE));
      for (let done = 0; done < e.size;) {
        interrupted(opts.signal);
        const n = Math.min(piece.length, e.size - done);
        const { bytesRead } = await this.fh.read(piece, 0, n, e.offset + done);
        if (bytesRead !== n) throw bundleRefusal(this.location, `changed while it was read (${rel} is short)`);
        const chunk = piece.subarray(0, n);
        hash.update(chunk);
        await writevAll(out, [chunk], done);
        done += n;
        opts.onBytes?.(n);
      }
      if (opts.sync === true) await out.sync(); // this handle writes the file: Windows flushes through it (arch.test)
      await out.close();
      checkBytes(what, opts, { size: e.size, sha256: hash.digest('hex') });
    } catch (err) {
      await out.close().catch(() => undefined); // already closed on the last step's failure: nothing to do
      await rm(dest, { force: true });
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (--this.walk.open > 0) return;
    await this.fh.close().catch(() => undefined);
    if (walks.get(this.location) === this.walk) walks.delete(this.location);
    if (this.walk.staging) await rm(this.walk.staging, { recursive: true, force: true });
  }
}

function interrupted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new UpdateError('interrupted', 'interrupted while reading the bundle', { hint: 'Run the command again when ready.', cause: signal.reason });
}

/** Opens `file` (plain tar or gzip) and walks it strictly; any refusal leaves nothing behind (exit 7). */
export async function openBundle(file: string, options: OpenBundleOptions = {}): Promise<BundleTransport> {
  const location = resolve(file);
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // O_NONBLOCK: a FIFO named as the bundle must be refused, not waited on forever.
  let fh = await open(location, constants.O_RDONLY | constants.O_NONBLOCK).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new UpdateError('not-found', `the bundle ${location} does not exist`, { hint: 'Check the file name; a bundle is made by `wso2update create-update`.' });
    throw err;
  });
  let staging: string | null = null;
  try {
    let st = await fh.stat();
    if (!st.isFile()) throw bundleRefusal(location, 'is not a regular file');
    const identity = identityOf(st);
    const shared = walks.get(location);
    if (shared?.identity === identity) {
      await fh.close();
      shared.open += 1;
      return new BundleTransport(location, shared);
    }
    const head = Buffer.alloc(6);
    await fh.read(head, 0, 6, 0);
    const compression = compressionOf(head);
    if (compression !== null && compression !== 'gzip') throw bundleRefusal(location, `is compressed with ${compression}: only plain tar and gzip are accepted`);
    if (compression === 'gzip') {
      if (!options.stagingDir) throw bundleRefusal(location, 'is compressed, and no staging folder was given to decompress it in');
      const un = await gunzipToStaging(location, st.size, options.stagingDir, location, limits, options.signal);
      staging = un.dir;
      await fh.close();
      fh = await open(un.tar, 'r');
      st = await fh.stat();
    }
    if (st.size > limits.maxTotalBytes + limits.maxEntries * 1024 + 4096) throw bundleRefusal(location, `is ${st.size} bytes, more than the limit of ${limits.maxTotalBytes} bytes of data`);
    const index = await scanTar(fh, st.size, location, limits);
    const walk: Walk = { identity, fh, index, staging, open: 1 };
    walks.set(location, walk);
    return new BundleTransport(location, walk);
  } catch (err) {
    await fh.close().catch(() => undefined);
    if (staging) await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
