// The seam between "where a repository's bytes come from" and "what they mean". A transport only moves bytes
// (a folder, an HTTP(S) server, a tar bundle); the one verifying repository on top of it checks every byte against
// the index, the manifests' sha256 and (for signed channels) TUF metadata. Nothing here trusts what it reads.
import { UpdateError } from '../core/errors.js';
import type { Sha256 } from '../core/model.js';

export interface ReadOptions {
  /** Refuse (error code `verification`) a file larger than this many bytes: a cap from signed lengths or limits. */
  maxBytes?: number;
  signal?: AbortSignal;
  /**
   * `rel` is percent-encoded as in a URL (TUF names a delegated role's metadata by its URL-encoded name:
   * role "/x" is `1.%2Fx.json`). HTTP sends it as it is; a folder or a bundle reads the name a static web server
   * serving that folder would (each escape decoded once, see decodedRel).
   */
  encoded?: boolean;
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
  /**
   * Where a file of a repository that is a local folder lies, for the blob cache to hard-link instead of writing a
   * copy (issue 22); none for a URL or a bundle. Nothing read through it is trusted: the cache hashes every use.
   */
  localFile?(rel: string): string;
  /** How many fetchTo calls it serves at once (HTTP: the connections per origin); apply stages that many blobs. */
  readonly parallelism?: number;
}

/** The repository path a folder or bundle holds for `rel` (decoded once when `encoded`); a bad escape is refused. */
export function decodedRel(rel: string, encoded?: boolean): string {
  if (!encoded) return rel;
  try {
    return decodeURIComponent(rel);
  } catch {
    throw new UpdateError('hostile-path', `${JSON.stringify(rel)} is not a valid percent-encoded repository path`, { hint: 'The signed metadata names a role the repository cannot hold; nothing was changed.' });
  }
}
