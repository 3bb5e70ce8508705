// Adoption (`init`) as a use case: reads the pack's identity and level, pins the channel's trust, fetches that
// level's manifest, hashes the pack once to report what is already customized, and records the state (lineage,
// serial 0) with the base manifest copy and WSO2's "update-level", so that plans can be bound to this very pack.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { digestOf } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { Manifest, PackState } from '../core/model.js';
import { verifyAgainst, type VerifyReport } from '../core/pack-compare.js';
import { assertPending } from '../io/pending-run.js';
import type { Pack } from '../io/pack.js';
import { openRepository } from '../channel/open.js';
import { isAdopted, readProduct, readUpdateLevel, setUpdateLevel, writeBaseManifest, writeState } from '../io/state.js';
import { scanTree } from '../io/tree.js';
import { trustedVersions } from '../channel/trust/store.js';
import { pinTrust, unpin, type PinRequest } from '../channel/trust/pin.js';
import { modesAsSeen } from '../io/platform.js';

export interface AdoptInput {
  pack: Pack;
  /** The repository location, resolved by the caller (a folder path is absolute); required. */
  repo: string | undefined;
  /** The level given (--level); else config.json's "update-level", else 0. */
  level?: number;
  keepGenerations: number;
  trust: PinRequest;
  /** The pack's lineage id: made by the caller (ids come in as arguments). */
  lineage: string;
}

export interface Adopted {
  state: PackState;
  report: VerifyReport;
  /** The pinned TUF metadata versions (null: unsigned channel accepted). */
  trust: Awaited<ReturnType<typeof trustedVersions>> | null;
}

export async function adopt(input: AdoptInput): Promise<Adopted> {
  const { pack } = input;
  const { home } = pack;
  if (!existsSync(home)) throw new UpdateError('not-found', `product home ${home} does not exist`, { hint: 'Pass --home <product-home>.' });
  const product = await readProduct(pack);
  await assertPending(pack);
  if (isAdopted(pack)) {
    throw new UpdateError('usage', `${home} is already adopted by wso2update`, {
      hint: 'Run `wso2update status` to see its state; init runs once per pack.',
    });
  }
  if (!input.repo) throw new UpdateError('usage', 'init needs --repo <url|dir|bundle.tar>: the repository (update channel) of this product, or an offline bundle of it');
  const level = input.level ?? (await readUpdateLevel(pack)) ?? 0;
  // A failed init leaves nothing: no trust, no state, and not the folder it made for them (a bundle's staging too).
  const made = !existsSync(pack.paths.own);
  let location: string;
  let manifest: Manifest;
  let digest: string;
  let trust: string | null = null;
  try {
    await mkdir(pack.paths.own, { recursive: true });
    trust = await pinTrust(pack, input.repo, input.trust);
    const repo = await openRepository(input.repo, { stagingDir: pack.paths.own, ...(trust === null ? {} : { trustDir: trust }) });
    try {
      location = repo.location;
      ({ manifest, digest } = await repo.manifest(product, level));
      if (digest !== digestOf(manifest)) throw new UpdateError('verification', `manifest of ${product} level ${level} does not match its digest`);
    } finally {
      await repo.close?.();
    }
  } catch (err) {
    await unpin(pack);
    if (made) await rm(pack.paths.own, { recursive: true, force: true });
    throw err;
  }
  const report = verifyAgainst(modesAsSeen(manifest), await scanTree(home));
  const state: PackState = {
    formatVersion: 1, product, level, repository: location, lineage: input.lineage, serial: 0, manifestDigest: digest,
    generations: [], keepGenerations: input.keepGenerations, ...(input.trust.allowUnsigned ? { allowUnsigned: true } : {}),
  };
  await mkdir(pack.paths.own, { recursive: true });
  // The manifest copy first: a state file must never name a manifest that is not there.
  await writeBaseManifest(pack, manifest);
  await writeState(pack, state);
  await setUpdateLevel(pack, level, product);
  return { state, report, trust: trust === null ? null : await trustedVersions(trust) };
}
