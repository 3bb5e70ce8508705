// Opening a repository: which transport serves a location (a folder, an HTTP(S) URL, a bundle file), the trust
// refresh when the pack pins a root, the offline bundle's expiry rule and the levels a bundle holds. The verifying
// repository on top (repository.ts) sees none of this: every difference between transports is settled here, once.
// openPackRepository is how a command opens its pack's repository: the pack handle says where the trust, the cache
// and the staging folder are, the run says which repository and how.
import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UpdateError, type Diagnostic } from '../core/errors.js';
import type { PackState } from '../core/model.js';
import type { Pack } from '../io/pack.js';
import type { Repository } from './api.js';
import { BUNDLE_INFO, readBundleInfo } from './bundle/info.js';
import type { BundleTransport } from './bundle/transport.js';
import { FolderTransport } from './folder.js';
import { isHttpLocation } from './http/location.js';
import { httpSettings } from './http/settings.js';
import { VerifiedRepository, type VerifyingOptions } from './repository.js';
import type { Transport } from './transport.js';
import type { TrustedTargets } from './trust/client.js';
import { packTrust } from './trust/source.js';

export interface RepositoryOptions extends VerifyingOptions {
  /**
   * Signed channels: the pack's trust folder (updates/wso2update/trust/) holding the pinned root.json and the
   * trusted TUF metadata. With it, the index, manifests and descriptors are read as TUF targets (channel/trust/).
   */
  trustDir?: string;
  /** For transports that authenticate (HTTP(S)); never written anywhere. A folder needs none. */
  credentials?: { username: string; password: string };
  /** Where a compressed bundle may be decompressed (the pack's updates/wso2update/); none: only plain tar bundles. */
  stagingDir?: string;
  /** An offline bundle's metadata may have expired after the bundle was made (channel/bundle/expiry.ts). */
  acceptExpiredBundle?: boolean;
  /** The caller reads only the root it is about to pin and verifies everything else against it (trust/pin.ts). */
  pinning?: boolean;
}

