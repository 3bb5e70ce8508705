// How a run leaves (cli/main.ts exitProcess, bin/wso2update.js, selfupdate/launcher.ts): by process.exit once stdout
// and stderr have flushed, with SIGINT, SIGTERM and SIGHUP held from the run's end (a finished run is never reported
// killed). On POSIX a pipe is written asynchronously: what its reader has not taken waits in the process. Attacks on
// that wait: a reader that stops reading (a pager left open, a stopped pipeline stage), a reader that goes away (EPIPE),
// a slow reader that must still get every byte.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { LEVEL0, makeFixture, makeTestPlan } from '../../helpers/pack.js';
import { runCli, spawnCli, tmpDir } from '../../helpers/tmp.js';

let plan = '';

test('setup: a plan of 3,000 changed files, whose review (`show`) is far past a pipe\'s 64 KiB', async () => {
  const files = (tag: string) => Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`repository/components/plugins/plugin-with-a-long-name-${String(i).padStart(5, '0')}.jar`, `${tag}-${i}`]));
  const f = await makeFixture([{ ...LEVEL0, ...files('v0') }, { ...LEVEL0, ...files('v1') }]);
  plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const r = await runCli(['show', plan]);
  assert.is(r.code, 0, r.stderr);
  assert.ok(r.stdout.length > 150_000, `the review is only ${r.stdout.length} bytes`);
});

type Ended = [number | null, NodeJS.Signals | null];
type Child = ReturnType<typeof spawnCli>;

/**
 * `show PLAN [--json]` with stdout a pipe; `reader` gets the child once the first bytes of the review have come (show
 * writes it in one piece, so the run is then over and the rest waits for the reader). Resolves when the process has
 * exited and (`drained`) its output has all been read; or 'still running' once no signal has ended it for 20 s: a
 * liveness bound, not a speed assertion.
 */
async function showWith(args: string[], reader: (child: Child) => void, drained = false): Promise<{ ended: Ended | 'still running'; stderr: string }> {
  const child = spawnCli(['show', plan, ...args], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const ended = new Promise<Ended>((r) => child.on(drained ? 'close' : 'exit', (c, s) => r([c, s])));
  child.stdout!.once('readable', () => reader(child));
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), 20_000)));
  const how = await Promise.race([ended, bound]);
  clearTimeout(timer);
  if (how === 'still running') child.kill('SIGKILL');
  return { ended: how, stderr };
}

// DEFECT found here (0018b86): exitProcess waited for the reader with every signal held by a listener that does
// nothing, so a run whose reader had stopped could be ended by SIGKILL alone (9d0362d: SIGTERM ended it). Fixed in
// cli/main.ts: a signal during that wait ends it (after a moment in which a reader that still reads gets the rest),
// with the run's own exit code (the outcome was decided; only its telling waited).
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  test(`a reader that stops reading: ${signal} still ends the run waiting to flush, with the run's exit code, never "killed"`, async () => {
    // --json: 2 MB, far past what the pipe and the reader's buffer take; nobody reads after the first bytes.
    const r = await showWith(['--json'], (child) => setTimeout(() => child.kill(signal), 1000));
    assert.is.not(r.ended, 'still running', `${signal} to a run waiting on a stalled reader ended nothing (only SIGKILL stops it): ${r.stderr}`);
    assert.equal(r.ended, [0, null], `${signal}: ${r.stderr}`);
    assert.not.match(r.stderr, /bug in wso2update/);
  });
}

test('a reader that goes away (EPIPE) mid-review: the run ends, no "bug", no stack trace', async () => {
  const r = await showWith(['--json'], (child) => child.stdout!.destroy());
  assert.is.not(r.ended, 'still running', r.stderr);
  assert.not.match(r.stderr, /bug in wso2update|\bat .*\.(c?js|ts):\d+/);
});

/** Reads `child`'s stdout in sips, pausing `pauseMs` after each; returns the count of bytes read so far. */
function sipSlowly(child: Child, pauseMs: number): () => number {
  const out = child.stdout!;
  let got = 0;
  let open = true;
  out.on('close', () => (open = false));
  out.on('data', (d: Buffer) => {
    got += d.length;
    out.pause();
    if (open) setTimeout(() => out.resume(), pauseMs);
  });
  return () => got;
}

test('a slow reader gets every byte of the review, and the run\'s exit code', async () => {
  const want = Buffer.byteLength((await runCli(['show', plan])).stdout);
  let got = () => 0;
  // Small sips with pauses: the run has long finished while most of the review still waits for this reader.
  const r = await showWith([], (child) => { got = sipSlowly(child, 20); }, true);
  assert.equal(r.ended, [0, null], r.stderr);
  assert.is(got(), want);
});

test('a signal while a slow reader still takes the review: it gets every byte all the same, and the run\'s exit code', async () => {
  const want = Buffer.byteLength((await runCli(['show', plan, '--json'])).stdout);
  let got = () => 0;
  const r = await showWith(['--json'], (child) => {
    got = sipSlowly(child, 5); // 2 MB in 64 KiB sips: a few tenths of a second
    // By then the run is over (show writes its review at once) and most of the review still waits for this reader.
    setTimeout(() => child.kill('SIGTERM'), 50);
  }, true);
  assert.equal(r.ended, [0, null], r.stderr);
  assert.is(got(), want, 'a signal as the run ended cut the output of a reader that was reading');
});

test.run();
