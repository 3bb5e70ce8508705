// Where a repository keeps its files: the index, each level's manifest and descriptor, each hotfix record, and the
// TUF metadata beside them (publisher, client, mirror and bundle all name files through here, so the layout is
// written down once and imports nothing). Which of its files are TUF targets. Targets are the small
// files only (the index, each level's manifest and descriptor, each hotfix record); blobs are trusted through the sha256 that a signed
// manifest names (REMOTE-NOTES: thousands of TUF targets make @tufjs/models quadratic). Consistent snapshots: each
// version of a role is `metadata/N.<role>.json`, each target also stands under `<dir>/<sha256>.<name>`.
import type { RepoIndex } from './model.js';

/** The layout, relative to the repository root (a `metadata/` folder for signed metadata may sit beside these). */
export const INDEX_FILE = 'index.json';
export const levelDir = (product: string, level: number): string => `products/${product}/levels/${String(level).padStart(4, '0')}`;
export const manifestRel = (product: string, level: number): string => `${levelDir(product, level)}/manifest.json`;
export const descriptorRel = (product: string, level: number): string => `${levelDir(product, level)}/descriptor.yaml`;
/** A hotfix record; the id's pattern (core/hotfix.ts) keeps it one plain file name. */
export const hotfixRel = (product: string, id: string): string => `products/${product}/hotfixes/${id}.json`;

export const METADATA_DIR = 'metadata';
export const SPEC_VERSION = '1.0.31';
export const metadataRel = (name: string): string => `${METADATA_DIR}/${name}`;
export const versionedRel = (version: number, role: string): string => metadataRel(`${version}.${role}.json`);
export const TIMESTAMP_REL = metadataRel('timestamp.json');
/**
 * The most root versions one refresh walks (the TUF specification's bound on root rotations, 5.3.3, and tuf-js's
 * default): a server that answers every `N.root.json` cannot keep a client, a mirror or create-update looping.
 */
export const MAX_ROOT_ROTATIONS = 256;
/** The largest root.json accepted (tuf-js's own default limit). */
export const ROOT_MAX = 512_000;
/** The newest root under a fixed name, for operators to pin (`init --trust-root`). */
export const LATEST_ROOT_REL = metadataRel('root.json');

/** The name a target's bytes stand under in a consistent-snapshot repository. */
export function hashedRel(path: string, sha256: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? `${sha256}.${path}` : `${path.slice(0, slash + 1)}${sha256}.${path.slice(slash + 1)}`;
}

/** Every target a repository with this index has, each with the sha256 the index names (null for the index itself). */
export function targetsOf(index: RepoIndex): Array<{ path: string; sha256: string | null }> {
  const out: Array<{ path: string; sha256: string | null }> = [{ path: INDEX_FILE, sha256: null }];
  for (const [product, p] of Object.entries(index.products)) {
    for (const [level, e] of Object.entries(p.levels)) {
      out.push({ path: manifestRel(product, Number(level)), sha256: e.manifest }, { path: descriptorRel(product, Number(level)), sha256: e.descriptor });
    }
    for (const [id, h] of Object.entries(p.hotfixes ?? {})) out.push({ path: hotfixRel(product, id), sha256: h.record });
  }
  return out;
}

/** TUF's expiry format, without milliseconds (other TUF clients are strict about it). */
export const tufTime = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
