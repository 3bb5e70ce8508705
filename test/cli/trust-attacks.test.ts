// Every attack the update channel must refuse, against a signed repository in a folder (the FolderTransport): each
// exits 7 with a one-line reason, writes no plan, and leaves the pack's trusted metadata byte for byte as it was.
// The client trusts timestamp v5 / snapshot v4 / targets v4; the publisher's next legitimate state is v6 / v5 / v5.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildFixtures, writeHome } from '../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../src/core/canonical.js';
import { loadKeys, newKey } from '../../src/io/keys.js';
import { hashedRel } from '../../src/io/trust/layout.js';
import { signRepository } from '../../src/io/trust/sign.js';
import { copyRepo, filesOf, md, snapshotFor, timestampFor } from '../helpers/tuf-evil.js';
import { runCli, tmpDir } from '../helpers/tmp.js';

const dir = tmpDir('wso2update-trust-attacks-');
const fx = buildFixtures(join(dir, 'fx')) as { repo: string; keys: string; root: string; product: string; trees: Record<number, string>; notes: Record<number, string> };
const keys = await loadKeys(fx.keys);
const PRODUCT = fx.product;
const ok = async (args: string[], code = 0) => {
  const r = await runCli(args);
  assert.is(r.code, code, `${args.join(' ')}\n${r.stderr}`);
  return r;
};

const oldTimestamp = md(fx.repo, 'timestamp.json'); // v4
await ok(['publish', '--repo', fx.repo, '--keys', fx.keys, '--refresh-timestamp']); // v5
const home = writeHome(join(dir, 'home'), { customize: true });
await ok(['init', '--home', home, '--repo', fx.repo, '--trust-root', fx.root]);
const trust = join(home, 'updates/wso2update/trust');
const next = copyRepo(fx.repo, join(dir, 'next'));
await ok(['publish', '--repo', next, '--product', PRODUCT, '--level', '3', '--tree', fx.trees[3], '--notes', fx.notes[3], '--keys', fx.keys]);

const indexHashed = (repo: string) => join(repo, hashedRel('index.json', sha256Hex(readFileSync(join(repo, 'index.json')))));
const levelFile = (repo: string, level: number, name: 'manifest.json' | 'descriptor.yaml') => {
  const rel = `products/${PRODUCT}/levels/${String(level).padStart(4, '0')}/${name}`;
  return join(repo, hashedRel(rel, sha256Hex(readFileSync(join(repo, rel)))));
};
/** Changes bytes in place, keeping the length (so only the hash can tell). */
const flip = (file: string, from: RegExp, to: string) => {
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text || changed.length !== text.length) throw new Error(`flip did nothing to ${file}`);
  writeFileSync(file, changed);
};

