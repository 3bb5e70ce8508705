// The signed channel through the real CLI: keygen, publish --keys, pinning at init (file, sha256, or the unsigned
// exception), status, refresh of the timestamp, root rotation, and mirror (a verified copy that is itself signed).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, MetadataKind, Signature } from '@tufjs/models';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { newKey } from '../../../src/publish/keys.js';
import { filesOf } from '../../helpers/tuf-evil.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-trust-');
const fx = buildFixtures(join(dir, 'fx')) as { repo: string; keys: string; root: string; product: string; trees: Record<number, string>; notes: Record<number, string> };
let n = 0;
const home = () => writeHome(join(dir, `home-${n++}`), { customize: true });
const trustOf = (h: string) => join(h, 'updates/wso2update/trust');
const version = (file: string) => JSON.parse(readFileSync(file, 'utf8')).signed.version as number;

test('keygen writes four ed25519 keys with mode 0600, prints only key ids, and never overwrites', async () => {
  const keys = join(dir, 'keys-a');
  const r = await runCli(['keygen', '--keys', keys, '--json']);
  assert.is(r.code, 0, r.stderr);
  for (const role of ['root', 'targets', 'snapshot', 'timestamp']) {
    assert.is(statSync(join(keys, `${role}.key`)).mode & 0o777, 0o600, role);
    const pem = readFileSync(join(keys, `${role}.key`), 'utf8');
    assert.match(pem, /PRIVATE KEY/);
    assert.not.ok(r.stdout.includes(pem.split('\n')[1]) || r.stderr.includes(pem.split('\n')[1]), `${role}: private key printed`);
  }
  assert.equal(Object.keys(JSON.parse(r.stdout).keyIds).sort(), ['root', 'snapshot', 'targets', 'timestamp']);
  const again = await runCli(['keygen', '--keys', keys]);
  assert.is(again.code, 1);
  assert.match(again.stderr, /already holds keys/);
});

