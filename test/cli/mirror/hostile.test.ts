// Issue 19, items 7-10: a mirror attacked by its source. The copy is a good mirror first; each hostile run must
// either write only bytes it verified, or be refused and leave the copy byte for byte as it was (snapshotted with a
// sentinel folder outside it); it never goes backwards; the unsigned index is read once, capped; root versions are
// walked only as far as the TUF specification bounds rotations. Real servers on 127.0.0.1, the real CLI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHome } from '../../../scripts/build-fixtures.mjs';
import { snapshot, snapshotDiff } from '../../helpers/pack.js';
import { startFaultServer, type TestServer } from '../../helpers/servers.js';
import { attackBench } from '../../helpers/tuf-attacks.js';
import { copyRepo } from '../../helpers/tuf-evil.js';
import { collect, runCli, spawnCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-hostile-mirror-');
const { fx, next } = await attackBench(dir);
const sentinel = join(dir, 'sentinel');
mkdirSync(sentinel);
writeFileSync(join(sentinel, 'keep.txt'), 'outside every folder the tool may write\n');
const all = () => false;

/** A good mirror of `from` at `to` (the state every attack starts from). */
async function goodMirror(from: string, to: string, extra: string[] = ['--trust-root', fx.root]): Promise<void> {
  rmSync(to, { recursive: true, force: true });
  const r = await runCli(['mirror', '--from', from, '--to', to, ...extra]);
  assert.is(r.code, 0, r.stderr);
}

/** Runs a mirror that must be refused with `code` and `re`; the copy and the sentinel must be exactly as before. */
async function refusedMirror(to: string, args: string[], code: number, re: RegExp): Promise<string> {
  const [before, outside] = [snapshot(to, all), snapshot(sentinel, all)];
  const r = await runCli(['mirror', ...args, '--to', to]);
  assert.is(r.code, code, r.stderr);
  assert.match(r.stderr.split('\n')[0], re);
  assert.not.match(r.stderr, /This is a bug/);
  assert.equal(snapshotDiff(before, snapshot(to, all)), [], 'the copy changed');
  assert.equal(snapshotDiff(outside, snapshot(sentinel, all)), [], 'something outside the copy changed');
  return r.stderr;
}

/** A pack adopted to the copy reads it (exit 0 or 10: it verifies). */
async function packReads(copy: string): Promise<void> {
  const home = writeHome(join(dir, `home-${Math.random().toString(16).slice(2)}`));
  const init = await runCli(['init', '--home', home, '--repo', copy, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  const check = await runCli(['check', '--home', home, '--repo', copy]);
  assert.ok(check.code === 0 || check.code === 10, check.stderr);
}

const rootRequests = (s: TestServer) => s.seen.filter((r) => /\/metadata\/\d+\.root\.json$/.test(r.url)).length;

test('7: a source that serves junk root versions after the refresh: nothing of it reaches the copy, which still verifies', async () => {
  const to = join(dir, 'copy-7');
  await goodMirror(fx.repo, to);
  // The refresh asks for 2.root.json and gets 404 (no rotation); every later answer for any N.root.json is junk.
  const server = await startFaultServer(fx.repo, { override: (p, n) => (/^\/metadata\/([2-9]|\d\d+)\.root\.json$/.test(p) ? (n === 1 ? { status: 404 } : { body: Buffer.from('{"junk": true}') }) : undefined) });
  try {
    const r = await runCli(['mirror', '--from', server.url, '--to', to, '--trust-root', fx.root]);
    assert.is(r.code, 0, r.stderr);
    assert.equal(readdirSync(join(to, 'metadata')).filter((n) => /^\d+\.root\.json$/.test(n)), ['1.root.json']);
    assert.is(rootRequests(server), 1, 'root versions are read once, by the refresh');
  } finally {
    await server.stop();
  }
  await packReads(to);
});

test('7: a refused run (a blob that does not match, after others were fetched) leaves the copy exactly as it was', async () => {
  const to = join(dir, 'copy-7b');
  await goodMirror(fx.repo, to, ['--trust-root', fx.root, '--levels', '0..1']);
  const bad = copyRepo(fx.repo, join(dir, 'src-7b'));
  const m = JSON.parse(readFileSync(join(bad, `products/${fx.product}/levels/0002/manifest.json`), 'utf8')) as { files: Record<string, { kind: string; sha256: string }> };
  const shas = [...new Set(Object.values(m.files).filter((e) => e.kind === 'file').map((e) => e.sha256))];
  const missing = shas.filter((sha) => !existsSync(join(to, 'blobs/sha256', sha.slice(0, 2), sha)));
  assert.ok(missing.length >= 2, 'level 2 brings blobs the copy lacks');
  const blob = join(bad, 'blobs/sha256', missing.at(-1)!.slice(0, 2), missing.at(-1)!);
  const bytes = readFileSync(blob);
  bytes[0] ^= 1;
  writeFileSync(blob, bytes);
  await refusedMirror(to, ['--from', bad, '--trust-root', fx.root, '--parallel', '1'], 7, /does not match its sha256/);
  assert.equal(readdirSync(to).filter((n) => n.startsWith('.mirror-')), [], 'no scratch left');
  await packReads(to);
});

test('7: a refused first run into a new folder leaves no folder behind', async () => {
  const bad = copyRepo(fx.repo, join(dir, 'src-7c'));
  const m = JSON.parse(readFileSync(join(bad, `products/${fx.product}/levels/0001/manifest.json`), 'utf8')) as { files: Record<string, { kind: string; sha256: string }> };
  const sha = Object.values(m.files).find((e) => e.kind === 'file')!.sha256;
  writeFileSync(join(bad, 'blobs/sha256', sha.slice(0, 2), sha), 'not the bytes the manifest names');
  const r = await runCli(['mirror', '--from', bad, '--to', join(dir, 'copy-7c'), '--trust-root', fx.root]);
  assert.is(r.code, 7, r.stderr);
  assert.not.ok(existsSync(join(dir, 'copy-7c')));
});

test('7: Ctrl-C while blobs stream in: the copy is exactly as it was, no scratch left', async () => {
  const to = join(dir, 'copy-7d');
  await goodMirror(fx.repo, to, ['--trust-root', fx.root, '--levels', '0..1']);
  const [before, outside] = [snapshot(to, all), snapshot(sentinel, all)];
  const server = await startFaultServer(fx.repo, { dripMs: 200 });
  try {
    const child = spawnCli(['mirror', '--from', server.url, '--to', to, '--trust-root', fx.root], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
    const done = collect(child);
    for (let i = 0; i < 400 && !server.seen.some((r) => r.url.startsWith('/blobs/')); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(server.seen.some((r) => r.url.startsWith('/blobs/')), 'the mirror reached the blobs');
    child.kill('SIGINT');
    const r = await done;
    assert.ok(r.code !== 0, r.stderr);
    assert.not.match(r.stderr, /This is a bug/);
  } finally {
    await server.stop();
  }
  assert.equal(snapshotDiff(before, snapshot(to, all)), [], 'the copy changed');
  assert.equal(snapshotDiff(outside, snapshot(sentinel, all)), []);
});

test('8: a rerun from an older copy of the channel is refused; the mirror stays at the newer state and packs still read it', async () => {
  const to = join(dir, 'copy-8');
  await goodMirror(next, to);
  const version = () => JSON.parse(readFileSync(join(to, 'metadata/timestamp.json'), 'utf8')).signed.version as number;
  const newer = version();
  await refusedMirror(to, ['--from', fx.repo, '--trust-root', fx.root], 7, /^Error: rollback refused: the source's timestamp is version 5, older than the version 6/);
  assert.is(version(), newer);
  // The same state again is no rollback: a rerun copies nothing and succeeds.
  const again = await runCli(['mirror', '--from', next, '--to', to, '--trust-root', fx.root, '--json']);
  assert.is(again.code, 0, again.stderr);
  assert.is(JSON.parse(again.stdout).blobsCopied, 0);
  await packReads(to);
});

test('8: a copy whose metadata cannot be read is not overwritten blindly', async () => {
  const to = join(dir, 'copy-8b');
  await goodMirror(fx.repo, to);
  writeFileSync(join(to, 'metadata/timestamp.json'), '{ torn');
  await refusedMirror(to, ['--from', next, '--trust-root', fx.root], 1, /timestamp\.json cannot be read/);
});

test('8: unsigned: a source that no longer lists a level the copy serves is refused; an unsigned source over a signed copy too', async () => {
  const unsigned = copyRepo(next, join(dir, 'src-8-unsigned'));
  rmSync(join(unsigned, 'metadata'), { recursive: true });
  const to = join(dir, 'copy-8c');
  await goodMirror(unsigned, to, ['--allow-unsigned']);
  // The channel as it was before its newest level: an older copy, unsigned, so only the levels can tell.
  const older = copyRepo(unsigned, join(dir, 'src-8-older'));
  const index = JSON.parse(readFileSync(join(older, 'index.json'), 'utf8')) as { products: Record<string, { levels: Record<string, unknown> }> };
  const levels = index.products[fx.product].levels;
  const newest = Math.max(...Object.keys(levels).map(Number));
  delete levels[String(newest)];
  writeFileSync(join(older, 'index.json'), JSON.stringify(index));
  await refusedMirror(to, ['--from', older, '--allow-unsigned'], 7, new RegExp(`rollback refused: the source no longer lists ${fx.product.replace(/\./g, '\\.')} level ${newest},`));
  const signedCopy = join(dir, 'copy-8d');
  await goodMirror(next, signedCopy);
  await refusedMirror(signedCopy, ['--from', unsigned, '--allow-unsigned'], 7, /is a copy of a signed channel and the source is unsigned/);
});

test('9: an unsigned mirror reads index.json once, capped: an endless second answer is never asked for, an endless first one is refused', async () => {
  const unsigned = copyRepo(fx.repo, join(dir, 'src-9'));
  rmSync(join(unsigned, 'metadata'), { recursive: true });
  const server = await startFaultServer(unsigned, { override: (p, n) => (p === '/index.json' && n > 1 ? { endless: 40 << 20 } : undefined) });
  const to = join(dir, 'copy-9');
  try {
    const r = await runCli(['mirror', '--from', server.url, '--to', to, '--allow-unsigned']);
    assert.is(r.code, 0, r.stderr);
    assert.is(server.seen.filter((s) => s.url === '/index.json').length, 1);
    assert.ok(readFileSync(join(to, 'index.json')).equals(readFileSync(join(unsigned, 'index.json'))));
  } finally {
    await server.stop();
  }
  const endless = await startFaultServer(unsigned, { override: (p) => (p === '/index.json' ? { endless: 40 << 20 } : undefined) });
  try {
    await refusedMirror(to, ['--from', endless.url, '--allow-unsigned'], 7, /index\.json.*(larger|more) than/);
  } finally {
    await endless.stop();
  }
});

test('10: a server that answers every N.root.json: mirror and create-update stop within the TUF bound on rotations', async () => {
  const root1 = readFileSync(join(fx.repo, 'metadata/1.root.json'));
  const runs: Array<(url: string) => string[]> = [
    (url) => ['mirror', '--from', url, '--to', join(dir, 'copy-10'), '--trust-root', fx.root],
    (url) => ['create-update', '--repo', url, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '2', '--out', join(dir, 'b-10.tar')],
  ];
  for (const args of runs) {
    // After the refresh, every root version exists (a copy of the real root: a naive walk never finds the end).
    const server = await startFaultServer(fx.repo, { override: (p, n) => (/^\/metadata\/\d+\.root\.json$/.test(p) && p !== '/metadata/1.root.json' ? (n === 1 ? { status: 404 } : { body: root1 }) : undefined) });
    try {
      const r = await runCli(args(server.url));
      assert.is(r.code, 0, r.stderr);
      assert.is(rootRequests(server), 1, `${args(server.url)[0]}: ${rootRequests(server)} root requests`);
    } finally {
      await server.stop();
    }
  }
  // Every answer a valid-looking next root: the refresh itself refuses it (a root must be signed by the one before and
  // carry the next version) after one request, never walking on.
  const every = await startFaultServer(fx.repo, { override: (p) => (/^\/metadata\/\d+\.root\.json$/.test(p) && p !== '/metadata/1.root.json' ? { body: root1 } : undefined) });
  try {
    const r = await runCli(['mirror', '--from', every.url, '--to', join(dir, 'copy-10b'), '--trust-root', fx.root]);
    assert.is(r.code, 7, r.stderr);
    assert.ok(rootRequests(every) <= 2, `${rootRequests(every)} root requests`);
    assert.not.ok(existsSync(join(dir, 'copy-10b')));
  } finally {
    await every.stop();
  }
});

test('10: the roots before a pinned later root are copied only when each is the root that signed the next', async () => {
  const repo = copyRepo(fx.repo, join(dir, 'src-rotated'));
  const keys = join(dir, 'keys-rotated');
  cpSync(fx.keys, keys, { recursive: true });
  const rot = await runCli(['keygen', '--keys', keys, '--rotate', 'root', '--repo', repo]);
  assert.is(rot.code, 0, rot.stderr);
  const root2 = join(dir, 'root2.json');
  cpSync(join(repo, 'metadata/2.root.json'), root2);
  const to = join(dir, 'copy-10c');
  const r = await runCli(['mirror', '--from', repo, '--to', to, '--trust-root', root2]);
  assert.is(r.code, 0, r.stderr);
  assert.ok(readFileSync(join(to, 'metadata/1.root.json')).equals(readFileSync(join(repo, 'metadata/1.root.json'))));
  // A client pinned to root 1 follows the copy's rotation.
  await packReads(to);
  // A 1.root.json that did not sign root 2 (another repository's) is refused; the copy stays as it was.
  const forged = copyRepo(repo, join(dir, 'src-rotated-forged'));
  const other = join(dir, 'keys-other');
  assert.is((await runCli(['keygen', '--keys', other])).code, 0);
  const foreign = join(dir, 'src-foreign');
  const pub = await runCli(['publish', '--repo', foreign, '--product', fx.product, '--level', '0', '--tree', fx.trees[0], '--keys', other]);
  assert.is(pub.code, 0, pub.stderr);
  cpSync(join(foreign, 'metadata/1.root.json'), join(forged, 'metadata/1.root.json'));
  await refusedMirror(to, ['--from', forged, '--trust-root', root2], 7, /1\.root\.json is not the root that signed version 2/);
});

test.run();
