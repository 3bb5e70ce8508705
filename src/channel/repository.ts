// The one verifying repository, on top of any transport (transport.ts: a folder today; HTTP(S) and tar bundles
// differ only in transport). Every check lives here: the index against its schema, each manifest and descriptor
// against the sha256 the index lists (exit 7 on a mismatch) and its schema, blobs against the size and sha256 that a
// verified manifest names. Blobs read while planning are kept in the pack's cache and reused by apply.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Descriptor, Hotfix, Manifest, RepoIndex, Sha256 } from '../core/model.js';
import { UpdateError, type Diagnostic } from '../core/errors.js';
import { sha256Hex } from '../core/canonical.js';
import { BlobCache } from './blob-cache.js';
import { BUNDLE_INFO, readBundleInfo } from './bundle/info.js';
import { assertSha, blobRel } from './blobs.js';
import { FolderTransport } from './folder.js';
import { isHttpLocation } from './http/location.js';
import { httpSettings } from './http/settings.js';
import type { Transport } from './transport.js';
import type { Repository } from './api.js';
import type { TrustedTargets } from './trust/client.js';
import { parseJsonFile, parseYamlFile } from '../io/validate.js';
import { checkHash, checkSize } from './verify-bytes.js';
import { descriptorRel, hotfixRel, INDEX_FILE, manifestRel } from '../core/layout.js';

/** Caps on the small files, read whole into memory: far above any real pack, far below what would exhaust it. */
const MAX_BYTES = { index: 16 << 20, manifest: 512 << 20, descriptor: 4 << 20, hotfix: 64 << 20 } as const;

const list = (xs: string[]): string => (xs.length ? xs.join(', ') : '(none)');

export interface RepositoryOptions {
  /**
   * Signed channels: the pack's trust folder (updates/wso2update/trust/) holding the pinned root.json and the
   * trusted TUF metadata. With it, the index, manifests and descriptors are read as TUF targets (io/trust/).
   */
  trustDir?: string;
  /** Where blobs read while planning are kept for apply (`cacheDir(home)`); none: nothing is kept. */
  cache?: string;
  /** For transports that authenticate (HTTP(S)); never written anywhere. A folder needs none. */
  credentials?: { username: string; password: string };
  /** Aborts reads and fetches in flight (Ctrl-C). */
  signal?: AbortSignal;
  /** Where a compressed bundle may be decompressed (the pack's updates/wso2update/); none: only plain tar bundles. */
  stagingDir?: string;
  /** An offline bundle's metadata may have expired after the bundle was made (io/bundle/expiry.ts). */
  acceptExpiredBundle?: boolean;
  /** The caller reads only the root it is about to pin and verifies everything else against it (trust/pin.ts). */
  pinning?: boolean;
  /**
   * Every target read (index, manifests, descriptors, hotfix records) is kept here by path, as read under this
   * repository's caps and, when signed, as TUF verified it: what a copy (mirror, create-update, create-hotfix)
   * writes, so that no target is read twice. A caller must not write a kept target whose read then failed its check.
   */
  keep?: Map<string, Buffer>;
}

export class VerifiedRepository implements Repository {
  /** Case collisions found in what was read: shown by the caller, never fatal. */
  readonly warnings: Diagnostic[] = [];
  private cached: Promise<RepoIndex> | null = null;
  private readonly cache: BlobCache | null;

  /** `trusted`: the TUF-verified targets of a signed channel, read instead of the plain files (io/trust/client.ts). */
  constructor(private readonly transport: Transport, private readonly options: RepositoryOptions = {}, private readonly trusted?: TrustedTargets) {
    this.cache = options.cache ? new BlobCache(options.cache) : null;
  }

  get location(): string {
    return this.transport.location;
  }

  get parallelism(): number | undefined {
    return this.transport.parallelism;
  }

  private where(rel: string): string {
    return `${this.location.replace(/\/$/, '')}/${rel}`;
  }

