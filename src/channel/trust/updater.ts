// tuf-js's Updater as this project runs it. tuf-js 5.0.1 does the TUF client workflow; three things are ours:
// - Where verified metadata is kept: each role as soon as it verifies (client workflow 5.3.8, 5.4.5, 5.5.7, 5.6.7),
//   written atomically (tuf-js writes in place: a crash would leave a torn root.json and a pack that trusts nothing),
//   under the URL-encoded role name tuf-js writes, and read back under that same name (tuf-js reads `${role}.json`
//   unencoded: for a role named "../x" a file outside the folder). A throw-away client keeps nothing on disk.
// - A delegated role is verified against the delegator it is reached through, every time: tuf-js reuses a role it
//   verified through one delegator when a diamond reaches it through another (python-tuf#2977, go-tuf#759).
// - The reference time for expiry (an offline bundle accepted with --accept-expired).
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metadata, Targets } from '@tufjs/models';
import { Updater, type Fetcher } from 'tuf-js';
import { writeFileAtomic } from '../../io/atomic.js';
import { MAX_ROOT_ROTATIONS } from '../../core/layout.js';

const TOP_LEVEL = ['root', 'timestamp', 'snapshot', 'targets'];
/** Longer encoded names are not kept (a file name has 255 bytes at most); the role is fetched again next time. */
const MAX_NAME = 200;

/** The file a role's metadata is kept in: its URL-encoded name, so no role name can make a path. */
export const roleFile = (role: string): string => `${encodeURIComponent(role)}.json`;

/** File names Windows refuses or maps to a device (encodeURIComponent leaves "*" as it is). */
const WINDOWS_UNSAFE = /[*]|^(?:con|prn|aux|nul|com\d|lpt\d)\./i;

/**
 * Whether a role's metadata may be kept under its own file; one that may not is still verified and used, and fetched
 * again next time. A delegated role whose name differs from a top-level one only in case ("Root") would overwrite
 * root.json on a case-insensitive file system (macOS, Windows); a name Windows cannot hold would fail every refresh.
 */
const keepable = (role: string): boolean =>
  TOP_LEVEL.includes(role) || (!TOP_LEVEL.includes(role.toLowerCase()) && roleFile(role).length <= MAX_NAME && !WINDOWS_UNSAFE.test(roleFile(role)));

/** Verified metadata, kept as tuf-js hands it over (synchronously) and written by flush(), in that order. */
export class TrustStore {
  private readonly memory = new Map<string, Buffer>();
  private pending: Array<[string, Buffer]> = [];
  /** Each role's newest bytes verified in this run, whatever its name (a copy of the repository is made of them). */
  readonly verified = new Map<string, Buffer>();
  /** Every root version verified in this run, in order: the rotations a copy must carry. */
  readonly rotations: Buffer[] = [];

  /** `dir`: the pack's trust folder; null: memory only (a throw-away client). */
  constructor(readonly dir: string | null, root?: Buffer) {
    if (root) this.memory.set('root', root);
  }

  read(role: string): Buffer {
    const kept = this.memory.get(role);
    if (kept) return kept;
    if (this.dir === null) throw new Error(`no ${role} metadata kept`);
    return readFileSync(join(this.dir, roleFile(role)));
  }

  keep(role: string, bytes: Buffer): void {
    this.verified.set(role, bytes);
    if (role === 'root') this.rotations.push(bytes);
    if (!keepable(role)) return;
    this.memory.set(role, bytes);
    if (this.dir !== null) this.pending.push([role, bytes]);
  }

  async flush(): Promise<void> {
    const dir = this.dir;
    if (dir === null) return;
    while (this.pending.length > 0) {
      const [role, bytes] = this.pending[0];
      const file = join(dir, roleFile(role));
      if (!(await newerKept(file, bytes))) await writeFileAtomic(file, bytes, { mode: 0o644 });
      this.pending.shift();
    }
  }
}

/** The version a metadata file says (null for anything that is not one: torn, another format). */
function versionOf(bytes: Buffer): number | null {
  try {
    const v = (JSON.parse(bytes.toString('utf8')) as { signed?: { version?: unknown } }).signed?.version;
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : null;
  } catch {
    return null;
  }
}

