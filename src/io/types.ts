// The interfaces between the effectful adapters and their users (planner orchestration, applier, commands).
// Implementations: repository.ts (verifying, over a transport) and tree.ts (walking and hashing).
import type { Diagnostic } from '../core/errors.js';
import type { Descriptor, Entry, Hotfix, Manifest, Observed, RepoIndex, Sha256 } from '../core/model.js';

/**
 * An update channel, verified: a folder on disk today, HTTP(S) or a tar bundle later, all the same verifying code
 * over another transport (repository.ts). Everything it returns has been checked.
 */
export interface Repository {
  /** Absolute folder path or URL, as recorded in plans and state. */
  readonly location: string;
  /** Case collisions found in what was read: shown by the caller, never fatal. */
  readonly warnings: Diagnostic[];
  index(): Promise<RepoIndex>;
  /** Level numbers published for a product, ascending. */
  levels(product: string): Promise<number[]>;
  /** The manifest of a level, checked against the index's sha256 and the schema. `digest` = sha256 of its canonical JSON. */
  manifest(product: string, level: number): Promise<{ manifest: Manifest; digest: Sha256 }>;
  descriptor(product: string, level: number): Promise<Descriptor>;
  /** A published hotfix record, checked against the index's sha256 (and its signature) and the schema. */
  hotfix(product: string, id: string): Promise<{ hotfix: Hotfix; digest: Sha256 }>;
  /** A blob's bytes by the sha256 and size a verified manifest names (an error with code `verification` otherwise). */
  readBlob(sha256: Sha256, size: number): Promise<Buffer>;
  /**
   * Writes a blob to `dest` (which must not exist), verified (size, then sha256) before this returns; deleted on a
   * mismatch. Not fsynced unless `sync`: apply's staging fsyncs everything it staged in one pass.
   */
  stageBlob(sha256: Sha256, size: number, dest: string, opts?: { sync?: boolean; onBytes?: (n: number) => void }): Promise<void>;
  /** Releases the transport (connections, open archives). */
  close(): Promise<void>;
  /** Blobs apply may stage at once (the transport's parallelism, e.g. --parallel for HTTP). */
  readonly parallelism?: number;
}

/** What a scan of a tree yields per path (files and symlinks; directories are implied by their contents). */
export type TreeEntries = Map<string, Entry>;

export interface ScanOptions {
  /** Prefixes (`dir/`) or exact paths to leave out; RUNTIME_EXCLUDES by default. */
  excludes?: readonly string[];
  /** Parallel hashing (default 8). */
  concurrency?: number;
  /** Further paths to leave out (publish --exclude globs): true skips the path (a folder: all below it). */
  skip?: (rel: string, isDir: boolean) => boolean;
}

/** The signatures tree.ts provides (documented here so callers can be written against them). */
export interface TreeApi {
  /** lstat + (for files) sha256 of one pack-relative path under `home`; never follows symlinks. */
  observe(home: string, rel: string): Promise<Observed>;
  /** Many paths at once with bounded concurrency; result keyed by path. */
  observeMany(home: string, rels: Iterable<string>, concurrency?: number): Promise<Map<string, Observed>>;
  /** Walks `root` and hashes every file; symlinks recorded with their link text, never followed. */
  scanTree(root: string, opts?: ScanOptions): Promise<TreeEntries>;
  hashFile(abs: string): Promise<{ sha256: Sha256; size: number }>;
}
