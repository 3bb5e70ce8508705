// The one verifying repository, over whichever transport open.ts chose (a folder, HTTP(S), a bundle): every check
// lives here. The index against its schema, each manifest and descriptor against the sha256 the index lists (exit 7
// on a mismatch) and its schema, blobs against the size and sha256 that a verified manifest names; with a signed
// channel, the small files as TUF targets. Blobs read while planning are kept in the pack's cache and reused by apply.
import type { Descriptor, Hotfix, Manifest, RepoIndex, Sha256 } from '../core/model.js';
import { UpdateError, type Diagnostic } from '../core/errors.js';
import { sha256Hex } from '../core/canonical.js';
import { BlobCache } from './blob-cache.js';
import { CheckedManifests } from './checked-manifests.js';
import { assertSha, blobRel } from './blobs.js';
import type { Transport } from './transport.js';
import type { Repository } from './api.js';
import type { TrustedTargets } from './trust/client.js';
import { parseJsonFile, parseManifestOver, parseYamlFile } from '../io/validate.js';
import { checkHash, checkSize } from './verify-bytes.js';
import { descriptorRel, hotfixRel, INDEX_FILE, manifestRel } from '../core/layout.js';

/** Caps on the small files, read whole into memory: far above any real pack, far below what would exhaust it. */
const MAX_BYTES = { index: 16 << 20, manifest: 512 << 20, descriptor: 4 << 20, hotfix: 64 << 20 } as const;

const list = (xs: string[]): string => (xs.length ? xs.join(', ') : '(none)');

/** What the verifying repository itself needs; opening (transport, trust, staging) is open.ts's. */
export interface VerifyingOptions {
  /** Where blobs read while planning are kept for apply (the pack's `paths.cache`); none: nothing is kept. */
  cache?: string;
  /** Where verdicts on manifests read are kept (the pack's `paths.checked`); none: every manifest is checked in full. */
  checked?: string;
  /** Aborts reads and fetches in flight (Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Every target read (index, manifests, descriptors, hotfix records) is kept here by path, as read under this
   * repository's caps and, when signed, as TUF verified it: what a copy (mirror, create-update, create-hotfix)
   * writes, so that no target is read twice. A caller must not write a kept target whose read then failed its check.
   */
  keep?: Map<string, Buffer>;
  /** Only these of the index's levels are offered (an offline bundle's, open.ts); none: all the index lists. */
  heldLevels?: () => Promise<ReadonlySet<number>>;
}

export class VerifiedRepository implements Repository {
  /** Case collisions found in what was read: shown by the caller, never fatal. */
  readonly warnings: Diagnostic[] = [];
  private cached: Promise<RepoIndex> | null = null;
  private readonly cache: BlobCache | null;
  private readonly checked: CheckedManifests | null;
  /** Manifests checked in full by this instance, whose verdicts keepChecked() records. */
  private readonly unrecorded: [Sha256, Diagnostic[]][] = [];
  /**
   * The last manifest this instance checked or found a verdict on: the next one is checked against it, at the cost
   * of the entries the two ship differently (io/validate.ts parseManifestOver). Plan reads the base, whose verdict
   * init kept, then the target. Manifests handed out are never changed by their readers (core builds new objects).
   */
  private vouched: Manifest | null = null;

  /** `trusted`: the TUF-verified targets of a signed channel, read instead of the plain files (io/trust/client.ts). */
  constructor(private readonly transport: Transport, private readonly options: VerifyingOptions = {}, private readonly trusted?: TrustedTargets) {
    this.cache = options.cache ? new BlobCache(options.cache) : null;
    this.checked = options.checked ? new CheckedManifests(options.checked) : null;
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
    // Without the narrowing, a pack whose repository is a bundle plans toward the channel's latest level and fails
    // on a manifest the bundle does not hold.
    if (!this.options.heldLevels) return all;
    const held = await this.options.heldLevels();
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
    // Read through TUF, the bytes were hashed there against every hash the signed metadata lists (trust/targets.ts
    // checkTarget): when its sha256 is the index's, a second sha256 of the same bytes proves nothing new (issue 22:
    // two 9 MB manifests hashed twice each at 48,000 files). Any other case is hashed here.
    if (this.trusted && (await this.trusted.info(rel).catch(() => null))?.sha256 === want) return data;
    const got = sha256Hex(data);
    if (got !== want) {
      throw new UpdateError('verification', `${what} (${this.where(rel)}) does not match the sha256 in the index`, {
        detail: `expected ${want}\ngot      ${got}`,
        hint: 'The repository was changed after publishing or is damaged; nothing was changed. Publish the level again or restore the repository.',
      });
    }
    return data;
  }

  /**
   * A level's manifest or descriptor as verified bytes (TUF when signed, then the sha256 the index lists), not parsed:
   * for a copy that carries them without using them (create-update), whose reader checks them in full through here.
   */
  async levelFile(product: string, level: number, which: 'manifest' | 'descriptor'): Promise<Buffer> {
    const e = await this.entry(product, level);
    const rel = which === 'manifest' ? manifestRel(product, level) : descriptorRel(product, level);
    return this.verified(rel, e[which], `the ${which} of ${product} level ${level}`, MAX_BYTES[which]);
  }

  async manifest(product: string, level: number): Promise<{ manifest: Manifest; digest: Sha256; bytes: Buffer }> {
    const e = await this.entry(product, level);
    const rel = manifestRel(product, level);
    const data = await this.levelFile(product, level, 'manifest');
    const manifest = await this.checkedManifest(data.toString('utf8'), e.manifest, rel);
    this.sameLevel(rel, manifest.level, level, manifest.product, product);
    // Published manifests are canonical JSON, so the index's sha256 is also the digest of the manifest's content.
    return { manifest, digest: e.manifest, bytes: data };
  }

  /**
   * The manifest whose bytes (`text`) were just verified against `digest`: checked in full, unless the pack holds a
   * verdict of these checks on these bytes (channel/checked-manifests.ts), and then only parsed.
   */
  private async checkedManifest(text: string, digest: Sha256, rel: string): Promise<Manifest> {
    const known = await this.checked?.warningsOf(digest) ?? null;
    if (known !== null) {
      this.warnings.push(...known);
      return (this.vouched = JSON.parse(text) as Manifest);
    }
    const warnings: Diagnostic[] = [];
    const manifest = this.vouched
      ? parseManifestOver(text, this.where(rel), this.vouched, warnings)
      : parseJsonFile<Manifest>(text, this.where(rel), 'manifest', warnings);
    this.warnings.push(...warnings);
    this.unrecorded.push([digest, warnings]);
    return (this.vouched = manifest);
  }

  /**
   * Keeps the verdicts on the manifests this repository checked in full. The use case calls it once it has succeeded
   * (a plan made, a pack adopted), so that a refused run leaves the pack exactly as it was.
   */
  async keepChecked(): Promise<void> {
    for (const [digest, warnings] of this.unrecorded.splice(0)) await this.checked?.record(digest, warnings);
  }

  async descriptor(product: string, level: number): Promise<Descriptor> {
    const rel = descriptorRel(product, level);
    const data = await this.levelFile(product, level, 'descriptor');
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
    await this.cache?.put(sha256, data, this.transport.localFile?.(blobRel(sha256)));
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