/**
 * Whether `file` already holds a newer version than `bytes`: another command refreshing this trust folder at the same
 * time (two `check`s: commands other than apply take no lock) verified a later one and wrote it while this one was
 * on its way. Writing ours would take the folder back, a root rotation (a key revocation) included. What is left is
 * the moment between this read and the rename (not a download): a newer version written in it is lost until a
 * refresh fetches it again. Whatever either racer writes is verified, and every write is atomic (no torn file).
 */
async function newerKept(file: string, bytes: Buffer): Promise<boolean> {
  const kept = await readFile(file).catch(() => null);
  const ours = versionOf(bytes);
  const theirs = kept && versionOf(kept);
  return ours !== null && theirs !== null && theirs > ours;
}

/** The parts of tuf-js's Updater this module replaces or reads (private in its types, stable in 5.0.x). */
interface Internals {
  trustedSet: { referenceTime: Date; getRole(name: string): Metadata<Targets> | undefined; root: { signed: { consistentSnapshot: boolean } } };
  loadTargets(role: string, parent: string): Promise<Metadata<Targets> | undefined>;
  loadLocalMetadata(name: string): Buffer;
  persistMetadata(name: string, bytes: Buffer): void;
}

export interface TrustUpdater {
  refresh(): Promise<void>;
  getTargetInfo(path: string): ReturnType<Updater['getTargetInfo']>;
  /** Whether targets stand under hash-prefixed names (the trusted root says). */
  consistentSnapshot(): boolean;
  /** Each trusted top-level role's expiry. */
  expiries(): Array<{ role: string; expires: string }>;
}

export interface UpdaterOptions {
  store: TrustStore;
  fetcher: Fetcher;
  metadataBaseUrl: string;
  referenceTime?: Date;
}

/** A fresh Updater over `store` (which must hold the trusted root). One per refresh (REMOTE-NOTES). */
export async function trustUpdater(o: UpdaterOptions): Promise<TrustUpdater> {
  // tuf-js reads root.json from a folder in its constructor, before any method can be replaced: the trust folder,
  // or for a client that keeps nothing a temporary one.
  const make = (metadataDir: string) => new Updater({ metadataDir, metadataBaseUrl: o.metadataBaseUrl, fetcher: o.fetcher, config: { prefixTargetsWithHash: true, maxRootRotations: MAX_ROOT_ROTATIONS } });
  let updater: Updater;
  if (o.store.dir !== null) {
    updater = make(o.store.dir);
  } else {
    const boot = await mkdtemp(join(tmpdir(), 'wso2update-tuf-root-'));
    try {
      await writeFile(join(boot, 'root.json'), o.store.read('root'));
      updater = make(boot);
    } finally {
      await rm(boot, { recursive: true, force: true });
    }
  }
  const inner = updater as unknown as Internals;
  if (o.referenceTime) inner.trustedSet.referenceTime = o.referenceTime; // read by every expiry check (store.js)
  inner.loadLocalMetadata = (name) => o.store.read(name);
  inner.persistMetadata = (name, bytes) => o.store.keep(name, bytes);
  const loadTargets = inner.loadTargets.bind(updater);
  const verifiedVia = new Set<string>();
  inner.loadTargets = async (role, parent) => {
    const cached = inner.trustedSet.getRole(role);
    const path = `${parent}\u0000${role}`;
    if (cached && role !== 'targets' && !verifiedVia.has(path)) {
      const delegator = inner.trustedSet.getRole(parent);
      if (!delegator) throw new Error(`no trusted ${parent} metadata`);
      delegator.verifyDelegate(role, cached); // throws UnsignedMetadataError: refused as a fresh client would
    }
    const md = await loadTargets(role, parent);
    verifiedVia.add(path);
    return md;
  };
  const flushed = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } finally {
      await o.store.flush();
    }
  };
  return {
    refresh: () => flushed(() => updater.refresh()),
    getTargetInfo: (path) => flushed(() => updater.getTargetInfo(path)),
    consistentSnapshot: () => inner.trustedSet.root.signed.consistentSnapshot,
    expiries: () => TOP_LEVEL.flatMap((role) => {
      const md = inner.trustedSet.getRole(role) as unknown as { signed: { expires: string } } | undefined;
      return md ? [{ role, expires: md.signed.expires }] : [];
    }),
  };
}