test('a signed repository is never changed without its keys, nor with keys its root does not list', async () => {
  const repo = join(dir, 'repo-keys');
  cpSync(fx.repo, repo, { recursive: true });
  const before = filesOf(repo);
  const publish = (extra: string[]) => runCli(['publish', '--repo', repo, '--product', fx.product, '--level', '4', '--tree', fx.trees[3], ...extra]);
  const none = await publish([]);
  assert.is(none.code, 1);
  assert.match(none.stderr, /signed repository .*publish needs --keys/);
  const other = join(dir, 'keys-other');
  assert.is((await runCli(['keygen', '--keys', other])).code, 0);
  const wrong = await publish(['--keys', other]);
  assert.is(wrong.code, 1);
  assert.match(wrong.stderr, /is not the one this repository's root lists/);
  assert.equal(filesOf(repo), before);
});

test('init pins by sha256 of the first root; a wrong sha256, an unpinned signed repository, or an unsigned one are refused and write nothing', async () => {
  const sha = sha256Hex(readFileSync(fx.root));
  const bad = home();
  for (const [args, code, re] of [
    [['--trust-root-sha256', 'ab'.repeat(32)], 7, /has sha256 [0-9a-f]{64}, not the (ab){32} given/],
    [[], 1, /is a signed repository: pin its root/],
    [['--trust-root', fx.root, '--allow-unsigned'], 1, /contradicts/],
  ] as Array<[string[], number, RegExp]>) {
    const r = await runCli(['init', '--home', bad, '--repo', fx.repo, ...args]);
    assert.is(r.code, code, r.stderr);
    assert.match(r.stderr.split('\n')[0], re);
    assert.not.ok(existsSync(join(bad, 'updates/wso2update')), 'nothing written');
  }
  const unsigned = join(dir, 'unsigned');
  cpSync(fx.repo, unsigned, { recursive: true });
  rmSync(join(unsigned, 'metadata'), { recursive: true });
  const u = await runCli(['init', '--home', bad, '--repo', unsigned]);
  assert.is(u.code, 7);
  assert.match(u.stderr, /is not signed .*--allow-unsigned/s);
  const h = home();
  const ok = await runCli(['init', '--home', h, '--repo', fx.repo, '--trust-root-sha256', sha, '--json']);
  assert.is(ok.code, 0, ok.stderr);
  assert.is(readFileSync(join(trustOf(h), 'root.json'), 'utf8'), readFileSync(fx.root, 'utf8'));
  assert.ok(JSON.parse(ok.stdout).trust.timestamp.version >= 1);
});

test('--allow-unsigned is recorded in the state and shown by status; without it and without a pinned root every reading command refuses', async () => {
  const unsigned = join(dir, 'unsigned-2');
  cpSync(fx.repo, unsigned, { recursive: true });
  rmSync(join(unsigned, 'metadata'), { recursive: true });
  const h = home();
  assert.is((await runCli(['init', '--home', h, '--repo', unsigned, '--allow-unsigned'])).code, 0);
  assert.is(JSON.parse(readFileSync(join(h, 'updates/wso2update/state.json'), 'utf8')).allowUnsigned, true);
  const status = await runCli(['status', '--home', h]);
  assert.match(status.stderr, /trust: UNSIGNED repository accepted/);
  assert.is(JSON.parse((await runCli(['status', '--home', h, '--json'])).stdout).allowUnsigned, true);
  assert.is((await runCli(['check', '--home', h])).code, 10);
  // A pinned pack whose trust folder is gone is not silently downgraded to unsigned.
  const p = home();
  assert.is((await runCli(['init', '--home', p, '--repo', fx.repo, '--trust-root', fx.root])).code, 0);
  assert.match((await runCli(['status', '--home', p])).stderr, /trust: signed \(TUF\), root v1 pinned/);
  rmSync(trustOf(p), { recursive: true });
  for (const cmd of [['check'], ['plan', '--out', join(dir, 'never.json')]]) {
    const r = await runCli([...cmd, '--home', p]);
    assert.is(r.code, 7, r.stderr);
    assert.match(r.stderr, /no pinned trust root/);
  }
});

test('publish --refresh-timestamp re-signs only the timestamp, and clients accept the new version', async () => {
  const repo = join(dir, 'repo-ts');
  cpSync(fx.repo, repo, { recursive: true });
  const h = home();
  assert.is((await runCli(['init', '--home', h, '--repo', repo, '--trust-root', fx.root])).code, 0);
  const others = filesOf(join(repo, 'metadata'));
  const ts = version(join(repo, 'metadata/timestamp.json'));
  const r = await runCli(['publish', '--repo', repo, '--keys', fx.keys, '--refresh-timestamp', '--timestamp-expiry', '2h']);
  assert.is(r.code, 0, r.stderr);
  const after = filesOf(join(repo, 'metadata'));
  assert.equal(Object.keys(after).filter((f) => after[f] !== others[f]), ['timestamp.json']);
  const expires = Date.parse(JSON.parse(readFileSync(join(repo, 'metadata/timestamp.json'), 'utf8')).signed.expires);
  assert.ok(Math.abs(expires - Date.now() - 2 * 3600_000) < 120_000, 'expires in 2 h');
  assert.is((await runCli(['check', '--home', h])).code, 10);
  assert.is(version(join(trustOf(h), 'timestamp.json')), ts + 1);
});

test('keygen --rotate root: the next root is signed by the old and new keys, clients pinned to root 1 follow it; a root signed by another key is refused', async () => {
  const repo = join(dir, 'repo-rot');
  const keys = join(dir, 'keys-rot');
  cpSync(fx.repo, repo, { recursive: true });
  cpSync(fx.keys, keys, { recursive: true });
  const h = home();
  assert.is((await runCli(['init', '--home', h, '--repo', repo, '--trust-root', fx.root])).code, 0);
  const oldRoot = readFileSync(join(keys, 'root.key'), 'utf8');
  const evil = join(dir, 'repo-rot-evil');
  cpSync(repo, evil, { recursive: true });
  const r = await runCli(['keygen', '--keys', keys, '--rotate', 'root', '--repo', repo]);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(r.stderr.includes(oldRoot.split('\n')[1]));
  assert.is(readdirSync(join(keys, 'retired')).length, 1);
  assert.is.not(readFileSync(join(keys, 'root.key'), 'utf8'), oldRoot);
  assert.is(statSync(join(keys, 'root.key')).mode & 0o777, 0o600);
  const two = JSON.parse(readFileSync(join(repo, 'metadata/2.root.json'), 'utf8'));
  assert.is(two.signatures.length, 2);
  // A root 2 signed only by a key root 1 never listed.
  const forged = Metadata.fromJSON(MetadataKind.Root, structuredClone(two));
  const foreign = newKey('root');
  forged.signatures = {};
  forged.sign((data) => new Signature({ keyID: foreign.keyId, sig: foreign.sign(data) }));
  writeFileSync(join(evil, 'metadata/2.root.json'), JSON.stringify(forged.toJSON()));
  const before = filesOf(trustOf(h));
  const refused = await runCli(['check', '--home', h, '--repo', evil]);
  assert.is(refused.code, 7, refused.stderr);
  assert.match(refused.stderr.split('\n')[0], /^Error: signature check failed .*root was signed by 0\/1 keys/);
  assert.equal(filesOf(trustOf(h)), before);
  assert.is((await runCli(['check', '--home', h])).code, 10);
  assert.is(version(join(trustOf(h), 'root.json')), 2);
  // The new keys keep publishing: a new level is signed and accepted by the rotated client.
  const p = await runCli(['publish', '--repo', repo, '--product', fx.product, '--level', '4', '--tree', fx.trees[3], '--keys', keys]);
  assert.is(p.code, 0, p.stderr);
  const c = await runCli(['check', '--home', h, '--json']);
  assert.is(c.code, 10, c.stderr);
  assert.is(JSON.parse(c.stdout).latest, 4);
});

test('mirror from a folder: verifies and copies; the copy is a signed repository a pinned client plans from; a tampered source is refused', async () => {
  const to = join(dir, 'mirror');
  const r = await runCli(['mirror', '--from', fx.repo, '--to', to, '--trust-root', fx.root, '--levels', '0..3', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.products[fx.product], [0, 1, 2, 3]);
  assert.ok(out.blobsCopied > 0);
  assert.ok(existsSync(join(to, 'metadata/timestamp.json')));
  assert.is(readFileSync(join(to, 'metadata/timestamp.json'), 'utf8'), readFileSync(join(fx.repo, 'metadata/timestamp.json'), 'utf8'));
  const again = JSON.parse((await runCli(['mirror', '--from', fx.repo, '--to', to, '--trust-root', fx.root, '--json'])).stdout);
  assert.is(again.blobsCopied, 0);
  assert.is(again.blobsPresent, out.blobsCopied);
  const h = home();
  assert.is((await runCli(['init', '--home', h, '--repo', to, '--trust-root', fx.root])).code, 0);
  const plan = await runCli(['plan', '--home', h, '--out', join(dir, 'mirror-plan.json')]);
  assert.is(plan.code, 3, plan.stderr);
  // A partial mirror: only the blobs of levels 2..3.
  const part = JSON.parse((await runCli(['mirror', '--from', fx.repo, '--to', join(dir, 'mirror-part'), '--trust-root', fx.root, '--levels', '2..3', '--json'])).stdout);
  assert.equal(part.products[fx.product], [2, 3]);
  assert.ok(part.blobsCopied < out.blobsCopied);
  const bad = join(dir, 'mirror-src-bad');
  cpSync(fx.repo, bad, { recursive: true });
  const m = JSON.parse(readFileSync(join(bad, `products/${fx.product}/levels/0002/manifest.json`), 'utf8'));
  const [, entry] = Object.entries(m.files as Record<string, { kind: string; sha256: string }>).find(([, e]) => e.kind === 'file')!;
  const blob = join(bad, 'blobs/sha256', entry.sha256.slice(0, 2), entry.sha256);
  const bytes = readFileSync(blob);
  bytes[0] ^= 1;
  writeFileSync(blob, bytes);
  const refused = await runCli(['mirror', '--from', bad, '--to', join(dir, 'mirror-bad'), '--trust-root', fx.root]);
  assert.is(refused.code, 7, refused.stderr);
  assert.match(refused.stderr.split('\n')[0], /does not match its sha256/);
  assert.not.ok(existsSync(join(dir, 'mirror-bad/metadata/timestamp.json')), 'no timestamp names an incomplete copy');
});

test.run();
