// The publisher's side of TUF: sign a repository folder's index, manifests, descriptors and tool releases as targets, then snapshot
// and timestamp; re-sign only the timestamp (a cron job keeps it fresh); rotate a role's key through a new root
// signed by the old and the new root keys. Each role's files are written before the file that names them, and
// timestamp.json last, so a crash leaves the previous signed state in force.
import { existsSync } from 'node:fs';
import { link, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Key, MetaFile, Metadata, MetadataKind, Root, Signature, Snapshot, TargetFile, Targets, Timestamp } from '@tufjs/models';
import { sha256Hex } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { RepoIndex } from '../core/model.js';
import { writeFileAtomic } from '../io/atomic.js';
import { ROLES, type RoleName, type SigningKey } from './keys.js';
import { INDEX_FILE } from '../core/layout.js';
import { toolReleaseTargets } from './tool-releases.js';
import { parseJsonFile } from '../io/validate.js';
import { hashedRel, LATEST_ROOT_REL, METADATA_DIR, SPEC_VERSION, targetsOf, TIMESTAMP_REL, tufTime, versionedRel } from '../core/layout.js';

/** Lifetimes in seconds per role (defaults: timestamp 1 day, snapshot 7 days, targets and root 1 year). */
export interface Expiry { root: number; targets: number; snapshot: number; timestamp: number }
const DAY = 86_400;
export const DEFAULT_EXPIRY: Expiry = { root: 365 * DAY, targets: 365 * DAY, snapshot: 7 * DAY, timestamp: DAY };

export interface SignOptions { now: Date; expiry?: Partial<Expiry> }

type Md<T extends Root | Targets | Snapshot | Timestamp> = Metadata<T>;
interface Signed { root: Md<Root>; targets: Md<Targets> | null; snapshot: Md<Snapshot> | null; timestamp: Md<Timestamp> | null }

const expiresAt = (o: SignOptions, role: RoleName): string => tufTime(new Date(o.now.getTime() + 1000 * (o.expiry?.[role] ?? DEFAULT_EXPIRY[role])));
const bytesOf = (md: Md<Root | Targets | Snapshot | Timestamp>): Buffer => Buffer.from(`${JSON.stringify(md.toJSON(), null, 1)}\n`);
const metaFileOf = (version: number, bytes: Buffer): MetaFile => new MetaFile({ version, length: bytes.length, hashes: { sha256: sha256Hex(bytes) } });

function signWith(md: Md<Root | Targets | Snapshot | Timestamp>, keys: SigningKey[]): void {
  md.signatures = {};
  for (const k of keys) md.sign((data) => new Signature({ keyID: k.keyId, sig: k.sign(data) }), true);
}

async function readMd(repo: string, rel: string): Promise<unknown> {
  const file = join(repo, rel);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw new UpdateError('invalid-input', `cannot read the signed metadata ${file}: ${(err as Error).message}`, { hint: 'Restore the repository\'s metadata/ folder from a backup.', cause: err });
  }
}

export const isSigned = (repo: string): boolean => existsSync(join(repo, LATEST_ROOT_REL));

/** The newest root version present as `metadata/N.root.json`. */
async function latestRootVersion(repo: string): Promise<number> {
  const names = await readdir(join(repo, METADATA_DIR)).catch(() => [] as string[]);
  const versions = names.map((n) => /^(\d+)\.root\.json$/.exec(n)).filter((m) => m !== null).map((m) => Number(m[1]));
  if (versions.length === 0) throw new UpdateError('invalid-input', `${join(repo, METADATA_DIR)} has no N.root.json`, { hint: 'Restore the metadata/ folder, or sign a new repository.' });
  return Math.max(...versions);
}

async function readSigned(repo: string): Promise<Signed> {
  const root = Metadata.fromJSON(MetadataKind.Root, await readMd(repo, versionedRel(await latestRootVersion(repo), 'root')) as never);
  if (!existsSync(join(repo, TIMESTAMP_REL))) return { root, targets: null, snapshot: null, timestamp: null };
  const timestamp = Metadata.fromJSON(MetadataKind.Timestamp, await readMd(repo, TIMESTAMP_REL) as never);
  const snapshot = Metadata.fromJSON(MetadataKind.Snapshot, await readMd(repo, versionedRel(timestamp.signed.snapshotMeta.version, 'snapshot')) as never);
  const targets = Metadata.fromJSON(MetadataKind.Targets, await readMd(repo, versionedRel(snapshot.signed.meta['targets.json'].version, 'targets')) as never);
  return { root, targets, snapshot, timestamp };
}

