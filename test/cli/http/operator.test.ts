// What an operator meets on a real site, through the real CLI and a signed repository: https from nginx with a
// private CA (refused without it, accepted with --ca-file or NODE_EXTRA_CA_CERTS), https through a forward proxy
// (a CONNECT tunnel, counted; no_proxy respected), the password asked on a terminal (not echoed, never shown), and
// the download's bytes and files in the task list on a terminal. Default TUF lifetimes are checked here too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { makeTestCa, startFaultServer, startNginx, startProxy } from '../../helpers/servers.js';
import type { SignedFixtures } from '../../helpers/tuf-attacks.js';
import { runInPty } from '../../helpers/pty.js';
import { CLI_LINE, runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-http-operator-');
const fx = buildFixtures(join(dir, 'fx')) as SignedFixtures;
let n = 0;
const newHome = () => writeHome(join(dir, `home-${n++}`));
const must = async (args: string[], code: number, env: Record<string, string> = {}) => {
  const r = await runCli(args, { env });
  assert.is(r.code, code, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  return r;
};

test('publish signs with the default lifetimes: timestamp 1 day, snapshot 7 days, targets and root 1 year', () => {
  const expires = (name: string) => Date.parse(JSON.parse(readFileSync(join(fx.repo, 'metadata', name), 'utf8')).signed.expires);
  const signedAt = Date.now(); // buildFixtures ran a moment ago
  const days = (ms: number) => ms / 86_400_000;
  for (const [name, want] of [['timestamp.json', 1], ['4.snapshot.json', 7], ['4.targets.json', 365], ['1.root.json', 365]] as const) {
    assert.ok(Math.abs(days(expires(name) - signedAt) - want) < 0.05, `${name} expires in ${days(expires(name) - signedAt).toFixed(3)} days, not ${want}`);
  }
});

test('https from nginx with a private CA: refused without it; --ca-file and NODE_EXTRA_CA_CERTS; through https_proxy (tunnel), no_proxy bypasses it', async () => {
  const ca = makeTestCa(tmpDir('wso2update-ca-'));
  const s = await startNginx(fx.repo, { tls: ca });
  const proxy = await startProxy();
  try {
    assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const home = newHome();
    const untrusted = await must(['init', '--home', home, '--repo', s.url, '--trust-root', fx.root], 1);
    assert.match(untrusted.stderr.split('\n')[0], /TLS certificate of 127\.0\.0\.1:\d+ is not trusted/);
    assert.match(untrusted.stderr, /--ca-file/);
    await must(['init', '--home', home, '--repo', s.url, '--trust-root', fx.root, '--ca-file', ca.caCert], 0);
    await must(['check', '--home', home], 10, { NODE_EXTRA_CA_CERTS: ca.caCert });
    const port = new URL(s.url).port;
    await must(['plan', '--home', home, '--ca-file', ca.caCert, '--out', join(dir, 'plan-tls.json')], 0, { https_proxy: proxy.url });
    assert.ok(proxy.tunnels.length >= 1 && proxy.tunnels.every((t) => t === `127.0.0.1:${port}`), proxy.tunnels.join(' '));
    assert.equal(proxy.forwarded, [], 'https never goes through the proxy in the clear');
    const tunnels = proxy.tunnels.length;
    await must(['apply', join(dir, 'plan-tls.json'), '--home', home, '--ca-file', ca.caCert], 0, { HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' });
    assert.is(proxy.tunnels.length, tunnels, 'no_proxy: nothing more through the proxy');
    assert.is(JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level, 3);
  } finally {
    await proxy.stop();
    await s.stop();
  }
});

test('on a terminal: the password is asked at the first 401 and never echoed; the task list shows the download', async () => {
  const username = 'ops';
  const password = 'PTY-canary-31f5c0';
  const s = await startFaultServer(fx.repo, { auth: { username, password } });
  try {
    const home = newHome();
    const init = await runInPty(`${CLI_LINE} init --home ${home} --repo ${s.url} --trust-root ${fx.root} -u ${username}`, { cwd: dir, answers: [[/Password for ops: /, `${password}\n`]] });
    assert.is(init.code, 0, init.output);
    assert.match(init.output, /Password for ops: /);
    const apply = await runInPty(`${CLI_LINE} apply --home ${home} --yes -u ${username}`, { cwd: dir, answers: [[/Password for ops: /, `${password}\n`]] });
    assert.is(apply.code, 0, apply.output);
    assert.is(apply.output.match(/Password for ops: /g)?.length, 1, 'asked once in the run (it plans, then stages)');
    assert.match(apply.output, /[\d.]+ (?:MB|kB|bytes?) of [\d.]+ (?:MB|kB|bytes?), \d+\/\d+ files/, `bytes and files of the download in the task list:\n${apply.output}`);
    for (const r of [init, apply]) assert.not.ok(r.output.includes(password), 'the password was echoed or shown');
    assert.is(JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level, 3);
  } finally {
    await s.stop();
  }
});

test.run();
