// The client's side of TUF: refresh the pack's trusted metadata from a repository (through its Transport) and read
// the signed targets (index, manifests, descriptors) checked against their signed length and hashes. As the
// specification says (client workflow 5.3.8 to 5.6.7), each role is kept in updates/wso2update/trust/ as soon as it
// verifies, so a verified root rotation (a key revocation) and the newest versions seen (the rollback floor) are
// never forgotten because something after them failed; nothing unverified and nothing older is ever kept. The
// pack's own state and plans are another matter: they never advance on a failed command.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Metadata, MetadataKind, type Root, type TargetFile } from '@tufjs/models';
import { UpdateError } from '../../core/errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { assertSafePath } from '../../core/paths.js';
import { hasPinnedRoot } from './store.js';
import { decodedRel, type Transport } from '../transport.js';
import { LATEST_ROOT_REL, TIMESTAMP_REL, versionedRel } from '../../core/layout.js';
import { trustError } from './errors.js';
import { METADATA_BASE, TransportFetcher } from './fetcher.js';
import { checkTarget, readTarget, targetHashes } from './targets.js';
import { TrustStore, trustUpdater, type TrustUpdater } from './updater.js';

/** Signed targets of one refreshed repository. */
export interface TrustedTargets {
  /** A target's bytes, checked against its signed length and hashes; `have`: a copy to use instead when it checks. */
  read(path: string, what: string, have?: Buffer): Promise<Buffer>;
  /** A target's signed length and sha256 (tool releases are streamed and checked by sha256), null when unsigned. */
  info(path: string): Promise<{ length: number; sha256: string } | null>;
  /** When each refreshed role expires (an accepted expired bundle is reported with it). */
  expiries(): Array<{ role: string; expires: string }>;
  /**
   * The metadata this client verified, as a consistent-snapshot copy holds it and in the order a copy is written:
   * the root it started from and every rotation after it, root.json, targets and the delegated roles read so far,
   * the snapshot, and timestamp.json last. The very bytes that were checked: mirror and create-update write these
   * (after reading every target they copy, so that the delegations on the way are among them), never a download.
   */
  metadata(): Array<[string, Buffer]>;
}

export interface RefreshOptions {
  /**
   * The time expiry is judged at (default: now). Only an offline bundle the operator accepts with --accept-expired
   * sets it, to the time the bundle was made (README "Offline bundles"); versions still never go back.
   */
  referenceTime?: Date;
  /** Where targets are read from (default: the metadata's transport); the conformance entry point has two. */
  targets?: Transport;
  /** Where the metadata stands in its transport (default `metadata/`). */
  metadataDir?: string;
}

/**
 * Refreshes the trusted metadata in `dir` (which holds at least the pinned root.json) from `transport`, per the
 * TUF client workflow (root rotations, timestamp, snapshot, targets; versions never go back, expiry enforced).
 */
export async function refreshTrust(transport: Transport, dir: string, signal?: AbortSignal, options: RefreshOptions = {}): Promise<TrustedTargets> {
  if (!hasPinnedRoot(dir)) {
    throw new UpdateError('verification', `no trusted root is pinned in ${dir}`, { hint: 'Adopt the pack with `wso2update init --trust-root ROOT.json` (or --allow-unsigned for an unsigned repository).' });
  }
  await keptRoot(dir);
  await removeOldScratch(dir);
  return refreshed(transport, new TrustStore(dir), signal, options);
}

/**
 * The root kept in `dir`, which must be a root its own keys sign (every root this client keeps is: pinned through checkRoot,
 * or a rotation tuf-js verified, which the new keys sign too). One that is not was damaged on this machine (written
 * in place by an older version and torn by a kill, emptied by a crash, edited): without it nothing verifies, and
 * tuf-js would report it as metadata the publisher did not sign. Said here, naming the file, before any request.
 */
export async function keptRoot(dir: string): Promise<Buffer> {
  const file = join(dir, 'root.json');
  const bytes = await readFile(file).catch((err: unknown) => {
    throw trustError(err, null);
  });
  const r = selfSignedRoot(bytes);
  if ('root' in r) return bytes;
  throw new UpdateError('invalid-input', `the pack's trusted root ${file} is damaged: ${r.problem}`, {
    hint: 'Nothing was changed or fetched. Put back the root.json the publisher gave you (for example metadata/1.root.json of the channel, checked out of band) in its place; the next command follows the root rotations from it again.',
    cause: r.cause,
  });
}

/**
 * Versions before issue 20 refreshed into a scratch copy beside a pack's trust folder (updates/wso2update/
 * .trust-refresh-*) and removed it on return; a kill in between left it behind. Nothing reads those copies: they are
 * removed here, only beside a pack's trust folder (never beside a folder someone else chose).
 */
async function removeOldScratch(dir: string): Promise<void> {
  const parent = dirname(dir);
  if (basename(parent) !== 'wso2update' || basename(dir) !== 'trust') return;
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names) if (name.startsWith('.trust-refresh-')) await rm(join(parent, name), { recursive: true, force: true });
}

