// The closed vocabulary of wso2update (see shared/DESIGN.md): entries of a manifest, what is observed on disk,
// the actions of a plan and the plan itself. Every other module speaks in these types; JSON Schemas in schemas/
// mirror them at the boundaries.

/** 64 lowercase hex digits. */
export type Sha256 = string;

/** File permission bits as a 4-digit octal string ("0644", "0755"): readable in JSON, no octal-number surprises. */
export type Mode = string;

export interface FileEntry {
  kind: 'file';
  sha256: Sha256;
  size: number;
  mode: Mode;
}

export interface SymlinkEntry {
  kind: 'symlink';
  /** The link text exactly as stored (relative, never followed by the tool). */
  target: string;
}

/** What a manifest says of one shipped path. */
export type Entry = FileEntry | SymlinkEntry;

/** What is on disk at one path: a manifest-like entry, or something no manifest ships. */
export type Observed = Entry | { kind: 'absent' } | { kind: 'dir' } | { kind: 'other' };

export const FORMAT_VERSION = 1 as const;

/** The shipped files of one level. Levels are cumulative: this is the whole pack at that level. */
export interface Manifest {
  formatVersion: typeof FORMAT_VERSION;
  /** `<name>-<x.y.z>`, e.g. `wso2am-4.2.0`. */
  product: string;
  level: number;
  /** Relative, normalized, `/`-separated paths, sorted by code unit order. */
  files: Record<string, Entry>;
}

export interface Fix {
  id: string;
  title: string;
}

export interface Advisory {
  id: string;
  severity: 'low' | 'medium' | 'high' | 'critical';
  title: string;
}

/** The human part of a level (YAML in the repository). */
export interface Descriptor {
  level: number;
  /** ISO date, YYYY-MM-DD. */
  date: string;
  title: string;
  description: string;
  fixes: Fix[];
  securityAdvisories: Advisory[];
  /** Against the level before it (for level 0: everything is added). */
  changes: { added: string[]; modified: string[]; removed: string[] };
}

/** One level as listed by the repository index. */
export interface IndexLevel {
  manifest: Sha256;
  descriptor: Sha256;
}

/** The repository's table of contents. */
export interface RepoIndex {
  formatVersion: typeof FORMAT_VERSION;
  products: Record<string, { levels: Record<string, IndexLevel>; hotfixes?: Record<string, IndexHotfix> }>;
}

/** One published hotfix as the index lists it: the level it applies to and the sha256 of its record. */
export interface IndexHotfix {
  level: number;
  record: Sha256;
}

/**
 * A hotfix record (`products/<product>/hotfixes/<id>.json` in the repository, a signed target): a named change on top
 * of exactly one level. `files` are added or replaced (blobs content-addressed like levels'); `removes` are deleted.
 */
export interface Hotfix {
  formatVersion: typeof FORMAT_VERSION;
  id: string;
  product: string;
  level: number;
  /** ISO date, YYYY-MM-DD. */
  date: string;
  title: string;
  description: string;
  files: Record<string, Entry>;
  removes: string[];
}

/** What the pack's state keeps of an applied hotfix: enough to rebuild its base without the repository. */
export interface AppliedHotfix {
  id: string;
  level: number;
  title: string;
  /** sha256 of the hotfix record as published. */
  digest: Sha256;
  files: Record<string, Entry>;
  removes: string[];
  appliedAt: string;
  /** The generation its apply made (revert-hotfix undoes that one). */
  generation: string;
}

/** What an update to another level does with an applied hotfix (the plan's `hotfixes`). */
export interface HotfixFate {
  id: string;
  /** retired: the level contains the fix; not-contained: the level would undo it (its `paths` are conflicts). */
  fate: 'retired' | 'not-contained';
  paths: string[];
}

/** The plan of an `apply-hotfix`: which hotfix (from- and to-level are the pack's level). */
export interface PlanHotfix {
  id: string;
  title: string;
  description: string;
  date: string;
  digest: Sha256;
}

export type ConflictPolicy = 'stop' | 'keep-mine' | 'take-theirs';

