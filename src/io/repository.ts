// The repository (update channel) as a folder: index.json, per-level manifest and descriptor, content-addressed
// blobs. Every read is checked: the index against its schema, a manifest or descriptor against the sha256 the index
// lists (exit 7 on a mismatch) and its schema, blobs against their names. HTTP(S) comes later (same layout).
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Descriptor, Manifest, RepoIndex, Sha256 } from '../core/model.js';
import { UpdateError, type Diagnostic } from '../core/errors.js';
import { sha256Hex } from '../core/canonical.js';
import type { Repository } from './types.js';
import { parseJsonFile, parseYamlFile } from './validate.js';
import { copyBlob, copyBlobUnsynced, readBlob } from './blobs.js';

/** The layout, relative to the repository root (a `metadata/` folder for signed metadata may sit beside these). */
export const INDEX_FILE = 'index.json';
export const levelDir = (product: string, level: number): string => `products/${product}/levels/${String(level).padStart(4, '0')}`;
export const manifestRel = (product: string, level: number): string => `${levelDir(product, level)}/manifest.json`;
export const descriptorRel = (product: string, level: number): string => `${levelDir(product, level)}/descriptor.yaml`;

const list = (xs: string[]): string => (xs.length ? xs.join(', ') : '(none)');

export class FolderRepository implements Repository {
  readonly location: string;
  /** Case collisions found in what was read: shown by the caller, never fatal. */
  readonly warnings: Diagnostic[] = [];
  private cached: Promise<RepoIndex> | null = null;

  constructor(root: string) {
    this.location = root;
  }

  index(): Promise<RepoIndex> {
    this.cached ??= this.readText(INDEX_FILE, 'the repository index').then((text) =>
      parseJsonFile<RepoIndex>(text.toString('utf8'), join(this.location, INDEX_FILE), 'index'));
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
    return Object.keys(p.levels).map(Number).sort((a, b) => a - b);
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
  private async verified(rel: string, want: Sha256, what: string): Promise<Buffer> {
    const data = await this.readText(rel, what);
    const got = sha256Hex(data);
    if (got !== want) {
      throw new UpdateError('verification', `${what} (${join(this.location, rel)}) does not match the sha256 in the index`, {
        detail: `expected ${want}\ngot      ${got}`,
        hint: 'The repository was changed after publishing or is damaged; nothing was changed. Publish the level again or restore the repository.',
      });
    }
    return data;
  }

  async manifest(product: string, level: number): Promise<{ manifest: Manifest; digest: Sha256 }> {
    const e = await this.entry(product, level);
    const rel = manifestRel(product, level);
    const data = await this.verified(rel, e.manifest, `the manifest of ${product} level ${level}`);
    const manifest = parseJsonFile<Manifest>(data.toString('utf8'), join(this.location, rel), 'manifest', this.warnings);
    this.sameLevel(rel, manifest.level, level, manifest.product, product);
    // Published manifests are canonical JSON, so the index's sha256 is also the digest of the manifest's content.
    return { manifest, digest: e.manifest };
  }

  async descriptor(product: string, level: number): Promise<Descriptor> {
    const e = await this.entry(product, level);
    const rel = descriptorRel(product, level);
    const data = await this.verified(rel, e.descriptor, `the descriptor of ${product} level ${level}`);
    const descriptor = parseYamlFile<Descriptor>(data.toString('utf8'), join(this.location, rel), 'descriptor', this.warnings);
    this.sameLevel(rel, descriptor.level, level, product, product);
    return descriptor;
  }

  private sameLevel(rel: string, gotLevel: number, level: number, gotProduct: string, product: string): void {
    if (gotLevel !== level || gotProduct !== product) {
      throw new UpdateError('verification', `${join(this.location, rel)} describes ${gotProduct} level ${gotLevel}, not ${product} level ${level}`, {
        hint: 'The repository is inconsistent; publish the level again.',
      });
    }
  }

  readBlob(sha256: Sha256): Promise<Buffer> {
    return readBlob(this.location, sha256);
  }

  copyBlob(sha256: Sha256, dest: string): Promise<void> {
    return copyBlob(this.location, sha256, dest);
  }

  stageBlob(sha256: Sha256, dest: string): Promise<void> {
    return copyBlobUnsynced(this.location, sha256, dest);
  }

  private async readText(rel: string, what: string): Promise<Buffer> {
    try {
      return await readFile(join(this.location, rel));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      throw new UpdateError('not-found', `${what} is missing: ${join(this.location, rel)}`, {
        hint: rel === INDEX_FILE
          ? 'Point --repo at a repository folder (one made by `wso2update publish`).'
          : 'The repository is incomplete: publish the level again, or point --repo at a complete copy.',
        cause: err,
      });
    }
  }
}

export async function openRepository(location: string): Promise<Repository> {
  if (/^https?:\/\//i.test(location)) {
    throw new UpdateError('usage', `repositories over HTTP(S) are not supported yet: ${location}`, {
      hint: 'Use the repository folder itself (a local path or a mounted share), e.g. --repo /srv/wso2-updates.',
    });
  }
  const root = resolve(location);
  const st = await stat(root).catch(() => null);
  if (!st?.isDirectory()) {
    throw new UpdateError('not-found', `the repository folder ${root} does not exist`, {
      hint: 'Check --repo (or the repository recorded at init); a repository is made by `wso2update publish --repo DIR ...`.',
    });
  }
  const repo = new FolderRepository(root);
  await repo.index(); // fail here, at open, on a missing or invalid index
  return repo;
}
