// At a real terminal, as an operator meets the tool (issue 17): `./wso2update_linux` from the pack's bin/ asks
// [y/N] and takes y, n, an empty answer or Ctrl-D; a password is asked and never shown; progress draws; and Ctrl-C,
// sent by the terminal itself (SIGINT to the foreground process group, or a key while a question has the terminal
// in raw mode), stops every phase with exit 130 and the pack exactly as before, up to the point of no return.
// Found: every one of these prompts ended in "A dynamic import callback was not specified. This is a bug" in the
// single executable, which the suite, without a terminal, never ran.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { startPty } from '../../helpers/pty.js';
import { startFaultServer } from '../../helpers/servers.js';
import { CLI_LINE, installCli, runCli, tmpDir } from '../../helpers/tmp.js';

const full = (home: string) => snapshot(home, (r) => r.startsWith('updates/logs') || r === 'updates/wso2update/generations');
const levelOf = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level as number;
const leftovers = (home: string) => ['journal.json', 'staging', 'lock'].filter((n) => existsSync(join(home, 'updates/wso2update', n)));

/** A pack with the tool installed under WSO2's name in its bin/, as operators run it. */
async function packWithTool(): Promise<Fixture & { bin: string }> {
  const f = await makeFixture();
  const bin = join(f.home, 'bin');
  installCli(join(bin, 'wso2update_linux'));
  return { ...f, bin };
}

test('the WSO2 no-command invocation asks [y/N]: y applies; n, an empty answer and Ctrl-D apply nothing', async () => {
  const cases: [string, (t: ReturnType<typeof startPty>) => void, boolean][] = [
    ['y', (t) => t.type('y\n'), true],
    ['yes', (t) => t.type('YES\n'), true],
    ['n', (t) => t.type('n\n'), false],
    ['empty', (t) => t.type('\n'), false],
    ['another word', (t) => t.type('sure\n'), false],
    ['Ctrl-D (the input ends)', (t) => t.ctrlD(), false],
  ];
  for (const [name, answer, applies] of cases) {
    const f = await packWithTool();
    const before = full(f.home);
    const t = startPty('./wso2update_linux', { cwd: f.bin });
    await t.waitFor(/Apply this plan: level 0 -> 2, \d+ files\? \[y\/N\] $/);
    answer(t);
    const r = await t.done;
    assert.is(r.code, 0, `${name}: ${r.output}`);
    assert.not.match(r.output, /This is a bug|dynamic import/, name);
    assert.equal(leftovers(f.home), [], name);
    if (applies) {
      assert.is(levelOf(f.home), 2, `${name}: ${r.output}`);
      assert.match(r.output, /Applied/, name);
    } else {
      assert.match(r.output, /Nothing applied\./, name);
      const now = full(f.home);
      now.delete('updates/wso2update/wso2update.plan.json');
      before.delete('updates/wso2update/wso2update.plan.json');
      assert.equal(snapshotDiff(before, now), [], `${name}: the pack changed`);
    }
  }
});

test('Ctrl-C at the question (readline has the terminal in raw mode: a key, not a signal): exit 130, nothing changed', async () => {
  for (const args of [['./wso2update_linux'], ['./wso2update_linux', '--revert']]) {
    const f = await packWithTool();
    if (args.includes('--revert')) assert.is((await runCli(['apply', '--home', f.home, '--yes'])).code, 0);
    const before = full(f.home);
    const t = startPty(args.join(' '), { cwd: f.bin });
    await t.waitFor(/\[y\/N\] $/);
    t.ctrlC();
    const r = await t.done;
    assert.is(r.code, 130, r.output);
    assert.match(r.output, /interrupted at the question: nothing was changed/);
    assert.not.match(r.output, /This is a bug/);
    assert.equal(leftovers(f.home), []);
    assert.equal(snapshotDiff(before, full(f.home)).filter((p) => !p.endsWith('wso2update.plan.json')), [], args.join(' '));
  }
});

test('the password prompt: asked on the terminal, never echoed, and it works', async () => {
  const password = 'S3cret-typed-here';
  const f = await makeFixture();
  const server = await startFaultServer(f.repo, { auth: { username: 'ops', password } });
  try {
    const t = startPty(`${CLI_LINE} check --home ${f.home} --repo ${server.url} -u ops`, { cwd: f.home });
    await t.waitFor(/Password for ops: $/);
    const shown = t.output().length;
    t.type(`${password}\n`);
    const r = await t.done;
    assert.is(r.code, 10, r.output);
    assert.not.match(r.output, password);
    assert.not.match(r.output.slice(shown), /\*{3,}/, 'not even as stars');
    assert.ok(server.seen.some((s) => s.authorization?.startsWith('Basic ')), 'the typed password was sent');
  } finally {
    await server.stop();
  }
});