/** Refuses keys that the repository's root does not list for their role (they would sign metadata no client accepts). */
function assertListed(root: Root, keys: Partial<Record<RoleName, SigningKey>>): void {
  for (const [role, key] of Object.entries(keys) as Array<[RoleName, SigningKey]>) {
    if (!root.roles[role]?.keyIDs.includes(key.keyId)) {
      throw new UpdateError('usage', `the ${role} key in --keys (${key.keyId.slice(0, 16)}...) is not the one this repository's root lists for ${role}`, {
        hint: 'Pass the --keys folder this repository was signed with (or rotate the key with `wso2update keygen --rotate ROLE`).',
      });
    }
  }
}

/** Before publishing changes anything: the keys must be the ones a signed repository's root lists. */
export async function checkKeys(repo: string, keys: Record<RoleName, SigningKey>): Promise<void> {
  if (!isSigned(repo)) return;
  const { root } = await readSigned(repo);
  assertListed(root.signed, { targets: keys.targets, snapshot: keys.snapshot, timestamp: keys.timestamp });
}

function newRoot(version: number, keys: Record<RoleName, SigningKey>, o: SignOptions): Md<Root> {
  const root = new Root({ version, specVersion: SPEC_VERSION, expires: expiresAt(o, 'root'), consistentSnapshot: true });
  for (const role of ROLES) {
    root.addKey(new Key({ keyID: keys[role].keyId, keyType: 'ed25519', scheme: 'ed25519', keyVal: keys[role].public.keyval }), role);
  }
  return new Metadata(root);
}

async function writeMd(repo: string, rel: string, bytes: Buffer): Promise<void> {
  await mkdir(join(repo, METADATA_DIR), { recursive: true });
  await writeFileAtomic(join(repo, rel), bytes);
}

async function writeRoot(repo: string, root: Md<Root>): Promise<void> {
  const bytes = bytesOf(root);
  await writeMd(repo, versionedRel(root.signed.version, 'root'), bytes);
  await writeMd(repo, LATEST_ROOT_REL, bytes);
}

/**
 * Signed files beside the index's (levels): each source lists its own (null sha256: a list file, checked by its
 * own bytes). Tool releases: tools/releases.json and each release's executables and code bundle.
 */
const MORE_TARGETS: Array<(repo: string) => Promise<Array<{ path: string; sha256: string | null }>>> = [toolReleaseTargets];

/** The index's targets (and MORE_TARGETS') with their bytes checked against their lists, each also stored under its hashed name. */
async function targetFiles(repo: string): Promise<TargetFile[]> {
  const indexBytes = await readFile(join(repo, INDEX_FILE));
  const index = parseJsonFile<RepoIndex>(indexBytes.toString('utf8'), join(repo, INDEX_FILE), 'index');
  const out: TargetFile[] = [];
  const listed = [...targetsOf(index)];
  for (const more of MORE_TARGETS) listed.push(...(await more(repo)));
  for (const t of listed) {
    const bytes = t.path === INDEX_FILE ? indexBytes : await readFile(join(repo, t.path));
    const sha = sha256Hex(bytes);
    if (t.sha256 !== null && sha !== t.sha256) {
      throw new UpdateError('verification', `${join(repo, t.path)} does not match the sha256 its list (index.json or tools/releases.json) names; refusing to sign it`, { hint: 'Restore the file (or publish the level again) before signing.' });
    }
    const hashed = join(repo, hashedRel(t.path, sha));
    if (!existsSync(hashed)) {
      // Manifests, descriptors and releases never change, so a hard link costs nothing; list files are small: copy them.
      if (t.sha256 === null) await writeFileAtomic(hashed, bytes);
      else await link(join(repo, t.path), hashed).catch(() => writeFileAtomic(hashed, bytes));
    }
    out.push(new TargetFile({ path: t.path, length: bytes.length, hashes: { sha256: sha } }));
  }
  return out;
}

async function writeTimestamp(repo: string, version: number, snapshotMeta: MetaFile, key: SigningKey, o: SignOptions): Promise<Md<Timestamp>> {
  const ts = new Metadata(new Timestamp({ version, specVersion: SPEC_VERSION, expires: expiresAt(o, 'timestamp'), snapshotMeta }));
  signWith(ts, [key]);
  await writeMd(repo, TIMESTAMP_REL, bytesOf(ts));
  return ts;
}

