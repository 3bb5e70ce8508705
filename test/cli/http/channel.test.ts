// The update channel over HTTP through the real CLI, against real servers on 127.0.0.1: init, check, plan, apply
// and revert from `wso2update serve` and from nginx; a blob cut mid-body (resumed), 503 twice (retried), a stalled
// server (timeout, a clear error, nothing changed), a forward proxy (used; no_proxy respected), kill -9 during the
// download then recover and a new apply (nothing torn, no complete blob fetched twice), and credentials that never
// appear in any file the tool writes or any output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../../src/core/canonical.js';
import { LEVEL0, LEVEL1, makeFixture, snapshot, snapshotDiff, type TreeSpec } from '../../helpers/pack.js';
import { serveCli, startFaultServer, startNginx, startProxy, type Faults, type TestServer } from '../../helpers/servers.js';
import { spawnCli, runCli, tmpDir } from '../../helpers/tmp.js';

const full = (home: string) => snapshot(home, (r) => r.startsWith('updates/wso2update') || r.startsWith('updates/logs') || r === 'updates/config.json');
const BIG = randomBytes(2 * 1024 * 1024).toString('base64'); // 2.7 MB of text: a blob worth resuming
const L1: TreeSpec = { ...LEVEL1, 'lib/big.jar': BIG, 'lib/e.jar': 'jar-e-v1', 'lib/f.jar': 'jar-f-v1' };
const bigBlob = `/blobs/sha256/${sha256Hex(BIG).slice(0, 2)}/${sha256Hex(BIG)}`;

/** A repository (levels 0 and 1) and a pack at level 0 that is not adopted yet: init runs over HTTP. */
async function channel() {
  const f = await makeFixture([LEVEL0, L1]);
  rmSync(join(f.home, 'updates/wso2update'), { recursive: true });
  return { ...f, before: full(f.home) };
}

async function lifecycle(server: TestServer, extra: string[] = [], env: Record<string, string> = {}) {
  const f = await channel();
  const url = `${server.url}/`;
  const run = (args: string[]) => runCli([...args, ...extra], { env });
  const init = await run(['init', '--home', f.home, '--repo', url, '--allow-unsigned']);
  assert.is(init.code, 0, init.stderr);
  const state = JSON.parse(readFileSync(join(f.home, 'updates/wso2update/state.json'), 'utf8'));
  assert.is(state.repository, server.url, 'the location is recorded without a trailing slash');
  assert.is((await run(['check', '--home', f.home])).code, 10);
  const plan = join(tmpDir(), 'plan.json');
  const p = await run(['plan', '--home', f.home, '--out', plan]);
  assert.is(p.code, 0, p.stderr);
  assert.is(JSON.parse(readFileSync(plan, 'utf8')).repository, server.url);
  const a = await run(['apply', plan, '--home', f.home]);
  assert.is(a.code, 0, a.stderr);
  assert.match(a.stderr, /(?:MB|kB|bytes?), \d+\/\d+ files/);
  assert.is(readFileSync(join(f.home, 'lib/big.jar'), 'utf8'), BIG);
  assert.is(readFileSync(join(f.home, 'lib/a.jar'), 'utf8'), 'jar-a-v2');
  const r = await run(['revert', '--home', f.home, '--yes']);
  assert.is(r.code, 4, r.stderr);
  assert.equal(snapshotDiff(f.before, full(f.home)), []);
  return f;
}

test('init, check, plan, apply, revert over HTTP from `wso2update serve`', async () => {
  const s = await serveCli((await channel()).repo);
  try {
    await lifecycle({ ...s, url: s.url });
  } finally {
    await s.stop();
  }
});

test('init, check, plan, apply, revert over HTTP from nginx (--parallel 2)', async () => {
  const f = await channel();
  const s = await startNginx(f.repo);
  try {
    await lifecycle(s, ['--parallel', '2']);
    assert.ok(s.accessLog().some((l) => l.startsWith(`GET ${bigBlob} 200`)), s.accessLog().join('\n'));
  } finally {
    await s.stop();
  }
});

async function withFaults(faults: Faults, fn: (s: TestServer, f: Awaited<ReturnType<typeof channel>>) => Promise<void>) {
  const f = await channel();
  const s = await startFaultServer(f.repo, faults);
  try {
    const init = await runCli(['init', '--home', f.home, '--repo', s.url, '--allow-unsigned']);
    assert.is(init.code, 0, init.stderr);
    await fn(s, f);
  } finally {
    await s.stop();
  }
}