const isUrl = (location: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(location);

/**
 * Whether a recorded location is a channel (a URL or a folder) rather than an offline bundle, or a bundle or folder
 * since deleted: only a channel can offer tool releases, so self-update asks nothing of the others.
 */
export const isChannel = (location: string): boolean => isUrl(location) || statSync(location, { throwIfNoEntry: false })?.isDirectory() === true;

type Opened = { kind: 'http' | 'folder'; transport: Transport } | { kind: 'bundle'; transport: BundleTransport };

/**
 * Which transport serves a location: the one place to extend. Each entry says whether it takes the location and
 * opens it; the folder is the fallback for anything that is not a URL.
 */
const TRANSPORTS: { takes: (location: string) => boolean; open: (location: string, options: RepositoryOptions) => Promise<Opened> }[] = [
  {
    takes: isHttpLocation,
    // The run's network settings (cli/ sets them from flags and environment); credentials given here win. Loaded
    // only for a URL: undici costs a folder or bundle run about 0.2 s of start-up (BENCH.md's profile).
    open: async (l, o) => ({
      kind: 'http',
      transport: new (await import('./http/transport.js')).HttpTransport(l, { ...httpSettings(), ...(o.credentials ? { credentials: o.credentials } : {}) }),
    }),
  },
  {
    // A regular file is a bundle (channel/bundle/): walked strictly at open, then read in place, never extracted.
    takes: (l) => !isUrl(l) && statSync(l, { throwIfNoEntry: false })?.isFile() === true,
    open: async (l, o) => {
      // Never read unsigned: only against a pinned root (trustDir), or to take the root that is being pinned.
      if (o.trustDir === undefined && !o.pinning) {
        throw new UpdateError('verification', `the bundle ${resolve(l)} is read only against a pinned trust root, and there is none here (a pack adopted with --allow-unsigned has none): a bundle is never accepted unsigned`, {
          hint: 'Pin the root of the channel the bundle was made from: `init --repo BUNDLE.tar --trust-root ROOT.json` on a pack never adopted, or `init --reconfigure --repo BUNDLE.tar --trust-root ROOT.json` on an adopted one; nothing was changed.',
        });
      }
      return { kind: 'bundle', transport: await (await import('./bundle/transport.js')).openBundle(l, { stagingDir: o.stagingDir, signal: o.signal }) };
    },
  },
  {
    takes: (l) => !isUrl(l),
    open: async (l) => {
      const root = resolve(l);
      const st = await stat(root).catch(() => null);
      if (!st?.isDirectory()) {
        throw new UpdateError('not-found', `the repository folder ${root} does not exist`, {
          hint: 'Check --repo (or the repository recorded at init); a repository is made by `wso2update publish --repo DIR ...`.',
        });
      }
      return { kind: 'folder', transport: new FolderTransport(root) };
    },
  },
];

async function openKind(location: string, options: RepositoryOptions): Promise<Opened> {
  const t = TRANSPORTS.find((x) => x.takes(location));
  if (!t) {
    throw new UpdateError('usage', `unsupported repository location: ${location}`, {
      hint: 'Give a repository folder (a local path or a mounted share).',
    });
  }
  return t.open(location, options);
}

/** The bytes of a location, unverified: for pinning a root, mirroring, bundling and the tool's release check. */
export async function openTransport(location: string, options: RepositoryOptions = {}): Promise<Transport> {
  return (await openKind(location, options)).transport;
}

/**
 * A signed channel's trust, refreshed from the transport. A bundle's metadata is judged at the time the bundle was
 * made when the run accepts expired bundles (the roles accepted so are returned as warnings), and its expiry
 * refusal says what the operator may decide.
 */
async function refreshed(opened: Opened, trustDir: string, options: RepositoryOptions): Promise<{ trusted: TrustedTargets; warnings: Diagnostic[] }> {
  const { refreshTrust } = await import('./trust/client.js');
  const { transport } = opened;
  if (opened.kind !== 'bundle') {
    if (options.acceptExpiredBundle) {
      throw new UpdateError('usage', '--accept-expired applies to offline bundles only', { hint: 'A channel must serve unexpired metadata: ask its publisher to refresh the timestamp (publish --refresh-timestamp).' });
    }
    return { trusted: await refreshTrust(transport, trustDir, options.signal), warnings: [] };
  }
  const expiry = await import('./bundle/expiry.js');
  const now = new Date();
  const referenceTime = options.acceptExpiredBundle ? await expiry.bundleReferenceTime(opened.transport, now) : undefined;
  const trusted = await refreshTrust(transport, trustDir, options.signal, { referenceTime }).catch((err: unknown) => {
    throw expiry.bundleExpiryRefusal(err, transport.location, referenceTime !== undefined);
  });
  return { trusted, warnings: referenceTime ? expiry.acceptedExpiries(trusted.expiries(), referenceTime, now) : [] };
}

/**
 * The levels a bundle holds, read from its bundle.json when first asked. A bundle's index is the channel's, but
 * the bundle holds only its own levels (bundle.json is unsigned, and it can only narrow what the signed index
 * lists). A hotfix archive is read like a bundle but has no bundle.json: its index is narrowed already.
 */
function heldLevels(opened: Opened): VerifyingOptions['heldLevels'] {
  if (opened.kind !== 'bundle' || !opened.transport.has(BUNDLE_INFO)) return undefined;
  const t = opened.transport;
  let held: Promise<ReadonlySet<number>> | null = null;
  return () => (held ??= readBundleInfo(t).then((info) => new Set(info.levels)));
}

/** Opens and checks a repository: a missing or invalid index, or trust that does not verify, fails here, at open. */
export async function openRepository(location: string, options: RepositoryOptions = {}): Promise<Repository> {
  const opened = await openKind(location, options);
  let trust: { trusted?: TrustedTargets; warnings: Diagnostic[] } = { warnings: [] };
  if (options.trustDir !== undefined) {
    try {
      trust = await refreshed(opened, options.trustDir, options);
    } catch (err) {
      await opened.transport.close?.();
      throw err;
    }
  }
  const repo = new VerifiedRepository(opened.transport, { ...options, heldLevels: heldLevels(opened) }, trust.trusted);
  repo.warnings.push(...trust.warnings);
  try {
    await repo.index();
  } catch (err) {
    await repo.close();
    throw err;
  }
  return repo;
}

/** How a command's run opens its pack's repository. */
export interface PackRun {
  /** The repository to read (--repo, a bundle, a plan's); default: the one recorded at init. */
  repo?: string;
  /** Keep the blobs read in the pack's cache for apply (planning, apply); off for WSO2's --dry-run and `check`. */
  cache: boolean;
  signal?: AbortSignal;
  acceptExpiredBundle?: boolean;
}

/**
 * The pack's repository as this run reads it: verified against the pack's pinned root (or, for a pack adopted with
 * --allow-unsigned, not), a compressed bundle decompressed under the pack's own folder, blobs kept in its cache.
 */
export async function openPackRepository(pack: Pack, state: PackState, run: PackRun): Promise<Repository> {
  return openRepository(run.repo ?? state.repository, {
    ...packTrust(pack, state),
    stagingDir: pack.paths.own,
    ...(run.cache ? { cache: pack.paths.cache } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
    ...(run.acceptExpiredBundle ? { acceptExpiredBundle: true } : {}),
  });
}
