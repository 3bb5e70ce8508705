// The client's side of TUF: refresh the pack's trusted metadata from a repository (through its Transport) and read
// the signed targets (index, manifests, descriptors) checked against their signed length and sha256. The refresh
// runs on a scratch copy of updates/wso2update/trust/ and is committed only when the command that asked for it has
// verified all it read, so a refused attack leaves the trusted state exactly as it was (tuf-js itself persists
// each role as soon as it passes).
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Metadata, MetadataKind, type Root, type TargetFile } from '@tufjs/models';
import { Updater } from 'tuf-js';
import { sha256Hex } from '../../core/canonical.js';
import { UpdateError } from '../../core/errors.js';
import { writeFileAtomic } from '../atomic.js';
import { hasPinnedRoot, TRUSTED } from './local.js';
import type { Transport } from '../transport.js';
import { trustError } from './errors.js';
import { METADATA_BASE, TransportFetcher } from './fetcher.js';
import { hashedRel, LATEST_ROOT_REL, MAX_ROOT_ROTATIONS, TIMESTAMP_REL, versionedRel } from './layout.js';


/** Signed targets of one refreshed repository. */
export interface TrustedTargets {
  /**
   * Makes the refreshed metadata the pack's trusted state. A command calls it once everything it read verified,
   * so that even an attack signed with valid keys (a manifest for the wrong level) leaves the trusted state as it was.
   */
  commit(): Promise<void>;
  /** A target's bytes, read from its hashed name and checked against its signed length and sha256. */
  read(path: string, what: string): Promise<Buffer>;
  info(path: string): Promise<{ length: number; sha256: string } | null>;
  /** When each refreshed role expires (an accepted expired bundle is reported with it). */
  expiries(): Array<{ role: string; expires: string }>;
  /**
   * The metadata this refresh verified, as a consistent-snapshot copy holds it and in the order a copy is written:
   * the pinned root and every rotation after it, root.json, targets, snapshot, and timestamp.json last. These are
   * the very bytes that were checked (mirror and create-update write them; they never download metadata again).
   */
  metadata(): Array<[string, Buffer]>;
}

async function copyTrusted(from: string, to: string): Promise<void> {
  for (const name of TRUSTED) if (existsSync(join(from, name))) await cp(join(from, name), join(to, name));
}

async function readTrusted(scratch: string): Promise<Array<[string, Buffer]>> {
  const out: Array<[string, Buffer]> = [];
  for (const name of TRUSTED) if (existsSync(join(scratch, name))) out.push([name, await readFile(join(scratch, name))]);
  return out;
}

const versionOf = (bytes: Buffer): number => (JSON.parse(bytes.toString('utf8')) as { signed: { version: number } }).signed.version;

/** The verified files of one refresh in copy order (see TrustedTargets.metadata). */
function verifiedCopy(pinned: Buffer, downloaded: ReadonlyMap<string, Buffer>, refreshed: Array<[string, Buffer]>): Array<[string, Buffer]> {
  const got = new Map(refreshed);
  const role = (name: string): Buffer => {
    const bytes = got.get(name);
    if (!bytes) throw new UpdateError('internal', `a refresh that passed left no ${name}`);
    return bytes;
  };
  const files: Array<[string, Buffer]> = [[versionedRel(versionOf(pinned), 'root'), pinned]];
  for (let v = versionOf(pinned) + 1; v <= versionOf(role('root.json')); v++) {
    const bytes = downloaded.get(versionedRel(v, 'root'));
    if (!bytes) throw new UpdateError('internal', `root version ${v} was trusted but not downloaded`);
    files.push([versionedRel(v, 'root'), bytes]);
  }
  const [targets, snapshot] = [role('targets.json'), role('snapshot.json')];
  files.push([LATEST_ROOT_REL, role('root.json')], [versionedRel(versionOf(targets), 'targets'), targets], [versionedRel(versionOf(snapshot), 'snapshot'), snapshot], [TIMESTAMP_REL, role('timestamp.json')]);
  return files;
}

async function commitTrusted(files: Array<[string, Buffer]>, dir: string): Promise<void> {
  for (const [name, next] of files) {
    const now = await readFile(join(dir, name)).catch(() => null);
    if (now === null || !now.equals(next)) await writeFileAtomic(join(dir, name), next, { mode: 0o644 });
  }
}

export interface RefreshOptions {
  /**
   * The time expiry is judged at (default: now). Only an offline bundle the operator accepts with --accept-expired
   * sets it, to the time the bundle was made (README "Offline bundles"); versions still never go back.
   */
  referenceTime?: Date;
}