test('a connection cut mid-blob during apply is resumed with Range, and the update lands', async () => {
  await withFaults({ match: new RegExp(bigBlob), dropAfterBytes: 1_000_000 }, async (s, f) => {
    const a = await runCli(['apply', '--home', f.home, '--yes']);
    assert.is(a.code, 0, a.stderr);
    assert.is(readFileSync(join(f.home, 'lib/big.jar'), 'utf8'), BIG);
    const gets = s.seen.filter((r) => r.url === bigBlob);
    assert.is(gets.length, 2);
    assert.match(gets[1].range ?? '', /^bytes=\d{6,}-$/);
  });
});

test('503 twice: retried, the update lands', async () => {
  await withFaults({ fail503: 2 }, async (s, f) => {
    const a = await runCli(['apply', '--home', f.home, '--yes']);
    assert.is(a.code, 0, a.stderr);
    assert.is(readFileSync(join(f.home, 'lib/big.jar'), 'utf8'), BIG);
  });
});

test('a stalled server: the read timeout, a clear error, exit 1, nothing changed', async () => {
  await withFaults({ match: new RegExp(bigBlob), stall: true }, async (_s, f) => {
    const before = full(f.home);
    const a = await runCli(['apply', '--home', f.home, '--yes', '--read-timeout', '0.4']);
    assert.is(a.code, 1, a.stderr);
    assert.match(a.stderr, /no answer within the read timeout \(5 attempts\)/);
    assert.match(a.stderr, /nothing was changed/);
    assert.equal(snapshotDiff(before, full(f.home)), []);
  });
});

test('Ctrl-C during a stalled download stops it at once (no waiting for the read timeout), rolls back, exit 130', async () => {
  await withFaults({ match: new RegExp(bigBlob), stall: true }, async (s, f) => {
    const before = full(f.home);
    const child = spawnCli(['apply', '--home', f.home, '--yes'], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    for (let i = 0; i < 400 && !s.seen.some((r) => r.url === bigBlob); i++) await new Promise((r) => setTimeout(r, 25));
    const started = Date.now();
    const code = new Promise<number | null>((r) => child.once('close', (c) => r(c)));
    child.kill('SIGINT');
    assert.is(await code, 130, err);
    assert.ok(Date.now() - started < 10_000, 'stopped well before the 30 s read timeout');
    assert.match(err, /interrupted/);
    assert.equal(snapshotDiff(before, full(f.home)), []);
  });
});

test('http_proxy is used for every request; no_proxy=127.0.0.1 bypasses it', async () => {
  const proxy = await startProxy();
  try {
    await withFaults({}, async (s, f) => {
      const via = await runCli(['plan', '--home', f.home, '--out', join(tmpDir(), 'p.json')], { env: { http_proxy: proxy.url } });
      assert.is(via.code, 0, via.stderr);
      const count = proxy.forwarded.length;
      assert.ok(count >= 3, `forwarded: ${count}`);
      assert.ok(proxy.forwarded.every((u) => u.startsWith(`${s.url}/`)));
      const direct = await runCli(['apply', '--home', f.home, '--yes'], { env: { HTTP_PROXY: proxy.url, no_proxy: 'localhost,127.0.0.1' } });
      assert.is(direct.code, 0, direct.stderr);
      assert.is(proxy.forwarded.length, count, 'no_proxy: nothing more went through the proxy');
    });
  } finally {
    await proxy.stop();
  }
});

test('kill -9 during the download, recover, apply again: nothing torn, no complete blob fetched twice', async () => {
  const faults: Faults = { match: new RegExp(bigBlob), stall: true };
  await withFaults(faults, async (s, f) => {
    const before = full(f.home);
    const plan = join(tmpDir(), 'plan.json');
    assert.is((await runCli(['plan', '--home', f.home, '--out', plan])).code, 0);
    const child = spawnCli(['apply', plan, '--home', f.home], { env: { ...process.env, CI: '1' }, stdio: 'ignore' });
    const blobs = () => s.seen.filter((r) => r.url.startsWith('/blobs/'));
    const want = new Set(Object.values(L1).filter((v) => typeof v === 'string').map((v) => sha256Hex(v as string))).size; // upper bound
    for (let i = 0; i < 400 && !(blobs().some((r) => r.url === bigBlob) && blobs().length >= 4); i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 400)); // the small blobs finish; the big one stays stalled
    const firstRun = blobs().map((r) => r.url);
    assert.ok(firstRun.includes(bigBlob) && firstRun.length < want, firstRun.join('\n'));
    const gone = new Promise((r) => child.once('close', r));
    child.kill('SIGKILL');
    await gone;
    const rec = await runCli(['recover', '--home', f.home]);
    assert.is(rec.code, 0, rec.stderr);
    assert.equal(snapshotDiff(before, full(f.home)), [], 'nothing torn');
    faults.stall = false;
    const again = await runCli(['apply', plan, '--home', f.home]);
    assert.is(again.code, 0, again.stderr);
    assert.is(readFileSync(join(f.home, 'lib/big.jar'), 'utf8'), BIG);
    const all = blobs().map((r) => r.url);
    for (const u of new Set(firstRun)) {
      assert.is(all.filter((x) => x === u).length, u === bigBlob ? 2 : 1, `${u} fetched ${all.filter((x) => x === u).length} times`);
    }
  });
});

