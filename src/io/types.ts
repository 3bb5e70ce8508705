// The interfaces between the effectful adapters and their users (planner orchestration, applier, commands).
// Implementations: repository.ts (folder; HTTP later) and tree.ts (walking and hashing).
import type { Descriptor, Entry, Manifest, Observed, RepoIndex, Sha256 } from '../core/model.js';

/** An update channel: a folder on disk, or later the same folder over HTTP(S). Everything read is validated. */
export interface Repository {
  /** Absolute folder path or URL, as recorded in plans and state. */
  readonly location: string;
  index(): Promise<RepoIndex>;
  /** Level numbers published for a product, ascending. */
  levels(product: string): Promise<number[]>;
  /** The manifest of a level, checked against the index's sha256 and the schema. `digest` = sha256 of its canonical JSON. */
  manifest(product: string, level: number): Promise<{ manifest: Manifest; digest: Sha256 }>;
  descriptor(product: string, level: number): Promise<Descriptor>;
  /** A blob's bytes, verified against its sha256 (an error with code `verification` otherwise). */
  readBlob(sha256: Sha256): Promise<Buffer>;
  /** Copies a blob to `dest` (which must not exist), verifying sha256 while it is being written; fsyncs it. */
  copyBlob(sha256: Sha256, dest: string): Promise<void>;
  /**
   * Optional: like copyBlob but not fsynced (and as fast a copy as the source allows), for a caller that fsyncs
   * everything it staged in one pass before any of it is renamed into place (apply's staging).
   */
  stageBlob?(sha256: Sha256, dest: string): Promise<void>;
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
