// Self-update of the single executable (exit 2): the channel a pack is adopted to is asked (through the pack's TUF
// trust) for a newer signed release for this platform; its code bundle (or, when the runtime changed, its
// executable) is downloaded beside the running file, verified, swapped in (swap.ts), and checked by running its own
// `--version`; a release that fails that check is rolled back. What it needs of the process (the launcher's record,
// the platform, running a program) comes in as a SelfUpdateHost from cli/self-update.ts: only cli/ touches process.
import { dirname } from 'node:path';
import { runtimeId } from '../core/code-bundle.js';
import { UpdateError } from '../core/errors.js';
import type { ToolUpdate } from '../core/tool-release.js';
import { TOOL_VERSION } from '../core/version.js';
import { isChannel } from '../channel/open.js';
import { hasPinnedRoot } from '../channel/trust/store.js';
import { isAdopted, readState } from '../io/state.js';
import type { LauncherInfo } from './launcher.js';
import { assertWritableDir, clearStaleDownloads, dropPrevious, rollBack, swapIn, type SwapPoint } from './swap.js';
import { openPack, packPaths } from '../io/pack.js';

/**
 * Commands before which the tool updates itself: those that move a pack forward. Repairs (`revert`, `recover`) and
 * read-only commands (`status`) run as they are, so that they never depend on the channel: down, expired, or
 * serving a damaged tool release, it must not stand between an operator and an undo (issue 17).
 */
export const SELF_UPDATING: ReadonlySet<string> = new Set(['plan', 'apply', 'check', 'self-update']);

/**
 * How long the check before plan, apply or check may wait for the channel to answer. An unreachable channel is
 * then a warning, not 5 retries and 6-9 s: the command goes on (and meets the channel itself if it needs it).
 * `self-update` asked for by name waits as any download does.
 */
export const SELF_UPDATE_PROBE_MS = 1000;

/** How a program run ended: what `--version` printed, or why it did not start. */
export interface ProgramRun { status: number | null; signal: string | null; stdout: string; error?: Error }

/** What self-update needs of the running process, handed in by cli/. */
export interface SelfUpdateHost {
  /** The SEA launcher's record of itself; null under plain `node` (a checkout). */
  launcher: LauncherInfo | null;
  /** `<process.platform>-<process.arch>`, as releases name their files. */
  platform: string;
  /** Runs `exe --version` with self-update off (the new release must not update itself while being checked). */
  runVersion: (exe: string) => ProgramRun;
  /** TEST ONLY: stops the swap at a point (cli/self-update.ts reads the variables that ask for it). */
  pause?: (p: SwapPoint) => Promise<void>;
}

export interface SelfUpdated { from: string; to: string; kind: ToolUpdate['kind']; bytes: number; file: string }

/** Anything but "wso2update <to>" from the swapped-in release's own `--version` fails it: the reason, else null. */
export function versionCheckFailure(exe: string, to: string, r: ProgramRun): string | null {
  const out = r.stdout.trim();
  if (r.status === 0 && out === `wso2update ${to}`) return null;
  return `\`${exe} --version\` ${r.error ? `failed to start (${r.error.message})` : `exited ${r.status ?? r.signal} printing ${JSON.stringify(out.slice(0, 80))}`}`;
}

/**
 * The channel `home` updates the tool from, or why there is none: checked before the channel is asked, so that a
 * pack without a signed channel costs nothing. `self-update` asked for by name turns the reason into a usage error.
 */
async function channelOf(host: SelfUpdateHost, home: string): Promise<{ repository: string; info: LauncherInfo } | string> {
  const info = host.launcher;
  if (!info) return 'only the single executable (wso2update_linux, ...) updates itself; this is `node bin/wso2update.js`, a checkout (update it with git or npm)';
  if (!isAdopted(openPack(home))) return `${home} is not adopted (no updates/wso2update/state.json): there is no channel to update from`;
  const { repository } = await readState(openPack(home));
  if (!hasPinnedRoot(packPaths(home).trust)) return 'the pack was adopted with --allow-unsigned; the tool updates itself only from a signed channel';
  if (!isChannel(repository)) return `the pack's repository ${repository} is an offline bundle or a folder that is not there, not a channel that offers tool releases (\`init --reconfigure --repo URL|DIR\` records another)`;
  return { repository, info };
}

/**
 * Updates the executable (or its code bundle) when the pack's channel has a newer signed release. Returns null when
 * there is nothing to do: not the SEA executable, not an adopted pack on a signed channel, or already the newest.
 */
export async function selfUpdate(host: SelfUpdateHost, home: string, explicit: boolean): Promise<SelfUpdated | null> {
  const found = await channelOf(host, home);
  if (typeof found === 'string') {
    if (explicit) throw new UpdateError('usage', `self-update: ${found}`, { hint: 'Nothing was changed.' });
    return null;
  }
  const { repository, info } = found;
  const { openToolChannel } = await import('./release-check.js');
  const running = { version: TOOL_VERSION, runtime: runtimeId(info.node, info.abi), platform: host.platform };
  const probe = explicit ? undefined : AbortSignal.timeout(SELF_UPDATE_PROBE_MS);
  const channel = await openToolChannel(repository, packPaths(home).trust, running, probe).catch((err: unknown) => {
    if (!probe?.aborted) throw err;
    throw new UpdateError('network', `${repository} did not answer within ${SELF_UPDATE_PROBE_MS / 1000} s`, { cause: err });
  });
  try {
    const u = channel.update;
    if (u === null) return null;
    const target = u.kind === 'code' ? info.codeFile : info.exe;
    await assertWritableDir(dirname(target), `wso2update to ${u.release.version}`);
    await clearStaleDownloads(target);
    const staged = await channel.download(target);
    await swapIn(target, staged, { aside: host.platform.startsWith('win32-') && u.kind === 'executable', pause: host.pause });
    const failed = versionCheckFailure(info.exe, u.release.version, host.runVersion(info.exe));
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
export async function dropPreviousFiles(info: LauncherInfo): Promise<void> {
  await dropPrevious(info.exe).catch(() => false);
  await dropPrevious(info.codeFile).catch(() => false);
}
