// Self-update of the single executable (exit 2): before a command on an adopted pack, the channel the pack is
// adopted to is asked (through the pack's TUF trust) for a newer signed release for this platform; its code bundle
// (or, when the runtime changed, its executable) is downloaded beside the running file, verified, swapped in
// (selfupdate/swap.ts), and checked by running `--version`; a release that fails that check is rolled back.
// Only the SEA executable updates itself: `node bin/wso2update.js` is a checkout, updated by git or npm.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { runtimeId } from '../core/code-bundle.js';
import { EXIT, UpdateError } from '../core/errors.js';
import type { ToolUpdate } from '../core/tool-release.js';
import { TOOL_VERSION } from '../core/version.js';
import { assertWritableDir, clearStaleDownloads, dropPrevious, rollBack, SWAP_POINTS, swapIn, type SwapPoint } from '../selfupdate/swap.js';
import { isChannel } from '../channel/open.js';
import { isAdopted, readState, resolveHome } from '../io/state.js';
import { hasPinnedRoot } from '../channel/trust/store.js';
import type { CliContext, RawOptions } from './context.js';
import type { LauncherInfo } from '../selfupdate/launcher.js';
import { pauseAtMarker } from './test-pause.js';
import { openPack, packPaths } from '../io/pack.js';

/**
 * Commands before which the tool updates itself: those that move a pack forward. Repairs (`revert`, `recover`) and
 * read-only commands (`status`) run as they are, so that they never depend on the channel: down, expired, or
 * serving a damaged tool release, it must not stand between an operator and an undo (issue 17).
 */
export const SELF_UPDATING = new Set(['plan', 'apply', 'check', 'self-update']);

/**
 * How long the check before plan, apply or check may wait for the channel to answer. An unreachable channel is
 * then a warning, not 5 retries and 6-9 s: the command goes on (and meets the channel itself if it needs it).
 * `self-update` asked for by name waits as any download does.
 */
export const SELF_UPDATE_PROBE_MS = 1000;

const LAUNCHER_KEY = Symbol.for('wso2update.launcher');
/** What the SEA launcher says of itself; null under plain `node` (a checkout). */
export const launcherInfo = (): LauncherInfo | null => ((globalThis as Record<symbol, unknown>)[LAUNCHER_KEY] as LauncherInfo | undefined) ?? null;

export const selfUpdateOff = (ctx: CliContext, opts: RawOptions): boolean => opts.selfUpdate === false || ctx.env.WSO2UPDATE_NO_SELF_UPDATE === '1';

export interface SelfUpdated { from: string; to: string; kind: ToolUpdate['kind']; bytes: number; file: string }

/** TEST ONLY: WSO2UPDATE_TEST_PAUSE_AT_SWAP=<point> with WSO2UPDATE_TEST_PAUSE_MARKER stops the swap there. */
function swapPause(ctx: CliContext): ((p: SwapPoint) => Promise<void>) | undefined {
  const at = ctx.env.WSO2UPDATE_TEST_PAUSE_AT_SWAP as SwapPoint | undefined;
  const marker = ctx.env.WSO2UPDATE_TEST_PAUSE_MARKER;
  if (!at || !marker || !SWAP_POINTS.includes(at)) return undefined;
  return async (p) => { if (p === at) await pauseAtMarker(marker, p); };
}

/** Runs the swapped-in release's own `--version`; anything but "wso2update <to>" fails it. */
function versionCheck(ctx: CliContext, exe: string, to: string): string | null {
  const r = spawnSync(exe, ['--version'], { env: { ...ctx.env, WSO2UPDATE_NO_SELF_UPDATE: '1' }, encoding: 'utf8', timeout: 60_000 });
  const out = (r.stdout ?? '').trim();
  if (r.status === 0 && out === `wso2update ${to}`) return null;
  return `\`${exe} --version\` ${r.error ? `failed to start (${r.error.message})` : `exited ${r.status ?? r.signal} printing ${JSON.stringify(out.slice(0, 80))}`}`;
}

/**
 * Updates the executable (or its code bundle) when the pack's channel has a newer signed release. Returns null when
 * there is nothing to do: not the SEA executable, not an adopted pack on a signed channel, or already the newest.
 */
export async function selfUpdate(ctx: CliContext, opts: RawOptions, explicit: boolean): Promise<SelfUpdated | null> {
  const info = launcherInfo();
  const skip = (why: string): null => {
    if (explicit) throw new UpdateError('usage', `self-update: ${why}`, { hint: 'Nothing was changed.' });
    return null;
  };
  if (!info) return skip('only the single executable (wso2update_linux, ...) updates itself; this is `node bin/wso2update.js`, a checkout (update it with git or npm)');
  const home = resolveHome(ctx.cwd, opts.home);
  if (!isAdopted(openPack(home))) return skip(`${home} is not adopted (no updates/wso2update/state.json): there is no channel to update from`);
  const state = await readState(openPack(home));
  if (!hasPinnedRoot(packPaths(home).trust)) return skip('the pack was adopted with --allow-unsigned; the tool updates itself only from a signed channel');
  if (!isChannel(state.repository)) return skip(`the pack's repository ${state.repository} is an offline bundle or a folder that is not there, not a channel that offers tool releases (\`init --reconfigure --repo URL|DIR\` records another)`);
  const { openToolChannel } = await import('../selfupdate/release-check.js');
  const running = { version: TOOL_VERSION, runtime: runtimeId(info.node, info.abi), platform: `${process.platform}-${process.arch}` };
  const probe = explicit ? undefined : AbortSignal.timeout(SELF_UPDATE_PROBE_MS);
  const channel = await openToolChannel(state.repository, packPaths(home).trust, running, probe).catch((err: unknown) => {
    if (!probe?.aborted) throw err;
    throw new UpdateError('network', `${state.repository} did not answer within ${SELF_UPDATE_PROBE_MS / 1000} s`, { cause: err });
  });
  try {
    const u = channel.update;
    if (u === null) return null;
    const target = u.kind === 'code' ? info.codeFile : info.exe;
    await assertWritableDir(dirname(target), `wso2update to ${u.release.version}`);
    await clearStaleDownloads(target);
    const staged = await channel.download(target);
    await swapIn(target, staged, { aside: process.platform === 'win32' && u.kind === 'executable', pause: swapPause(ctx) });
    const failed = versionCheck(ctx, info.exe, u.release.version);
    if (failed !== null) {
      await rollBack(target);
      throw new UpdateError('verification', `wso2update ${u.release.version} failed its own check after the swap: ${failed}; rolled back to ${TOOL_VERSION}`, {
        hint: 'This wso2update still works. Tell the publisher; until a fixed release, run with --no-self-update.',
      });
    }
    return { from: TOOL_VERSION, to: u.release.version, kind: u.kind, bytes: u.file.size, file: target };
  } finally {
    await channel.close();
  }
}

/** After a successful run of the executable: the files a self-update kept as `.previous` are no longer needed. */
export async function dropPreviousFiles(): Promise<void> {
  const info = launcherInfo();
  if (!info) return;
  await dropPrevious(info.exe).catch(() => false);
  await dropPrevious(info.codeFile).catch(() => false);
}

export const SELF_UPDATED_EXIT = EXIT.selfUpdated;