export type ConflictReason =
  | 'text-overlap' // both sides edited the same lines of a text file
  | 'too-ambiguous' // both sides edited a stretch too long or too repetitive to line up within the merge's work budget
  | 'binary-customized' // a customized binary (jar, war, keystore) that the update changes
  | 'not-mergeable' // a customized text file that WSO2 replaces rather than merges (*.j2, pom.*, default.json)
  | 'user-file' // the update adds a path where a user file with other content already is
  | 'removed-customized' // the update removes a file the user customized
  | 'kind-change' // a symlink where a file is expected or the reverse, a directory, or a symlinked parent
  | 'missing-changed' // the user deleted a shipped file that the update changes
  | 'hotfix-not-contained'; // an applied hotfix's file that the new level does not ship as the hotfix did (core/hotfix.ts)

export type ActionKind = 'add' | 'replace' | 'remove' | 'merge' | 'conflict' | 'chmod';

interface ActionBase {
  path: string;
  /** What must be on disk before (equal to the precondition of this path). */
  before: Observed;
  /** What will be on disk after apply (for a conflict under `stop`: the user's file, unchanged, until resolved). */
  after: Observed;
}

export interface AddAction extends ActionBase { action: 'add'; after: Entry }
export interface ReplaceAction extends ActionBase { action: 'replace'; after: Entry }
export interface RemoveAction extends ActionBase { action: 'remove'; after: { kind: 'absent' } }
export interface ChmodAction extends ActionBase { action: 'chmod'; after: FileEntry }
export interface MergeAction extends ActionBase {
  action: 'merge';
  after: FileEntry;
  /** The merged text, exactly the bytes apply writes (UTF-8). */
  merged: string;
  /** The base and target entries the merge was computed from (their blobs are in the repository). */
  base: FileEntry;
  target: FileEntry;
  /** For review: a unified diff of the user's file -> `merged` (the user's text is not otherwise in the plan). */
  diff?: string;
}
export interface ConflictAction extends ActionBase {
  action: 'conflict';
  reason: ConflictReason;
  /** The policy that resolves it: `stop` pauses apply; the others decide now. */
  resolution: ConflictPolicy;
  /** What base and target ship at this path (null: not shipped there). `.original`/`.new` come from these. */
  base: Entry | null;
  target: Entry | null;
  /** For text-overlap and too-ambiguous: the merge with diff3-style markers, for review only (apply never writes it; the helpers are `base` and `target`). */
  markers?: string;
  /** For review of a text conflict: a unified diff of what the update changes (base -> target). */
  diff?: string;
}

export type Action = AddAction | ReplaceAction | RemoveAction | ChmodAction | MergeAction | ConflictAction;

/** A descriptor's human part, carried into plans for review (the file-level changes are the plan's own actions). */
export type LevelNotes = Omit<Descriptor, 'changes'>;

export interface PlanSummary {
  add: number;
  replace: number;
  remove: number;
  merge: number;
  conflict: number;
  chmod: number;
}

/** What a revert plan restores from: the generation that holds the replaced files. */
export interface RevertSource {
  /** The generation undone first (the newest). */
  generation: string;
  /** Every generation undone, newest first (several with --to-level). */
  generations?: string[];
}

/**
 * What a plan carries for review only (issue 23): where it was made and by whom, and the text diffs of replaced and
 * added text files, so that `show --html` and `show --markdown` can be made anywhere from the plan alone. Under the
 * digest (an edited page would not match an approval), and never read by apply: display, not input.
 */
export interface PlanDisplay {
  /** The pack's host name and absolute path; left out of a portable plan, which is for any identical pack. */
  host?: string;
  packPath?: string;
  /** `user@host` of whoever ran `plan` (also left out of a portable plan: same inputs, same digest, on any builder). */
  madeBy?: string;
  /** Unified diffs of replaced and added text files (path -> diff; base -> target, or /dev/null -> target). */
  textDiffs?: Record<string, string>;
}

