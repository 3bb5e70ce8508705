// What the planners and the applier use of a channel: the Repository interface. Its one implementation is
// VerifiedRepository (repository.ts) over any transport (folder.ts, http/, bundle/), so everything it returns has
// been checked; tests may stand in their own.
import type { Diagnostic } from '../core/errors.js';
import type { Descriptor, Hotfix, Manifest, RepoIndex, Sha256 } from '../core/model.js';

/**
 * An update channel, verified: a folder, HTTP(S) or a tar bundle, all read by the same verifying code over another
 * transport (repository.ts). Everything it returns has been checked.
 */
export interface Repository {
  /** Absolute folder path or URL, as recorded in plans and state. */
  readonly location: string;
  /** Case collisions found in what was read: shown by the caller, never fatal. */
  readonly warnings: Diagnostic[];
  index(): Promise<RepoIndex>;
  /** Level numbers published for a product, ascending. */
  levels(product: string): Promise<number[]>;
  /**
   * The manifest of a level, checked against the index's sha256 and the schema. `digest` = sha256 of its canonical
   * JSON. `bytes`: the very bytes that hash to `digest` (apply writes the pack's manifest copy from them instead of
   * serializing the parsed manifest again); a stand-in repository may leave them out.
   */
  manifest(product: string, level: number): Promise<{ manifest: Manifest; digest: Sha256; bytes?: Buffer }>;
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
  /** Records the verdicts on the manifests read (channel/checked-manifests.ts) once the caller's run has succeeded. */
  keepChecked?(): Promise<void>;
  /** Blobs apply may stage at once (the transport's parallelism, e.g. --parallel for HTTP). */
  readonly parallelism?: number;
}