  private async read(rel: string, what: string, maxBytes: number): Promise<Buffer> {
    try {
      return await this.transport.read(rel, { maxBytes, signal: this.options.signal });
    } catch (err) {
      if (!(err instanceof UpdateError) || err.code !== 'not-found') throw err;
      throw new UpdateError('not-found', `${what} is missing: ${this.where(rel)}`, {
        hint: rel === INDEX_FILE
          ? 'Point --repo at a repository folder (one made by `wso2update publish`).'
          : 'The repository is incomplete: publish the level again, or point --repo at a complete copy.',
        cause: err,
      });
    }
  }

  /** A small file the index or the TUF targets vouch for: through TUF when the channel is signed. */
  private async target(rel: string, what: string, maxBytes: number): Promise<Buffer> {
    const kept = this.options.keep?.get(rel);
    if (kept) return kept;
    const bytes = this.trusted ? await this.trusted.read(rel, what) : await this.read(rel, what, maxBytes);
    this.options.keep?.set(rel, bytes);
    return bytes;
  }

  index(): Promise<RepoIndex> {
    this.cached ??= this.target(INDEX_FILE, 'the repository index', MAX_BYTES.index).then((data) =>
      parseJsonFile<RepoIndex>(data.toString('utf8'), this.where(INDEX_FILE), 'index'));
    return this.cached;
  }

  async levels(product: string): Promise<number[]> {
    const index = await this.index();
    const p = index.products[product];
    if (!p) {
      throw new UpdateError('not-found', `the repository ${this.location} has no product ${product}`, {
        hint: `Products in it: ${list(Object.keys(index.products).sort())}. Check updates/product.txt or --repo.`,
      });
    }
    const all = Object.keys(p.levels).map(Number).sort((a, b) => a - b);
    // A bundle's index is the channel's, but it holds only its own levels: offer those (bundle.json is unsigned,
    // and it can only narrow what the signed index lists). Without this, a pack whose repository is a bundle plans
    // toward the channel's latest level and fails on a manifest the bundle does not hold.
    // (a hotfix archive is read like a bundle but has no bundle.json: its index is narrowed already)
    const t = this.transport as Transport & { has?: (rel: string) => boolean };
    if (!('entries' in t) || !t.has?.(BUNDLE_INFO)) return all;
    const held = new Set((await readBundleInfo(this.transport)).levels);
    return all.filter((l) => held.has(l));
  }

  private async entry(product: string, level: number) {
    const levels = await this.levels(product);
    const e = (await this.index()).products[product].levels[String(level)];
    if (!e) {
      throw new UpdateError('not-found', `${product} has no level ${level} in ${this.location}`, {
        hint: `Published levels: ${list(levels.map(String))}.`,
      });
    }
    return e;
  }

  /** Reads a file the index vouches for and checks its sha256 before anything parses it. */
  private async verified(rel: string, want: Sha256, what: string, maxBytes: number): Promise<Buffer> {
    const data = await this.target(rel, what, maxBytes);
    const got = sha256Hex(data);
    if (got !== want) {
      throw new UpdateError('verification', `${what} (${this.where(rel)}) does not match the sha256 in the index`, {
        detail: `expected ${want}\ngot      ${got}`,
        hint: 'The repository was changed after publishing or is damaged; nothing was changed. Publish the level again or restore the repository.',
      });
    }
    return data;
  }

  async manifest(product: string, level: number): Promise<{ manifest: Manifest; digest: Sha256 }> {
    const e = await this.entry(product, level);
    const rel = manifestRel(product, level);
    const data = await this.verified(rel, e.manifest, `the manifest of ${product} level ${level}`, MAX_BYTES.manifest);
    const manifest = parseJsonFile<Manifest>(data.toString('utf8'), this.where(rel), 'manifest', this.warnings);
    this.sameLevel(rel, manifest.level, level, manifest.product, product);
    // Published manifests are canonical JSON, so the index's sha256 is also the digest of the manifest's content.
    return { manifest, digest: e.manifest };
  }