let n = 0;
const attacks: Array<[string, (evil: string) => Promise<void> | void, RegExp, string?]> = [
  ['tampered index', (e) => {
    const text = readFileSync(indexHashed(e), 'utf8');
    const at = text.indexOf('"manifest": "') + '"manifest": "'.length;
    flip(indexHashed(e), new RegExp(`^([\\s\\S]{${at}}).`), `$1${text[at] === '0' ? '1' : '0'}`);
  }, /index.*does not match its signed sha256/],
  ['tampered manifest', (e) => flip(levelFile(e, 3, 'manifest.json'), /"mode":"0644"/, '"mode":"0600"'), /manifest of .* level 3 .*does not match its signed sha256/],
  ['tampered descriptor', (e) => flip(levelFile(e, 1, 'descriptor.yaml'), /Gateway/, 'Gatewax'), /descriptor of .* level 1 .*does not match its signed sha256/],
  ['tampered blob', (e) => {
    const m = JSON.parse(readFileSync(join(e, `products/${PRODUCT}/levels/0003/manifest.json`), 'utf8'));
    const sha = m.files['repository/conf/deployment.toml'].sha256 as string;
    const blob = join(e, 'blobs/sha256', sha.slice(0, 2), sha);
    const bytes = readFileSync(blob);
    bytes[0] ^= 1; // same size: only the sha256 can tell
    writeFileSync(blob, bytes);
  }, /blob [0-9a-f]{64} does not match its sha256/],
  ['tampered blob, longer than the manifest says', (e) => {
    const m = JSON.parse(readFileSync(join(e, `products/${PRODUCT}/levels/0003/manifest.json`), 'utf8'));
    const sha = m.files['repository/conf/deployment.toml'].sha256 as string;
    appendFileSync(join(e, 'blobs/sha256', sha.slice(0, 2), sha), 'x'.repeat(100_000));
  }, /blobs\/sha256\/.* is larger than allowed \(103494 bytes, at most \d+\)/],
  ['rollback: an older timestamp', (e) => writeFileSync(join(e, 'metadata/timestamp.json'), oldTimestamp), /^rollback refused: New timestamp version 4 is less than current version 5/, 'repo'],
  ['rollback: a timestamp naming an older snapshot', (e) => timestampFor(e, 7, 3, md(e, '3.snapshot.json'), keys.timestamp), /^rollback refused: New snapshot version 3 is less than current version 4/],
  ['rollback: a snapshot naming older targets', (e) => {
    const snap = snapshotFor(e, 6, 3, md(e, '3.targets.json'), keys.snapshot);
    timestampFor(e, 7, 6, snap, keys.timestamp);
  }, /^rollback refused: New version 3 of targets\.json is less than current version 4/],
  ['freeze: expired metadata', async (e) => {
    await ok(['publish', '--repo', e, '--keys', fx.keys, '--refresh-timestamp', '--timestamp-expiry', '1s']);
    await sleep(2100);
  }, /^expired signed metadata .*timestamp\.json is expired/],
  ['mix-and-match: the snapshot names other targets', (e) => writeFileSync(join(e, 'metadata/5.targets.json'), md(e, '4.targets.json')), /^signed metadata does not match the length or hash its parent names/],
  ['a signature by a key the root does not list', (e) => timestampFor(e, 7, 5, md(e, '5.snapshot.json'), newKey('timestamp')), /^signature check failed .*timestamp was signed by 0\/1 keys/],
  ['endless data: a timestamp larger than any allowed', (e) => appendFileSync(join(e, 'metadata/timestamp.json'), ' '.repeat(20_000)), /timestamp\.json is larger than allowed \(\d+ bytes, at most 16384\)/],
  ['endless data: a snapshot larger than its signed length', (e) => appendFileSync(join(e, 'metadata/5.snapshot.json'), ' '), /5\.snapshot\.json is larger than allowed/],
  ['endless data: a manifest larger than its signed length', (e) => appendFileSync(levelFile(e, 3, 'manifest.json'), 'x'.repeat(1 << 20)), /manifest\.json is larger than allowed/],
  ['a signed manifest naming another level than asked', async (e) => {
    // The publisher's own keys sign it: only the level check in the repository can tell.
    const rel = (l: number, f: string) => join(e, `products/${PRODUCT}/levels/000${l}/${f}`);
    const index = JSON.parse(readFileSync(join(e, 'index.json'), 'utf8'));
    rmSync(rel(3, 'manifest.json'));
    cpSync(rel(2, 'manifest.json'), rel(3, 'manifest.json'));
    index.products[PRODUCT].levels['3'].manifest = index.products[PRODUCT].levels['2'].manifest;
    writeFileSync(join(e, 'index.json'), JSON.stringify(index, null, 2));
    await signRepository(e, keys, { now: new Date() });
  }, /describes wso2am-4\.2\.0 level 2, not wso2am-4\.2\.0 level 3/],
  ['an unsigned repository', (e) => rmSync(join(e, 'metadata'), { recursive: true }), /^the repository is not signed: it has no metadata\/timestamp\.json/],
];

for (const [name, mutate, reason, from] of attacks) {
  test(`refused with exit 7, a one-line reason and the trusted state unchanged: ${name}`, async () => {
    const evil = copyRepo(from === 'repo' ? fx.repo : next, join(dir, `evil-${n++}`));
    await mutate(evil);
    // Blobs a refused plan had already verified stay in the pack's cache (and would be used instead of the
    // repository's copy): empty it so every attack meets the repository's bytes.
    rmSync(join(home, 'updates/wso2update/cache'), { recursive: true, force: true });
    const before = filesOf(trust);
    const state = readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8');
    const out = join(dir, `plan-${n}.json`);
    const r = await runCli(['plan', '--home', home, '--repo', evil, '--out', out]);
    assert.is(r.code, 7, `${name}: exit ${r.code}\n${r.stderr}`);
    const first = r.stderr.split('\n')[0];
    assert.match(first, /^Error: /);
    assert.match(first.slice('Error: '.length), reason, `${name}: ${first}`);
    assert.equal(filesOf(trust), before, `${name}: trusted metadata changed`);
    assert.is(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'), state);
    assert.not.ok(existsSync(out), `${name}: a plan was written`);
  });
}

test('after all that, the publisher\'s real next state is accepted and becomes the trusted state', async () => {
  const before = filesOf(trust);
  const r = await runCli(['plan', '--home', home, '--repo', next, '--out', join(dir, 'plan-next.json')]);
  assert.is(r.code, 3, r.stderr); // the fixtures' plan holds conflicts
  const ts = JSON.parse(readFileSync(join(trust, 'timestamp.json'), 'utf8'));
  assert.is(ts.signed.version, 6);
  assert.is(JSON.parse(readFileSync(join(trust, 'targets.json'), 'utf8')).signed.version, 5);
  assert.not.equal(filesOf(trust), before);
  const again = await runCli(['check', '--home', home, '--repo', fx.repo]);
  assert.is(again.code, 7, 'the older repository is now a rollback');
  assert.match(again.stderr, /rollback refused/);
});

test.run();
