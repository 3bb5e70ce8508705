// The applier's own vocabulary: a job is a list of items (one pack path each: what must be there, what will be, and
// where its new content comes from) plus what the commit records. An update plan (from-plan.ts), a revert plan
// (revert.ts) and each end of a wait (resolve.ts, rollback-waiting.ts) become a job, so one executor, one journal
// format and one rollback serve apply, revert and `apply --continue`.
import type { Manifest, Observed, PackState, RunIdentity, Sha256 } from '../core/model.js';
import type { GenerationFile } from '../io/generations.js';
import type { Journal, JournalConflict } from '../io/pending-run.js';

export type Source =
  | { kind: 'blob'; sha256: Sha256; size: number; mode: string }
  | { kind: 'text'; text: string | Buffer; mode: string }
  | { kind: 'symlink'; target: string }
  /** A local file (a kept generation's copy, or the file itself for a mode change): hard-linked or copied. */
  | { kind: 'copy'; abs: string; mode: string; size: number; link: boolean };

export interface Item {
  path: string;
  /** Expected on disk now; moved aside into the generation unless absent. */
  before: Observed;
  /** What the pack holds afterwards (absent: removed). */
  after: Observed;
  source: Source | null;
  /** For a removal: the outermost folder to remove once empty (a revert undoing folders an update created). */
  prune?: string | null;
  /** A conflict's helper file that the end of the wait takes out: deleted with staging, never kept or recorded. */
  discard?: boolean;
}

export interface ChangeLists {
  added: string[];
  updated: string[];
  removed: string[];
  merged: string[];
  /** Conflicts and how they ended (kept mine, took theirs, resolved with .final). */
  conflicts: { path: string; outcome: string }[];
}

/**
 * The pack's manifest copy (updates/wso2update/manifest.json) the commit writes: a level's bytes exactly as the
 * repository verified them against `sha256` (= the new state's manifestDigest), so the copy is the signed file and
 * no 8 MB string is made from a parsed manifest at 48,000 files; or a manifest built here (a hotfix's overlay, a
 * revert's kept copy, a staged commit read back), serialized.
 */
export type ManifestCopy = { bytes: Buffer; sha256: Sha256 } | { manifest: Manifest };

/** Everything the commit writes; kept in staging as commit.json while conflicts wait (see StagedCommitFile). */
export interface CommitInput {
  state: PackState;
  manifest: ManifestCopy;
  generation: GenerationFile;
  /** null: --no-changelog (and always for a revert: history stays). */
  changelog: ChangeLists | null;
  /** Generation folders to delete once committed (pruned, or consumed by a revert). */
  drop: string[];
  /** A revert's own generation is deleted after commit unless it keeps drifted files (--force). */
  keepOwnGeneration: boolean;
}

/** A run (core/model.ts RunIdentity) as the executor takes it. */
export interface ApplyJob extends RunIdentity {
  generation: string;
  /** Every path the job relies on (items' paths and their parents): re-observed before anything is written. */
  preconditions: Record<string, Observed>;
  items: Item[];
  /** Conflicts that wait for `.final` files (policy stop); their helpers are items. */
  conflicts: JournalConflict[];
  /** The generation record's entries come from the items as planned; `commit.generation.entries` holds any kept ones. */
  commit: CommitInput;
  /**
   * A job that ends the wait of a conflicted update (`apply --continue`, or reverting that update) runs under that
   * update's journal: its steps are the journal's `resolveSteps`, and a failure or crash returns to the wait.
   */
  resumes?: Journal;
}

export const STAGED_COMMIT = 'commit.json';

/** commit.json as written since its first version: the CommitInput with the manifest itself, parsed. */
export type StagedCommitFile = Omit<CommitInput, 'manifest'> & { manifest: Manifest };

/** The staged commit's text: the same format whichever form the manifest copy has (a wait is rare; parsing is fine). */
export function stagedCommitText(c: CommitInput): string {
  const manifest = 'bytes' in c.manifest ? (JSON.parse(c.manifest.bytes.toString('utf8')) as Manifest) : c.manifest.manifest;
  const file: StagedCommitFile = { ...c, manifest };
  return JSON.stringify(file);
}
