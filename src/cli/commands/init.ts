// `init`: adopt a pack. Reads its identity and level, fetches that level's manifest, hashes the pack once to
// report what is already customized, and records lineage + serial 0 so plans can be bound to this very pack.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { digestOf } from '../../core/canonical.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import type { Manifest, PackState } from '../../core/model.js';
import { verifyAgainst } from '../../core/verify.js';
import { openRepository } from '../../io/repository.js';
import { isAdopted, stateDir, readProduct, readUpdateLevel, resolveHome, setUpdateLevel, writeBaseManifest, writeState } from '../../io/state.js';
import { assertPending } from '../../io/journal.js';
import { scanTree } from '../../io/tree.js';
import { writeInit, writeJson } from '../../ui/status.js';
import type { CommandRun } from '../context.js';
import { optLevel, optRepo, optSha256, optString } from '../options.js';
import { pinTrust, unpin } from '../../io/trust/pin.js';
import { trustedVersions } from '../../io/trust/local.js';

/** How many generations revert can reach (each holds only what one apply replaced); 3 unless said. */
function optKeep(opts: Record<string, unknown>): number {
  const raw = opts.keepGenerations;
  if (raw === undefined) return 3;
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new UpdateError('usage', `--keep-generations must be a whole number from 1 to 100, got ${JSON.stringify(raw)}`);
  }
  return n;
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const home = resolveHome(ctx.cwd, opts.home);
  if (!existsSync(home)) throw new UpdateError('not-found', `product home ${home} does not exist`, { hint: 'Pass --home <product-home>.' });
  const product = await readProduct(home);
  await assertPending(home);
  if (isAdopted(home)) {
    throw new UpdateError('usage', `${home} is already adopted by wso2update`, {
      hint: 'Run `wso2update status` to see its state; init runs once per pack.',
    });
  }
  const repoLocation = optRepo(opts, ctx.cwd);
  if (!repoLocation) throw new UpdateError('usage', 'init needs --repo <url|dir>: the repository (update channel) of this product');
  const level = optLevel(opts, 'level', 'level', product) ?? (await readUpdateLevel(home)) ?? 0;
  const allowUnsigned = Boolean(opts.allowUnsigned);
  const trust = await pinTrust(home, repoLocation, {
    rootFile: optString(opts, 'trustRoot', 'trust-root'), rootSha256: optSha256(opts, 'trustRootSha256', 'trust-root-sha256'), allowUnsigned,
  });
  let repo: Awaited<ReturnType<typeof openRepository>>;
  let manifest: Manifest;
  let digest: string;
  try {
    repo = await openRepository(repoLocation, trust === null ? {} : { trustDir: trust });
    ({ manifest, digest } = await repo.manifest(product, level));
    if (digest !== digestOf(manifest)) throw new UpdateError('verification', `manifest of ${product} level ${level} does not match its digest`);
    await repo.settle?.();
  } catch (err) {
    await unpin(home); // a failed init leaves no trust behind, as it leaves no state
    throw err;
  }

  const installed = await scanTree(home);
  const report = verifyAgainst(manifest, installed);
  const state: PackState = {
    formatVersion: 1,
    product,
    level,
    repository: repo.location,
    lineage: randomUUID(),
    serial: 0,
    manifestDigest: digest,
    generations: [],
    keepGenerations: optKeep(opts),
    ...(allowUnsigned ? { allowUnsigned: true } : {}),
  };
  await mkdir(stateDir(home), { recursive: true });
  // The manifest copy first: a state file must never name a manifest that is not there.
  await writeBaseManifest(home, manifest);
  await writeState(home, state);
  await setUpdateLevel(home, level, product);
  const versions = trust === null ? null : await trustedVersions(trust);
  if (opts.json) writeJson(ctx.stdout, { home, ...state, trust: versions, report });
  writeInit(ctx.stderr, { prog: ctx.prog, home }, state, report, versions);
  return EXIT.ok;
};
