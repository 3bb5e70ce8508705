// The shell's side of self-update (the logic is selfupdate/update.ts): what the running process is (the SEA
// launcher's record, the platform, how to run the swapped-in release's `--version`), handed to selfupdate/ as a
// SelfUpdateHost, and main()'s two hooks: update before a command that moves a pack forward, and drop the kept
// `.previous` files after a successful run. Imports of selfupdate/ are lazy: `--version` and `--help` stay instant.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { existsSync, realpathSync } from 'node:fs';
import { EXIT, exitCodeOf, UpdateError } from '../core/errors.js';
import { openPack } from '../io/pack.js';
import { resolveHome } from '../io/state.js';
import type { LauncherInfo } from '../selfupdate/launcher.js';
import type { SelfUpdated, SelfUpdateHost } from '../selfupdate/update.js';
import { SWAP_POINTS, type SwapPoint } from '../selfupdate/swap.js';
import { selfUpdatedLine, selfUpdateSkippedLine } from '../ui/self-update.js';
import type { CliContext, RawOptions } from './context.js';
import { pauseAtMarker } from './test-pause.js';
import type { RunFacts } from './audit-trail.js';

// selfupdate/launcher.ts sets it; importing that module would run the launcher, so its key is spelt here too.
const LAUNCHER_KEY = Symbol.for('wso2update.launcher');
/** What the SEA launcher says of itself; null under plain `node` (a checkout). */
export const launcherInfo = (): LauncherInfo | null => ((globalThis as Record<symbol, unknown>)[LAUNCHER_KEY] as LauncherInfo | undefined) ?? null;

/** `<platform>-<arch>` of this process, as releases and EXECUTABLE_NAMES name them. */
export const platformId = (): string => `${process.platform}-${process.arch}`;

/** A checkout runs as `node <root>/bin/wso2update.js`: the folder `npm run dist` builds its executables into. */
export const checkoutRelease = (): string => join(dirname(dirname(realpathSync(process.argv[1] ?? '.'))), 'dist', 'release');

const selfUpdateOff = (ctx: CliContext, opts: RawOptions): boolean => opts.selfUpdate === false || ctx.env.WSO2UPDATE_NO_SELF_UPDATE === '1';

/** TEST ONLY: WSO2UPDATE_TEST_PAUSE_AT_SWAP=<point> with WSO2UPDATE_TEST_PAUSE_MARKER stops the swap there. */
function swapPause(ctx: CliContext): ((p: SwapPoint) => Promise<void>) | undefined {
  const at = ctx.env.WSO2UPDATE_TEST_PAUSE_AT_SWAP as SwapPoint | undefined;
  const marker = ctx.env.WSO2UPDATE_TEST_PAUSE_MARKER;
  if (!at || !marker || !SWAP_POINTS.includes(at)) return undefined;
  return async (p) => { if (p === at) await pauseAtMarker(marker, p); };
}

function host(ctx: CliContext): SelfUpdateHost {
  return {
    launcher: launcherInfo(),
    platform: platformId(),
    runVersion: (exe) => {
      const r = spawnSync(exe, ['--version'], { env: { ...ctx.env, WSO2UPDATE_NO_SELF_UPDATE: '1' }, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', error: r.error };
    },
    pause: swapPause(ctx),
  };
}

/**
 * A self-update changes the pack's bin/, so on an adopted pack it leaves an audit record as apply does (issue 23):
 * the swap that happened, or the refusal of a release (verification, a failed own check, a bin/ that cannot take it).
 * A channel that did not answer changed nothing and refused nothing: no record.
 */
async function audited(ctx: CliContext, home: string, fn: () => Promise<SelfUpdated | null>): Promise<SelfUpdated | null> {
  const record = async (facts: Pick<RunFacts, 'result' | 'exitCode' | 'filesChanged' | 'detail'>): Promise<void> => {
    if (!existsSync(openPack(home).paths.state)) return;
    // Loaded only when there is something to record, like selfupdate/ itself: every command's start passes here.
    const { recordRun } = await import('./audit-trail.js');
    await recordRun(ctx, home, { command: 'self-update', planDigest: null, approvers: [], fromLevel: null, toLevel: null, ...facts });
  };
  let r: SelfUpdated | null;
  try {
    r = await fn();
  } catch (err) {
    const code = err instanceof UpdateError ? err.code : null;
    if (code !== 'network' && code !== 'not-found' && code !== 'usage') {
      await record({ result: exitCodeOf(err) === EXIT.verification ? 'refused' : 'failed', exitCode: exitCodeOf(err), filesChanged: 0, detail: (err as Error).message });
    }
    throw err;
  }
  if (r !== null) await record({ result: 'applied', exitCode: EXIT.selfUpdated, filesChanged: 1, detail: `wso2update ${r.from} -> ${r.to} (${r.kind}, ${r.bytes} bytes): ${r.file}` });
  return r;
}

/** `self-update` asked for by name: a reason not to is a usage error; null when this already is the newest. */
export async function selfUpdateNow(ctx: CliContext, opts: RawOptions): Promise<SelfUpdated | null> {
  const { selfUpdate } = await import('../selfupdate/update.js');
  const home = resolveHome(ctx.cwd, opts.home);
  return audited(ctx, home, () => selfUpdate(host(ctx), home, true));
}

/**
 * The single executable updates itself before plan, apply and check on an adopted pack; exit 2 when it did. A
 * channel that does not answer within about a second only warns; a release that fails verification, or a bin/ that
 * cannot take it, stops the command. Null: go on with the command.
 */
export async function updateFirst(ctx: CliContext, command: string, opts: RawOptions): Promise<number | null> {
  const { selfUpdate, SELF_UPDATING } = await import('../selfupdate/update.js');
  if (command === 'self-update' || !SELF_UPDATING.has(command) || selfUpdateOff(ctx, opts)) return null;
  try {
    const home = resolveHome(ctx.cwd, opts.home);
    const r = await audited(ctx, home, () => selfUpdate(host(ctx), home, false));
    if (r === null) return null;
    ctx.stderr.write(selfUpdatedLine(r));
    return EXIT.selfUpdated;
  } catch (err) {
    const code = err instanceof UpdateError ? err.code : null;
    if (code !== 'network' && code !== 'not-found') throw err;
    ctx.stderr.write(selfUpdateSkippedLine((err as Error).message));
    return null;
  }
}

/** Exit codes after which the run counts as successful: a self-update's `.previous` files are then dropped. */
const SUCCESS = new Set<number>([EXIT.ok, EXIT.conflicts, EXIT.reverted, EXIT.changes]);

/** After a run of the executable that succeeded, the `.previous` files of an earlier self-update go. */
export async function afterRun(code: number): Promise<void> {
  const info = launcherInfo();
  if (info === null || !SUCCESS.has(code)) return;
  await (await import('../selfupdate/update.js')).dropPreviousFiles(info);
}