  async descriptor(product: string, level: number): Promise<Descriptor> {
    const e = await this.entry(product, level);
    const rel = descriptorRel(product, level);
    const data = await this.verified(rel, e.descriptor, `the descriptor of ${product} level ${level}`, MAX_BYTES.descriptor);
    const descriptor = parseYamlFile<Descriptor>(data.toString('utf8'), this.where(rel), 'descriptor', this.warnings);
    this.sameLevel(rel, descriptor.level, level, product, product);
    return descriptor;
  }

  async hotfix(product: string, id: string): Promise<{ hotfix: Hotfix; digest: Sha256 }> {
    await this.levels(product); // names the products there when this one is not
    const e = (await this.index()).products[product].hotfixes?.[id];
    if (!e) {
      const ids = Object.keys((await this.index()).products[product].hotfixes ?? {}).sort();
      throw new UpdateError('not-found', `the repository ${this.location} has no hotfix ${id} for ${product}`, {
        hint: `Published hotfixes: ${list(ids)}. Check the id, or apply the hotfix archive you were given (apply-hotfix FILE.tar).`,
      });
    }
    const rel = hotfixRel(product, id);
    const data = await this.verified(rel, e.record, `the hotfix record ${id}`, MAX_BYTES.hotfix);
    const hotfix = parseJsonFile<Hotfix>(data.toString('utf8'), this.where(rel), 'hotfix', this.warnings);
    if (hotfix.id !== id || hotfix.product !== product || hotfix.level !== e.level) {
      throw new UpdateError('verification', `${this.where(rel)} is hotfix ${hotfix.id} for ${hotfix.product} level ${hotfix.level}, not what the index lists (${id} for ${product} level ${e.level})`, {
        hint: 'The repository is inconsistent; publish the hotfix again.',
      });
    }
    return { hotfix, digest: e.record };
  }

  private sameLevel(rel: string, gotLevel: number, level: number, gotProduct: string, product: string): void {
    if (gotLevel !== level || gotProduct !== product) {
      throw new UpdateError('verification', `${this.where(rel)} describes ${gotProduct} level ${gotLevel}, not ${product} level ${level}`, {
        hint: 'The repository is inconsistent; publish the level again.',
      });
    }
  }

  async readBlob(sha256: Sha256, size: number): Promise<Buffer> {
    assertSha(sha256);
    const kept = await this.cache?.read(sha256, size);
    if (kept) return kept;
    const what = `blob ${sha256}`;
    const data = await this.read(blobRel(sha256), what, size);
    checkSize(what, size, data.length);
    checkHash(what, sha256, sha256Hex(data));
    await this.cache?.put(sha256, data);
    return data;
  }

  async stageBlob(sha256: Sha256, size: number, dest: string, opts: { sync?: boolean; onBytes?: (n: number) => void } = {}): Promise<void> {
    assertSha(sha256);
    if (await this.cache?.copyTo(sha256, size, dest)) {
      opts.onBytes?.(size);
      return;
    }
    try {
      await this.transport.fetchTo(blobRel(sha256), dest, { size, sha256, sync: opts.sync ?? false, signal: this.options.signal, onBytes: opts.onBytes });
      // A download is kept (a hard link) so that an apply killed or failed after it does not fetch it again.
      if (this.transport.remote) await this.cache?.keep(sha256, dest);
    } catch (err) {
      if (!(err instanceof UpdateError) || err.code !== 'not-found') throw err;
      throw new UpdateError('not-found', `blob ${sha256} is missing: ${this.where(blobRel(sha256))}`, {
        hint: 'The repository is incomplete: publish the level again, or point --repo at a complete copy.', cause: err,
      });
    }
  }

  async close(): Promise<void> {
    await this.transport.close?.();
  }
}

