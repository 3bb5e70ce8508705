// The signed channel over HTTP through the real CLI (no --allow-unsigned anywhere): the sample repository, signed
// with keys from the real keygen, served on 127.0.0.1 by `wso2update serve` and by nginx. For each: init pinning
// the root (file or sha256), check, plan, apply, revert; `mirror --from URL` makes a copy that is a valid signed
// repository a fresh pack adopts and updates from, and `apply PLAN --repo MIRROR` takes a plan made against the
// server and fetches its blobs from the mirror. Last, a canary password through every command, mirror included,
// searched for in every file the tool could write (pack, working folder, mirror, TMPDIR, HOME) and every output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { snapshot, snapshotDiff } from '../../helpers/pack.js';
import { serveCli, startFaultServer, startNginx, type Nginx, type TestServer } from '../../helpers/servers.js';
import type { SignedFixtures } from '../../helpers/tuf-attacks.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-http-signed-');
const fx = buildFixtures(join(dir, 'fx')) as SignedFixtures;
const rootSha = sha256Hex(readFileSync(fx.root));
let n = 0;
const newHome = () => writeHome(join(dir, `home-${n++}`));
/** The pack as a user sees it (the tool's own folder, log and the changelog an apply writes aside). */
const toolFile = (r: string) => r.startsWith('updates/wso2update') || r.startsWith('updates/logs') || r.startsWith('updates/changelog-');
const packOf = (home: string) => snapshot(home, toolFile);
/** Level 3 of the sample, where the pack should be after an update. */
const level3 = snapshot(writeHome(join(dir, 'level-3'), { level: 3 }), toolFile);
const trustVersion = (home: string, role: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/trust', `${role}.json`), 'utf8')).signed.version as number;
const must = async (args: string[], code = 0, env: Record<string, string> = {}) => {
  const r = await runCli(args, { env });
  assert.is(r.code, code, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  return r;
};
const blobGets = (s: TestServer) => ('accessLog' in s ? (s as Nginx).accessLog() : []).filter((l) => l.startsWith('GET /blobs/'));

const servers: Array<[string, () => Promise<TestServer>, string[]]> = [
  ['serve', () => serveCli(fx.repo), ['--trust-root', fx.root]],
  ['nginx', () => startNginx(fx.repo), ['--trust-root-sha256', rootSha]],
];

for (const [kind, start, pin] of servers) {
  test(`${kind}: init ${pin[0]}, check, plan, apply, revert, all over HTTP and verified with TUF`, async () => {
    const s = await start();
    try {
      const home = newHome();
      const before = packOf(home);
      const unpinned = await runCli(['init', '--home', home, '--repo', s.url]);
      assert.is(unpinned.code, 1, unpinned.stderr);
      assert.match(unpinned.stderr.split('\n')[0], /is a signed repository: pin its root/);
      const init = await must(['init', '--home', home, '--repo', s.url, ...pin, '--json']);
      assert.is(JSON.parse(init.stdout).trust.timestamp.version, trustVersion(home, 'timestamp'));
      const state = JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));
      assert.is(state.repository, s.url);
      assert.not.ok(state.allowUnsigned, 'a pinned pack is not marked unsigned');
      assert.match((await must(['status', '--home', home])).stderr, /trust: signed \(TUF\), root v1 pinned/);
      const check = await must(['check', '--home', home, '--json'], 10);
      assert.is(JSON.parse(check.stdout).latest, 3);
      const plan = join(dir, `plan-${kind}.json`);
      await must(['plan', '--home', home, '--out', plan]);
      assert.is(JSON.parse(readFileSync(plan, 'utf8')).repository, s.url);
      const a = await must(['apply', plan, '--home', home]);
      assert.match(a.stderr, /(?:MB|kB|bytes?), \d+\/\d+ files/);
      assert.equal(snapshotDiff(level3, packOf(home)), [], 'the pack is level 3');
      assert.ok(existsSync(join(home, 'updates/changelog-0000-0003.md')));
      if (kind === 'nginx') assert.ok(blobGets(s).length > 0, 'the blobs came from nginx');
      assert.is(trustVersion(home, 'timestamp'), JSON.parse(readFileSync(join(fx.repo, 'metadata/timestamp.json'), 'utf8')).signed.version);
      await must(['revert', '--home', home, '--yes'], 4);
      assert.equal(snapshotDiff(before, packOf(home)), [], 'revert restored level 0 byte for byte');
    } finally {
      await s.stop();
    }
  });

  test(`${kind}: mirror --from URL: a verified signed copy; a pack adopts it and updates from it; apply PLAN --repo MIRROR`, async () => {
    const s = await start();
    try {
      const to = join(dir, `mirror-${kind}`);
      const m = await must(['mirror', '--from', s.url, '--to', to, ...pin, '--json']);
      const out = JSON.parse(m.stdout);
      assert.is(out.signed, true);
      assert.equal(out.products[fx.product], [0, 1, 2, 3]);
      assert.ok(out.blobsCopied > 0);
      assert.is(readFileSync(join(to, 'metadata/timestamp.json'), 'utf8'), readFileSync(join(fx.repo, 'metadata/timestamp.json'), 'utf8'), 'the signed metadata is copied as published');
      const again = JSON.parse((await must(['mirror', '--from', s.url, '--to', to, ...pin, '--json'])).stdout);
      assert.is(again.blobsCopied, 0, 'a rerun copies nothing that is there');
      // A pack pinned to the same root adopts the copy and updates from it: it is a valid signed repository.
      const home = newHome();
      await must(['init', '--home', home, '--repo', to, '--trust-root', fx.root]);
      await must(['apply', '--home', home, '--yes']);
      assert.equal(snapshotDiff(level3, packOf(home)), [], 'updated from the mirror to level 3');
      // A plan made against the server, applied with its blobs from the mirror (the digest ties both to one content).
      const other = newHome();
      await must(['init', '--home', other, '--repo', s.url, ...pin]);
      const plan = join(dir, `plan-mirror-${kind}.json`);
      await must(['plan', '--home', other, '--out', plan]);
      const served = blobGets(s).length;
      await must(['apply', plan, '--home', other, '--repo', to]);
      assert.equal(snapshotDiff(level3, packOf(other)), []);
      assert.is(blobGets(s).length, served, 'apply --repo MIRROR fetched no blob from the server');
    } finally {
      await s.stop();
    }
  });
}