/** Refreshes TUF metadata of `from` pinned to `root`, as a new client would, keeping nothing on disk. */
export async function freshTrust(from: Transport, root: Buffer, signal?: AbortSignal): Promise<TrustedTargets> {
  return refreshed(from, new TrustStore(null, root), signal, {});
}

async function refreshed(transport: Transport, store: TrustStore, signal: AbortSignal | undefined, options: RefreshOptions): Promise<TrustedTargets> {
  const fetcher = new TransportFetcher(transport, signal, options.metadataDir);
  let updater: TrustUpdater;
  let start: Buffer;
  try {
    start = store.read('root');
    updater = await trustUpdater({ store, fetcher, metadataBaseUrl: METADATA_BASE, referenceTime: options.referenceTime });
    await updater.refresh();
  } catch (err) {
    throw trustError(err, fetcher.lastError);
  }
  const infoOf = async (path: string): Promise<TargetFile | undefined> => {
    try {
      return await updater.getTargetInfo(path);
    } catch (err) {
      throw trustError(err, fetcher.lastError);
    }
  };
  const targets = options.targets ?? transport;
  return {
    expiries: () => updater.expiries(),
    metadata: () => verifiedCopy(start, store),
    async info(path) {
      const t = await infoOf(path);
      if (!t) return null;
      const sha256 = targetHashes(t, path).find(([alg]) => alg === 'sha256')?.[1];
      if (sha256 === undefined) throw new UpdateError('verification', `${path} is signed without a sha256, which this file needs`, { hint: 'Nothing was changed. Ask the publisher to sign it with a sha256.' });
      return { length: t.length, sha256 };
    },
    async read(path, what, have) {
      const t = await infoOf(path);
      if (!t) {
        throw new UpdateError('verification', `${what} (${path}) is not a signed target of ${transport.location}`, {
          hint: 'The index names a file its publisher did not sign: nothing was changed. Tell the publisher.',
        });
      }
      if (have) {
        try {
          return checkTarget(t, have, what);
        } catch {
          // not (or no longer) this target: fetched below
        }
      }
      return readTarget(targets, t, what, updater.consistentSnapshot(), signal);
    },
  };
}

const versionOf = (bytes: Buffer): number => (JSON.parse(bytes.toString('utf8')) as { signed: { version: number } }).signed.version;

/** The verified files of one client in copy order (see TrustedTargets.metadata). */
function verifiedCopy(start: Buffer, store: TrustStore): Array<[string, Buffer]> {
  const role = (name: string): Buffer => {
    const bytes = store.verified.get(name) ?? (name === 'root' ? start : undefined);
    if (!bytes) throw new UpdateError('internal', `a refresh that passed verified no ${name} metadata`);
    return bytes;
  };
  const files: Array<[string, Buffer]> = [start, ...store.rotations].map((b) => [versionedRel(versionOf(b), 'root'), b]);
  files.push([LATEST_ROOT_REL, role('root')], [versionedRel(versionOf(role('targets')), 'targets'), role('targets')]);
  for (const [name, bytes] of store.verified) {
    if (['root', 'timestamp', 'snapshot', 'targets'].includes(name)) continue;
    // A delegated role "/x" stands where a static web server maps its URL-encoded name (metadata/1./x.json).
    const rel = decodedRel(versionedRel(versionOf(bytes), encodeURIComponent(name)), true);
    assertSafePath(rel, 'a delegated role name');
    files.push([rel, bytes]);
  }
  files.push([versionedRel(versionOf(role('snapshot')), 'snapshot'), role('snapshot')], [TIMESTAMP_REL, role('timestamp')]);
  return files;
}

/** A root.json as bytes, checked to be a root that its own keys sign (the operator pins it with init). */
export function checkRoot(bytes: Buffer, where: string): Root {
  const r = selfSignedRoot(bytes);
  if ('root' in r) return r.root;
  throw new UpdateError('verification', `${where} is not a valid self-signed TUF root: ${r.problem}`, {
    hint: 'Pin the root.json the publisher gave you (for example metadata/1.root.json of the repository, checked out of band).',
    cause: r.cause,
  });
}

/** The root in `bytes`, or what makes it none (not JSON, not a root, not signed by its own keys): the one rule. */
function selfSignedRoot(bytes: Buffer): { root: Root } | { problem: string; cause: unknown } {
  try {
    const md = Metadata.fromJSON(MetadataKind.Root, JSON.parse(bytes.toString('utf8')) as never);
    if (md.signed.type !== 'root') throw new Error(`it is a ${String(md.signed.type)}, not a root`);
    md.verifyDelegate('root', md);
    return { root: md.signed };
  } catch (err) {
    return { problem: (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' '), cause: err };
  }
}

/** Pins `bytes` as the trusted root in `dir` (nothing else there). */
export async function pinRoot(dir: string, bytes: Buffer): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'root.json'), bytes, { mode: 0o644 });
}