test('progress draws at a terminal: the phases, the steps, the bytes, then the report', async () => {
  const f = await packWithTool();
  const t = startPty('./wso2update_linux --yes', { cwd: f.bin });
  const r = await t.done;
  assert.is(r.code, 0, r.output);
  // listr2's task list (each task's title as it changes, with the bytes and files staged), then the report.
  for (const line of [/Check the plan against the pack/, /Stage new files \(.*\d+\/\d+ files\)/, /Swap files into place/, /✔ Commit/, /Applied/]) assert.match(r.output, line);
});

/** apply PLAN at a terminal, paused at a test point; Ctrl-C typed there, the pause ended once the tool heard it. */
async function ctrlCAt(point: string): Promise<{ code: number | null; output: string; home: string; before: Map<string, string> }> {
  const f = await makeFixture(undefined, { 'repository/conf/deployment.toml': '[server]\nhostname = "myhost"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n' });
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const before = full(f.home);
  const marker = join(tmpDir(), 'paused');
  const t = startPty(`${CLI_LINE} apply ${plan} --home ${f.home}`, { cwd: f.home, env: { WSO2UPDATE_TEST_PAUSE_AT_STEP: point, WSO2UPDATE_TEST_PAUSE_MARKER: marker } });
  while (!existsSync(marker) && t.output() !== null) {
    if (await Promise.race([t.done.then(() => true), new Promise((r) => setTimeout(() => r(false), 10))])) break;
  }
  if (existsSync(marker)) {
    t.ctrlC();
    try {
      await t.waitFor(/Interrupted: /, { timeoutMs: 20_000 });
    } finally {
      rmSync(marker, { force: true }); // never leave the child paused
    }
  }
  return { ...(await t.done), home: f.home, before };
}

test('Ctrl-C at the terminal in staging and during the swap: rolled back, exit 130; at the commit point: finished, and said so', async () => {
  for (const point of ['staging', '1', '5']) {
    const r = await ctrlCAt(point);
    assert.is(r.code, 130, `${point}: ${r.output}`);
    assert.match(r.output, /rolled back/, point);
    assert.not.match(r.output, /Applied|This is a bug/, point);
    assert.equal(leftovers(r.home), [], point);
    assert.equal(snapshotDiff(r.before, full(r.home)), [], `Ctrl-C at ${point}: the pack changed`);
  }
  // The last pause point is between the final check and the journal's unlink: past the point of no return.
  let r = await ctrlCAt('12');
  for (let point = 13; r.code === 130 && point < 100; point++) r = await ctrlCAt(String(point));
  assert.is(r.code, 0, r.output);
  assert.match(r.output, /point of no return/);
  assert.is(levelOf(r.home), 1);
  assert.equal(leftovers(r.home), []);
});

test('Ctrl-C while planning and while a download stalls: exit 130, nothing changed, nothing left', async () => {
  // Planning: the channel's manifests never come. No handler is installed yet: the signal ends the process.
  for (const [what, match, args] of [
    ['planning', /manifest|metadata|index/, (h: string, url: string) => `${CLI_LINE} plan --home ${h} --repo ${url} --out ${join(tmpDir(), 'p.json')}`],
    ['downloading', /\/blobs\//, (h: string, url: string) => `${CLI_LINE} apply --home ${h} --repo ${url} --yes`],
  ] as const) {
    const f = await makeFixture();
    const server = await startFaultServer(f.repo, { match, stall: true });
    try {
      const before = full(f.home);
      const t = startPty(args(f.home, server.url), { cwd: f.home });
      for (let i = 0; i < 400 && !server.seen.some((s) => match.test(s.url)); i++) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 100));
      t.ctrlC();
      const r = await t.done;
      assert.is(r.code, 130, `${what}: ${r.output}`);
      assert.not.match(r.output, /This is a bug|operation was aborted/, what);
      assert.equal(leftovers(f.home), [], what);
      assert.equal(snapshotDiff(before, full(f.home)), [], `${what}: the pack changed`);
    } finally {
      await server.stop();
    }
  }
});

test.run();
