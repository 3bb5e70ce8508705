// The seam between "where a repository's bytes come from" and "what they mean". A transport only moves bytes
// (a folder, an HTTP(S) server, a tar bundle); the one verifying repository on top of it checks every byte against
// the index, the manifests' sha256 and (for signed channels) TUF metadata. Nothing here trusts what it reads.
import type { Sha256 } from '../core/model.js';

export interface ReadOptions {
  /** Refuse (error code `verification`) a file larger than this many bytes: a cap from signed lengths or limits. */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface FetchOptions {
  /** The size the signed manifest names: the transport stops and fails on more bytes, and on fewer at the end. */
  size: number;
  /** Hash computed while writing; a mismatch deletes `dest` and fails with code `verification`. */
  sha256: Sha256;
  /** fsync the file before returning (false for apply's staging, which fsyncs everything in one pass). */
  sync?: boolean;
  signal?: AbortSignal;
  /** Called with the number of new bytes as they arrive (progress). */
  onBytes?: (n: number) => void;
}

export interface Transport {
  /** Absolute folder path or URL, as recorded in plans and state. */
  readonly location: string;
  /** A whole small file by its repository-relative path (`index.json`, a manifest, `metadata/1.root.json`).
   *  Missing: UpdateError code `not-found`. */
  read(rel: string, opts?: ReadOptions): Promise<Buffer>;
  /** Streams a (large) file to `dest`, which must not exist, verifying size and sha256 on the way. */
  fetchTo(rel: string, dest: string, opts: FetchOptions): Promise<void>;
  /** Releases connections or open archives. */
  close?(): Promise<void>;
  /** Fetches cost a network round trip: what was fetched is worth keeping in the pack's blob cache. */
  readonly remote?: boolean;
  /** How many fetchTo calls it serves at once (HTTP: the connections per origin); apply stages that many blobs. */
  readonly parallelism?: number;
}