/** Every file below `dir`, as text (binary files too: a secret could hide anywhere). */
function everyFile(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) out.push(...everyFile(p));
    else if (st?.isFile()) out.push({ path: p, text: readFileSync(p, 'latin1') });
  }
  return out;
}

test('credentials: -u/-p, then UPDATE_TOOL_*; refused without; the canary never appears in a file or output', async () => {
  const user = 'canary-user';
  const password = 'CANARY-pw-7f3a9c';
  const auth = { username: user, password };
  const canaries = [password, Buffer.from(`${user}:${password}`).toString('base64')];
  const f = await channel();
  const s = await startFaultServer(f.repo, { auth });
  const work = tmpDir('wso2update-canary-');
  const outputs: string[] = [];
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const r = await runCli(args, { cwd: work, env });
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  try {
    const refused = await run(['init', '--home', f.home, '--repo', s.url, '--allow-unsigned']);
    assert.is(refused.code, 1);
    assert.match(refused.stderr, /asks for credentials \(401\)/);
    const wrong = await run(['init', '--home', f.home, '--repo', s.url, '-u', user, '-p', 'wrong', '--allow-unsigned']);
    assert.match(wrong.stderr, /refused the credentials/);
    assert.is((await run(['init', '--home', f.home, '--repo', s.url, '-u', user, '-p', password, '--json', '--allow-unsigned'])).code, 0);
    const env = { UPDATE_TOOL_USERNAME: user, UPDATE_TOOL_PASSWORD: password };
    assert.is((await run(['check', '--home', f.home, '--json'], env)).code, 10);
    assert.is((await run(['plan', '--home', f.home, '--out', join(work, 'plan.json'), '--json'], env)).code, 0);
    assert.is((await run(['show', join(work, 'plan.json'), '--json'])).code, 0);
    const a = await run(['apply', join(work, 'plan.json'), '--home', f.home, '--json', '--username', user], { UPDATE_TOOL_PASSWORD: password });
    assert.is(a.code, 0, a.stderr);
    assert.is((await run(['status', '--home', f.home, '--json'])).code, 0);
    assert.is((await run(['revert', '--home', f.home, '--yes', '--json'], env)).code, 4);
    assert.ok(s.seen.some((r) => r.authorization), 'the credentials were sent');
    const files = [...everyFile(f.home), ...everyFile(work)];
    assert.ok(files.some((x) => x.path.includes('updates/logs')), 'the log is among the files checked');
    for (const c of canaries) {
      for (const x of files) assert.not.ok(x.text.includes(c), `${x.path} holds the credentials`);
      for (const o of outputs) assert.not.ok(o.includes(c), `an output holds the credentials: ${o.slice(0, 200)}`);
    }
  } finally {
    await s.stop();
  }
});

test('plain http beyond this machine is refused (unless --allow-http); a URL with a password is refused unechoed', async () => {
  const f = await channel();
  const r = await runCli(['init', '--home', f.home, '--repo', 'http://updates.example.com/wso2']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /plain http to updates\.example\.com is refused/);
  assert.match(r.stderr, /--allow-http/);
  const u = await runCli(['init', '--home', f.home, '--repo', 'https://ops:Hunter2pw@updates.example.com/wso2']);
  assert.is(u.code, 1);
  assert.match(u.stderr, /must not contain a user name or password/);
  assert.not.match(u.stdout + u.stderr, 'Hunter2pw');
});

test.run();