/** Signs the repository as its index stands now: a new targets, snapshot and timestamp (and root 1 the first time). */
export async function signRepository(repo: string, keys: Record<RoleName, SigningKey>, o: SignOptions): Promise<{ version: number; targets: number }> {
  let current: Signed;
  if (isSigned(repo)) {
    current = await readSigned(repo);
    assertListed(current.root.signed, { targets: keys.targets, snapshot: keys.snapshot, timestamp: keys.timestamp });
  } else {
    const root = newRoot(1, keys, o);
    signWith(root, [keys.root]);
    await writeRoot(repo, root);
    current = { root, targets: null, snapshot: null, timestamp: null };
  }
  const files = await targetFiles(repo);
  const targets = new Metadata(new Targets({ version: (current.targets?.signed.version ?? 0) + 1, specVersion: SPEC_VERSION, expires: expiresAt(o, 'targets') }));
  for (const f of files) targets.signed.addTarget(f);
  return signFrom(repo, keys, o, current, targets, files.length);
}

/** Writes `targets` (re-signed), a snapshot naming it, and the timestamp. */
async function signFrom(repo: string, keys: Pick<Record<RoleName, SigningKey>, 'targets' | 'snapshot' | 'timestamp'>, o: SignOptions, current: Signed, targets: Md<Targets>, count: number) {
  signWith(targets, [keys.targets]);
  const targetsBytes = bytesOf(targets);
  await writeMd(repo, versionedRel(targets.signed.version, 'targets'), targetsBytes);
  const snapshot = new Metadata(new Snapshot({
    version: (current.snapshot?.signed.version ?? 0) + 1, specVersion: SPEC_VERSION, expires: expiresAt(o, 'snapshot'),
    meta: { 'targets.json': metaFileOf(targets.signed.version, targetsBytes) },
  }));
  signWith(snapshot, [keys.snapshot]);
  const snapshotBytes = bytesOf(snapshot);
  await writeMd(repo, versionedRel(snapshot.signed.version, 'snapshot'), snapshotBytes);
  const ts = await writeTimestamp(repo, (current.timestamp?.signed.version ?? 0) + 1, metaFileOf(snapshot.signed.version, snapshotBytes), keys.timestamp, o);
  return { version: ts.signed.version, targets: count };
}

/** `publish --refresh-timestamp`: the same snapshot under a new timestamp version with a new expiry. */
export async function refreshTimestamp(repo: string, key: SigningKey, o: SignOptions): Promise<{ version: number; expires: string }> {
  if (!isSigned(repo) || !existsSync(join(repo, TIMESTAMP_REL))) {
    throw new UpdateError('usage', `${repo} is not signed yet`, { hint: 'Sign it first: wso2update publish ... --keys DIR' });
  }
  const current = await readSigned(repo);
  assertListed(current.root.signed, { timestamp: key });
  const old = current.timestamp as Md<Timestamp>;
  const ts = await writeTimestamp(repo, old.signed.version + 1, old.signed.snapshotMeta, key, o);
  return { version: ts.signed.version, expires: ts.signed.expires };
}

/**
 * `keygen --rotate ROLE`: root N+1 lists `next` instead of the current key of its role and is signed by the
 * current root key and (for a root rotation) the new one, so clients holding root N accept it. A rotated targets,
 * snapshot or timestamp key then re-signs its role and those below it.
 */
export async function rotateKey(repo: string, keys: Record<RoleName, SigningKey>, next: SigningKey, o: SignOptions): Promise<{ rootVersion: number }> {
  if (!isSigned(repo)) throw new UpdateError('usage', `${repo} is not signed yet`, { hint: 'Sign it first (publish --keys DIR); rotation replaces a key a signed repository uses.' });
  const current = await readSigned(repo);
  assertListed(current.root.signed, { root: keys.root });
  const after = { ...keys, [next.role]: next };
  const root = newRoot(current.root.signed.version + 1, after, o);
  signWith(root, next.role === 'root' ? [keys.root, next] : [keys.root]);
  await writeRoot(repo, root);
  if (next.role !== 'root' && current.targets && current.snapshot && current.timestamp) {
    const t = current.targets.signed;
    const targets = new Metadata(new Targets({
      version: t.version + 1, specVersion: SPEC_VERSION, expires: expiresAt(o, 'targets'), targets: { ...t.targets },
    }));
    await signFrom(repo, after, o, { ...current, root }, targets, Object.keys(t.targets).length);
  }
  return { rootVersion: root.signed.version };
}
