// kill -9 in the middle of a blob, from a really slow server: nginx on 127.0.0.1 with limit_rate, serving a signed
// repository. The CLI child applying a plan is killed with SIGKILL while the big blob is half on disk; `recover`
// leaves the pack as it was, and a new apply of the same plan lands, fetching again only what was not complete:
// nginx's access log shows every small blob served once, and the big one once cut short and once whole.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../../src/core/canonical.js';
import { newKey, ROLES, type RoleName, type SigningKey } from '../../../src/publish/keys.js';
import { signRepository } from '../../../src/publish/sign.js';
import { LEVEL0, LEVEL1, makeFixture, snapshot, snapshotDiff, type TreeSpec } from '../../helpers/pack.js';
import { startNginx } from '../../helpers/servers.js';
import { spawnCli, runCli, tmpDir } from '../../helpers/tmp.js';

const BIG = randomBytes(3 * 1024 * 1024).toString('base64'); // 4 MB of text: 4 s at the server's 1 MB/s
const SMALL_COUNT = 12;
const SMALL: TreeSpec = Object.fromEntries(Array.from({ length: SMALL_COUNT }, (_, i) => [`lib/small-${i}.jar`, `small jar ${i} ${randomBytes(8).toString('hex')}`]));
const L1: TreeSpec = { ...LEVEL1, ...SMALL, 'lib/big.jar': BIG };
const blobPath = (text: string) => `/blobs/sha256/${sha256Hex(text).slice(0, 2)}/${sha256Hex(text)}`;
const bigBlob = blobPath(BIG);
const pack = (home: string) => snapshot(home, (r) => r.startsWith('updates/wso2update') || r.startsWith('updates/logs'));

/** Files below `dir` of more than 500 kB but less than `size`: the big blob half downloaded. */
function partial(dir: string, size: number): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((rel) => {
    const st = statSync(join(dir, rel), { throwIfNoEntry: false });
    return st?.isFile() && st.size > 500_000 && st.size < size;
  });
}

test('kill -9 mid-blob from a slow nginx, recover, apply again: nothing torn, no complete blob fetched twice', async () => {
  const f = await makeFixture([LEVEL0, L1]);
  const keys = Object.fromEntries(ROLES.map((r) => [r, newKey(r)])) as Record<RoleName, SigningKey>;
  await signRepository(f.repo, keys, { now: new Date() });
  rmSync(join(f.home, 'updates/wso2update'), { recursive: true });
  const s = await startNginx(f.repo, { limitRate: '1m' });
  try {
    const init = await runCli(['init', '--home', f.home, '--repo', s.url, '--trust-root', join(f.repo, 'metadata/1.root.json')]);
    assert.is(init.code, 0, init.stderr);
    const before = pack(f.home);
    const plan = join(tmpDir(), 'plan.json');
    assert.is((await runCli(['plan', '--home', f.home, '--out', plan])).code, 0);
    const small = Object.values(SMALL).map((v) => blobPath(v as string));
    const served = () => s.accessLog().filter((l) => l.startsWith('GET /blobs/'));
    const child = spawnCli(['apply', plan, '--home', f.home], { env: { ...process.env, CI: '1' }, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('close', r));
    const staging = join(f.home, 'updates/wso2update');
    // Wait until the client holds every other blob complete (verified and kept in the pack's cache: nginx logging
    // it as sent is not enough, the client may not have read it yet) and the big one partly on disk.
    const fetched = (JSON.parse(readFileSync(plan, 'utf8')).actions as Array<{ action: string; after?: { kind: string; sha256: string } }>)
      .filter((a) => (a.action === 'add' || a.action === 'replace') && a.after?.kind === 'file').map((a) => a.after!.sha256);
    const others = [...new Set(fetched)].filter((sha) => sha !== sha256Hex(BIG));
    assert.ok(others.length >= SMALL_COUNT, others.join('\n'));
    const kept = () => others.filter((sha) => existsSync(join(staging, 'cache', sha)));
    let cut: string[] = [];
    for (let i = 0; i < 600; i++) {
      cut = partial(staging, Buffer.byteLength(BIG));
      if (kept().length === others.length && cut.length > 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(cut.length > 0, 'the big blob was being downloaded');
    const complete = kept();
    child.kill('SIGKILL');
    await exited;
    const rec = await runCli(['recover', '--home', f.home]);
    assert.is(rec.code, 0, rec.stderr);
    assert.equal(snapshotDiff(before, pack(f.home)), [], 'recover: nothing torn');
    const again = await runCli(['apply', plan, '--home', f.home]);
    assert.is(again.code, 0, again.stderr);
    assert.is(readFileSync(join(f.home, 'lib/big.jar'), 'utf8'), BIG);
    for (const [p, text] of Object.entries(SMALL)) assert.is(readFileSync(join(f.home, p), 'utf8'), text);
    // nginx logs a request when it ends, a cut one too (with the bytes it had sent): give it a moment.
    await new Promise((r) => setTimeout(r, 200));
    const log = served();
    for (const sha of complete) {
      const p = `/blobs/sha256/${sha.slice(0, 2)}/${sha}`;
      assert.is(log.filter((l) => l.startsWith(`GET ${p} `)).length, 1, `${p} was complete, and fetched again:\n${log.join('\n')}`);
    }
    assert.ok(small.every((p) => complete.some((sha) => p.endsWith(sha))), 'every small blob was complete before the kill');
    const big = log.filter((l) => l.startsWith(`GET ${bigBlob} `));
    assert.is(big.length, 2, big.join('\n'));
    const sent = big.map((l) => Number(l.split(' ')[3]));
    assert.ok(sent[0] < Buffer.byteLength(BIG) && sent[1] === Buffer.byteLength(BIG), big.join('\n'));
  } finally {
    await s.stop();
  }
});

test.run();