/** The only contract between plan and apply. `digest` covers everything except `createdAt` and itself. */
export interface Plan {
  formatVersion: typeof FORMAT_VERSION;
  /** `mergeEngine` (MERGE_ENGINE) says which merge engine computed the merged texts: apply recomputes them with its own. */
  tool: { name: 'wso2update'; version: string; mergeEngine: string };
  /** ISO timestamp; display only, not in the digest. */
  createdAt: string;
  product: string;
  fromLevel: number;
  toLevel: number;
  /** Where blobs come from: a folder (absolute) or URL. */
  repository: string;
  /** sha256 of the canonical JSON of the base and target manifests. */
  manifests: { base: Sha256; target: Sha256 };
  /** null when the plan is portable (fleet use): then only preconditions bind it to a pack. */
  lineage: string | null;
  serial: number | null;
  portable: boolean;
  onConflict: ConflictPolicy;
  direction: Direction;
  revert?: RevertSource;
  /** Set when the plan applies a hotfix on top of the pack's level (apply-hotfix): the target is base + hotfix. */
  hotfix?: PlanHotfix;
  /** An update to another level over applied hotfixes: what becomes of each (absent when none is applied). */
  hotfixes?: HotfixFate[];
  /** For every path the plan touches: what must be on disk. Sorted by path. */
  preconditions: Record<string, Observed>;
  /** Sorted by path. */
  actions: Action[];
  notes: LevelNotes[];
  summary: PlanSummary;
  /** For review only (issue 23): host, pack path, who made it, text diffs. Under the digest; apply never acts on it. */
  display?: PlanDisplay;
  digest: Sha256;
}

/** The pack's own record, `updates/wso2update/state.json`. */
export interface PackState {
  formatVersion: typeof FORMAT_VERSION;
  product: string;
  level: number;
  repository: string;
  lineage: string;
  serial: number;
  /** sha256 of the canonical base manifest: `level`'s with `hotfixes` overlaid (a copy is kept in `updates/wso2update/manifest.json`). */
  manifestDigest: Sha256;
  /** Kept generations, oldest first. */
  generations: GenerationRecord[];
  /** How many generations to keep (default 3). */
  keepGenerations: number;
  /** init --allow-unsigned: the repository is read without TUF verification (no root is pinned). */
  allowUnsigned?: boolean;
  /** Hotfixes applied on top of `level`, oldest first; `manifestDigest` is of the level's manifest with them overlaid. */
  hotfixes?: AppliedHotfix[];
}

/** Which way a plan or run goes: `update` from a repository, or `revert` toward a kept generation. */
export type Direction = 'update' | 'revert';

/**
 * Who a run is, declared once: the plan it runs, which way, for which product, between which levels. The journal
 * (io/pending-run.ts), the applier's job (apply/job.ts), the generation's record (io/generations.ts) and, without
 * the product, the state's record of it (GenerationRecord) all carry these fields under these names.
 */
export interface RunIdentity {
  planDigest: Sha256;
  direction: Direction;
  product: string;
  fromLevel: number;
  toLevel: number;
}

/** The identity fields of anything that carries them (a journal, a job, a generation file), and nothing else. */
export const runIdentity = (r: RunIdentity): RunIdentity =>
  ({ planDigest: r.planDigest, direction: r.direction, product: r.product, fromLevel: r.fromLevel, toLevel: r.toLevel });

export interface GenerationRecord extends Omit<RunIdentity, 'product'> {
  id: string;
  /** ISO timestamp of the commit. */
  committedAt: string;
  /** The hotfix this generation applied (revert-hotfix undoes only such a generation). */
  hotfix?: string;
}

/** Runtime data never belongs to a manifest and is never touched. */
export const RUNTIME_EXCLUDES: readonly string[] = [
  'updates/',
  'repository/logs/',
  'repository/database/',
  'tmp/',
  'wso2carbon.pid',
];

/** bundle.json of an offline update bundle (channel/bundle/info.ts reads it): unsigned, never trusted for content. */
export interface BundleInfo {
  formatVersion: 1;
  kind: 'update';
  product: string;
  fromLevel: number;
  toLevel: number;
  /** Every published level from fromLevel to toLevel: a pack at any of them (but the last) can update from it. */
  levels: number[];
  createdAt: string;
  toolVersion: string;
  blobs: number;
  blobBytes: number;
}