/** Every file below `root` (binary ones too: a secret could hide anywhere). */
function everyFile(root: string): Array<{ path: string; bytes: Buffer }> {
  if (!existsSync(root)) return [];
  const out: Array<{ path: string; bytes: Buffer }> = [];
  for (const name of readdirSync(root)) {
    const p = join(root, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...everyFile(p));
    else if (st?.isFile()) out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}

test('credentials through every command of the signed channel, mirror included: never in a file or an output', async () => {
  const username = 'canary-user';
  const password = 'CANARY-pw-9d2e41';
  // As sent (Basic), as typed, and in the encodings a careless writer could use.
  const canaries = [password, Buffer.from(`${username}:${password}`).toString('base64'), encodeURIComponent(password), Buffer.from(password).toString('hex')];
  const s = await startFaultServer(fx.repo, { auth: { username, password } });
  const work = tmpDir('wso2update-canary-signed-');
  // The child's temporary folder and home are ours to search: whatever the tool writes outside the pack lands there.
  const tmp = join(work, 'tmp');
  const userHome = join(work, 'user-home');
  mkdirSync(tmp);
  mkdirSync(userHome);
  const home = newHome();
  const outputs: string[] = [];
  const env = { TMPDIR: tmp, HOME: userHome };
  const run = async (args: string[], code: number, extra: Record<string, string> = {}) => {
    const r = await runCli(args, { cwd: work, env: { ...env, ...extra } });
    outputs.push(r.stdout, r.stderr);
    assert.is(r.code, code, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    return r;
  };
  const byEnv = { UPDATE_TOOL_USERNAME: username, UPDATE_TOOL_PASSWORD: password };
  try {
    const plan = join(work, 'plan.json');
    await run(['init', '--home', home, '--repo', s.url, '--trust-root', fx.root], 1);
    await run(['init', '--home', home, '--repo', s.url, '--trust-root', fx.root, '-u', username, '-p', 'wrong-password'], 1);
    await run(['init', '--home', home, '--repo', s.url, '--trust-root', fx.root, '-u', username, '-p', password, '--json'], 0);
    await run(['status', '--home', home, '--json'], 0);
    await run(['check', '--home', home, '--json'], 10, byEnv);
    await run(['plan', '--home', home, '--out', plan, '--json'], 0, byEnv);
    await run(['show', plan, '--json'], 0);
    await run(['show', plan], 0);
    await run(['apply', plan, '--home', home, '--json', '--username', username], 0, { UPDATE_TOOL_PASSWORD: password });
    await run(['status', '--home', home], 0);
    await run(['revert', '--home', home, '--yes', '--json'], 4, byEnv);
    await run(['recover', '--home', home], 0);
    await run(['apply', '--home', home, '--yes', '-u', username, '-p', password], 0);
    await run(['mirror', '--from', s.url, '--to', join(work, 'mirror'), '--trust-root', fx.root, '--json'], 0, byEnv);
    await run(['mirror', '--from', s.url, '--to', join(work, 'mirror-2'), '--trust-root', fx.root, '-u', username, '-p', 'wrong-password'], 1);
    assert.ok(s.seen.filter((r) => r.authorization).length > 10, 'the credentials were sent');
    const files = [home, work].flatMap(everyFile);
    for (const where of ['updates/logs/', 'updates/wso2update/trust/', 'updates/wso2update/state.json', 'mirror/metadata/', 'plan.json']) {
      assert.ok(files.some((f) => f.path.includes(where)), `${where} is among the files searched`);
    }
    for (const c of canaries) {
      for (const f of files) assert.not.ok(f.bytes.includes(c), `${f.path} holds the credentials (${c})`);
      for (const o of outputs) assert.not.ok(o.includes(c), `an output holds the credentials: ${o.slice(0, 300)}`);
    }
  } finally {
    await s.stop();
  }
});

test.run();