const isUrl = (location: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(location);

/**
 * Whether a recorded location is a channel (a URL or a folder) rather than an offline bundle, or a bundle or folder
 * since deleted: only a channel can offer tool releases, so self-update asks nothing of the others.
 */
export const isChannel = (location: string): boolean => isUrl(location) || statSync(location, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * Which transport serves a location: the one place to extend (an HTTP(S) transport, a tar bundle). Each entry says
 * whether it takes the location and opens it; the folder is the fallback for anything that is not a URL.
 */
const TRANSPORTS: { takes: (location: string) => boolean; open: (location: string, options: RepositoryOptions) => Promise<Transport> }[] = [
  {
    takes: isHttpLocation,
    // The run's network settings (cli/ sets them from flags and environment); credentials given here win. Loaded
    // only for a URL: undici costs a folder or bundle run about 0.2 s of start-up (BENCH.md's profile).
    open: async (l, o) => new (await import('./http/transport.js')).HttpTransport(l, { ...httpSettings(), ...(o.credentials ? { credentials: o.credentials } : {}) }),
  },
  {
    // A regular file is a bundle (io/bundle/): walked strictly at open, then read in place, never extracted.
    takes: (l) => !isUrl(l) && statSync(l, { throwIfNoEntry: false })?.isFile() === true,
    open: async (l, o) => {
      // Never read unsigned: only against a pinned root (trustDir), or to take the root that is being pinned.
      if (o.trustDir === undefined && !o.pinning) {
        throw new UpdateError('verification', `the bundle ${resolve(l)} is read only against a pinned trust root, and there is none here (a pack adopted with --allow-unsigned has none): a bundle is never accepted unsigned`, {
          hint: 'Pin the root of the channel the bundle was made from: `init --repo BUNDLE.tar --trust-root ROOT.json` on a pack never adopted, or `init --reconfigure --repo BUNDLE.tar --trust-root ROOT.json` on an adopted one; nothing was changed.',
        });
      }
      return (await import('./bundle/transport.js')).openBundle(l, { stagingDir: o.stagingDir, signal: o.signal });
    },
  },
  {
    takes: (l) => !isUrl(l),
    open: async (l) => {
      const root = resolve(l);
      const st = await stat(root).catch(() => null);
      if (!st?.isDirectory()) {
        throw new UpdateError('not-found', `the repository folder ${root} does not exist`, {
          hint: 'Check --repo (or the repository recorded at init); a repository is made by `wso2update publish --repo DIR ...`.',
        });
      }
      return new FolderTransport(root);
    },
  },
];

export async function openTransport(location: string, options: RepositoryOptions = {}): Promise<Transport> {
  const t = TRANSPORTS.find((x) => x.takes(location));
  if (!t) {
    throw new UpdateError('usage', `unsupported repository location: ${location}`, {
      hint: 'Give a repository folder (a local path or a mounted share).',
    });
  }
  return t.open(location, options);
}

/** Opens and checks a repository: a missing or invalid index fails here, at open. */
export async function openRepository(location: string, options: RepositoryOptions = {}): Promise<Repository> {
  const transport = await openTransport(location, options);
  let trusted: TrustedTargets | undefined;
  const warnings: Diagnostic[] = [];
  if (options.trustDir !== undefined) {
    const { refreshTrust } = await import('./trust/client.js');
    const bundle = 'entries' in transport ? await import('./bundle/expiry.js') : null;
    try {
      const now = new Date();
      const referenceTime = options.acceptExpiredBundle ? await (bundle ?? await import('./bundle/expiry.js')).bundleReferenceTime(transport, now) : undefined;
      trusted = await refreshTrust(transport, options.trustDir, options.signal, { referenceTime }).catch((err: unknown) => {
        throw bundle ? bundle.bundleExpiryRefusal(err, transport.location, referenceTime !== undefined) : err;
      });
      if (bundle && referenceTime) warnings.push(...bundle.acceptedExpiries(trusted.expiries(), referenceTime, now));
    } catch (err) {
      await transport.close?.();
      throw err;
    }
  }
  const repo = new VerifiedRepository(transport, options, trusted);
  repo.warnings.push(...warnings);
  try {
    await repo.index();
  } catch (err) {
    await repo.close();
    throw err;
  }
  return repo;
}
