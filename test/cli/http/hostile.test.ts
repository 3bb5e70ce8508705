// Issue 19, items 11-12: the HTTP client attacked from the network. Basic credentials for a plain-http repository
// never reach a proxy (only https, or this machine directly); a server that drips its answer is cut off by a
// deadline for the whole body, scaled to the size the answer may have (curl's --max-time / --speed-limit). Real
// servers and a real forward proxy on 127.0.0.1, the real CLI; the pack and a sentinel folder snapshotted around
// every refusal.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { snapshot, snapshotDiff } from '../../helpers/pack.js';
import { startFaultServer, startProxy } from '../../helpers/servers.js';
import type { SignedFixtures } from '../../helpers/tuf-attacks.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-hostile-http-');
const fx = buildFixtures(join(dir, 'fx')) as SignedFixtures;
const sentinel = join(dir, 'sentinel');
mkdirSync(sentinel);
writeFileSync(join(sentinel, 'keep.txt'), 'outside the pack\n');
let n = 0;
const newHome = () => writeHome(join(dir, `home-${n++}`));
const username = 'ops';
const password = 'proxy-canary-7f31c2';

/** Runs a command that must be refused; the pack (all of it) and the sentinel must be as they were. */
async function refused(home: string, args: string[], env: Record<string, string>, re: RegExp) {
  const [before, outside] = [snapshot(home, () => false), snapshot(sentinel, () => false)];
  const r = await runCli([...args, '--home', home], { env });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr.split('\n')[0], re);
  assert.not.match(r.stderr, /This is a bug/);
  assert.not.ok(r.stderr.includes(password) || r.stdout.includes(password), 'the password was shown');
  assert.equal(snapshotDiff(before, snapshot(home, () => false)), [], 'the pack changed');
  assert.equal(snapshotDiff(outside, snapshot(sentinel, () => false)), [], 'something outside the pack changed');
  return r;
}

test('11: credentials for a plain-http repository are never sent to a proxy; with no_proxy they go to this machine directly', async () => {
  const server = await startFaultServer(fx.repo, { auth: { username, password } });
  const proxy = await startProxy();
  try {
    const home = newHome();
    const direct = await runCli(['init', '--home', home, '--repo', server.url, '--trust-root', fx.root, '-u', username, '-p', password]);
    assert.is(direct.code, 0, direct.stderr);
    const port = new URL(server.url).port;
    const otherPort = String(Number(port) === 65535 ? 1 : Number(port) + 1);
    // Flags or the environment, either spelling of the proxy, and a no_proxy entry for another port: all through a proxy.
    for (const [args, env] of [
      [['-u', username, '-p', password], { http_proxy: proxy.url }],
      [[], { HTTP_PROXY: proxy.url, UPDATE_TOOL_USERNAME: username, UPDATE_TOOL_PASSWORD: password }],
      [['-u', username, '-p', password], { http_proxy: proxy.url, no_proxy: `127.0.0.1:${otherPort},example.com` }],
    ] as Array<[string[], Record<string, string>]>) {
      const seen = server.seen.length;
      const r = await refused(home, ['check', ...args], env, /credentials are not sent over plain http through the proxy 127\.0\.0\.1:\d+ \(http_proxy\)/);
      assert.match(r.stderr, /Add 127\.0\.0\.1 to no_proxy/);
      assert.equal(proxy.forwarded, [], 'nothing went through the proxy');
      assert.is(server.seen.length, seen, 'nothing was sent at all');
    }
    // Through no_proxy (host, host:port, `*`) they go straight to the server, which sees them; the proxy sees nothing.
    for (const noProxy of ['127.0.0.1', `127.0.0.1:${port}`, '*']) {
      const seen = server.seen.length;
      const ok = await runCli(['check', '--home', home, '-u', username, '-p', password], { env: { http_proxy: proxy.url, no_proxy: noProxy } });
      assert.is(ok.code, 10, ok.stderr);
      assert.ok(server.seen.slice(seen).length > 0 && server.seen.slice(seen).every((s) => s.authorization !== undefined), noProxy);
    }
    assert.equal(proxy.forwarded, []);
    // Without credentials a plain-http repository still goes through the proxy, as configured.
    const open = await startFaultServer(fx.repo);
    try {
      const h2 = newHome();
      const r = await runCli(['init', '--home', h2, '--repo', open.url, '--trust-root', fx.root], { env: { http_proxy: proxy.url } });
      assert.is(r.code, 0, r.stderr);
      assert.ok(proxy.forwarded.length > 0 && proxy.forwarded.every((u) => !u.includes(password)));
    } finally {
      await open.stop();
    }
  } finally {
    await proxy.stop();
    await server.stop();
  }
});

test('12: a timestamp dripped one byte per 0.5 s fails within its deadline (read timeout + size at 16 KiB/s), every attempt', async () => {
  const server = await startFaultServer(fx.repo, { match: /\/metadata\/timestamp\.json$/, dripMs: 500 });
  try {
    const good = await startFaultServer(fx.repo);
    const home = newHome();
    try {
      const init = await runCli(['init', '--home', home, '--repo', good.url, '--trust-root', fx.root]);
      assert.is(init.code, 0, init.stderr);
    } finally {
      await good.stop();
    }
    const started = Date.now();
    const r = await refused(home, ['check', '--repo', server.url, '--read-timeout', '2'], {}, /cannot fetch .*metadata\/timestamp\.json: the answer took longer than \d+\.\d s .*\(5 attempts\)/);
    assert.not.match(r.stderr, /This is a bug/);
    // Five attempts of at most ~3 s and the backoff between them: far from the hours a silence-only timeout allows.
    const tries = server.seen.filter((s) => s.url === '/metadata/timestamp.json').length;
    assert.is(tries, 5);
    assert.ok(Date.now() - started < 120_000, `${Date.now() - started} ms`);
  } finally {
    await server.stop();
  }
});

test('12: a blob dripped during apply is cut off by its deadline; the pack is rolled back exactly', async () => {
  const home = newHome();
  const good = await startFaultServer(fx.repo);
  try {
    const init = await runCli(['init', '--home', home, '--repo', good.url, '--trust-root', fx.root]);
    assert.is(init.code, 0, init.stderr);
    const plan = await runCli(['plan', '--home', home, '--out', join(dir, 'drip-plan.json')]);
    assert.is(plan.code, 0, plan.stderr);
  } finally {
    await good.stop();
  }
  const server = await startFaultServer(fx.repo, { dripMs: 400 });
  try {
    const plan = JSON.parse(readFileSync(join(dir, 'drip-plan.json'), 'utf8')) as { actions: Array<{ after?: { size?: number } }> };
    assert.ok(plan.actions.some((a) => (a.after?.size ?? 0) > 4), 'a blob worth dripping');
    const before = snapshot(home, (rel) => rel.startsWith('updates/logs/') || rel.startsWith('updates/wso2update/cache/'));
    const r = await runCli(['apply', join(dir, 'drip-plan.json'), '--home', home, '--repo', server.url, '--read-timeout', '1']);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /the answer took longer than/);
    assert.not.match(r.stderr, /This is a bug/);
    assert.equal(snapshotDiff(before, snapshot(home, (rel) => rel.startsWith('updates/logs/') || rel.startsWith('updates/wso2update/cache/'))), []);
  } finally {
    await server.stop();
  }
});

test.run();