/**
 * Refreshes the trusted metadata in `dir` (which holds at least the pinned root.json) from `transport`, per the
 * TUF client workflow (root rotations, timestamp, snapshot, targets; versions never go back, expiry enforced).
 */
export async function refreshTrust(transport: Transport, dir: string, signal?: AbortSignal, options: RefreshOptions = {}): Promise<TrustedTargets> {
  if (!hasPinnedRoot(dir)) {
    throw new UpdateError('verification', `no trusted root is pinned in ${dir}`, { hint: 'Adopt the pack with `wso2update init --trust-root ROOT.json` (or --allow-unsigned for an unsigned repository).' });
  }
  const scratch = await mkdtemp(join(dirname(dir), '.trust-refresh-'));
  const fetcher = new TransportFetcher(transport, signal);
  let updater: Updater;
  let refreshed: Array<[string, Buffer]>;
  let pinned: Buffer;
  try {
    await copyTrusted(dir, scratch);
    pinned = await readFile(join(scratch, 'root.json'));
    updater = new Updater({ metadataDir: scratch, metadataBaseUrl: METADATA_BASE, fetcher, config: { prefixTargetsWithHash: true, maxRootRotations: MAX_ROOT_ROTATIONS } });
    // tuf-js 5 fixes the reference time in its (private) trusted store at construction and offers no option for it;
    // the store reads only this field for every expiry check (store.js), so it is set there, before refresh().
    if (options.referenceTime) (updater as unknown as { trustedSet: { referenceTime: Date } }).trustedSet.referenceTime = options.referenceTime;
    await updater.refresh();
    refreshed = await readTrusted(scratch);
  } catch (err) {
    throw trustError(err, fetcher.lastError);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const infoOf = async (path: string): Promise<TargetFile | undefined> => {
    try {
      return await updater.getTargetInfo(path);
    } catch (err) {
      throw trustError(err, fetcher.lastError);
    }
  };
  return {
    commit: () => commitTrusted(refreshed, dir),
    metadata: () => verifiedCopy(pinned, fetcher.downloaded, refreshed),
    expiries: () => refreshed.map(([name, bytes]) => ({ role: name.replace('.json', ''), expires: String((JSON.parse(bytes.toString('utf8')) as { signed: { expires: unknown } }).signed.expires) })),
    async info(path) {
      const t = await infoOf(path);
      return t ? { length: t.length, sha256: t.hashes.sha256 } : null;
    },
    async read(path, what) {
      const t = await infoOf(path);
      const sha = t?.hashes.sha256;
      if (!t || !sha) {
        throw new UpdateError('verification', `${what} (${path}) is not a signed target of ${transport.location}`, {
          hint: 'The index names a file its publisher did not sign: nothing was changed. Tell the publisher.',
        });
      }
      const bytes = await transport.read(hashedRel(path, sha), { maxBytes: t.length, signal });
      const got = sha256Hex(bytes);
      if (bytes.length !== t.length || got !== sha) {
        throw new UpdateError('verification', `${what} (${path}) does not match its signed sha256 and length: tampered or damaged`, {
          detail: `expected ${sha} (${t.length} bytes)\ngot      ${got} (${bytes.length} bytes)`,
          hint: 'Nothing was changed. Tell the publisher, or use a faithful mirror.',
        });
      }
      return bytes;
    },
  };
}

/** Refreshes TUF metadata of `from` into a throw-away trust folder pinned to `root`, as a new client would. */
export async function freshTrust(from: Transport, root: Buffer, signal?: AbortSignal): Promise<TrustedTargets> {
  const scratch = await mkdtemp(join(tmpdir(), 'wso2update-fresh-trust-'));
  try {
    await pinRoot(join(scratch, 'trust'), root);
    return await refreshTrust(from, join(scratch, 'trust'), signal);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A root.json as bytes, checked to be a root that its own keys sign (the operator pins it with init). */
export function checkRoot(bytes: Buffer, where: string): Root {
  try {
    const md = Metadata.fromJSON(MetadataKind.Root, JSON.parse(bytes.toString('utf8')) as never);
    if (md.signed.type !== 'root') throw new Error(`it is a ${String(md.signed.type)}, not a root`);
    md.verifyDelegate('root', md);
    return md.signed;
  } catch (err) {
    throw new UpdateError('verification', `${where} is not a valid self-signed TUF root: ${(err as Error).message.replace(/\s+/g, ' ')}`, {
      hint: 'Pin the root.json the publisher gave you (for example metadata/1.root.json of the repository, checked out of band).',
      cause: err,
    });
  }
}

/** Pins `bytes` as the trusted root in `dir` (nothing else there). */
export async function pinRoot(dir: string, bytes: Buffer): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'root.json'), bytes, { mode: 0o644 });
}
