// What create-update reads of a manifest (publish/bundle/needed.ts, issue 22: only what picks the blobs is checked
// there, the rest by whoever applies the bundle). Hostile manifests, each signed by the channel's own keys (so only
// these checks can tell): one whose entries would name a blob outside the blob store, or a bad size, or another
// level, is refused by create-update with nothing written; one that only the full check refuses (a path out of the
// pack) makes a bundle, which apply-update then refuses with the pack exactly as before.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { UpdateError } from '../../../src/core/errors.js';
import { loadKeys } from '../../../src/publish/keys.js';
import { signRepository } from '../../../src/publish/sign.js';
import { blobsNeeded, neededManifest } from '../../../src/publish/bundle/needed.js';
import { refusedCleanly } from '../../helpers/refusal.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

type Fx = { repo: string; keys: string; root: string; product: string };
const dir = tmpDir('wso2update-bundle-needed-');
let n = 0;
const fresh = (name: string) => join(dir, `${n++}-${name}`);

const SHA = 'a'.repeat(64);
const good = (files: unknown, extra: Record<string, unknown> = {}) => Buffer.from(JSON.stringify({ formatVersion: 1, product: 'wso2am-4.2.0', level: 3, files, ...extra }));
const read = (bytes: Buffer, level = 3) => neededManifest(bytes, `repo/m${level}.json`, 'wso2am-4.2.0', level);
/** The blobs an update from a level shipping `base` to one shipping `target` needs. */
const needs = (target: unknown, base: unknown = {}) => blobsNeeded([read(good(base, { level: 2 }), 2), read(good(target))]);

function refusal(fn: () => unknown, code: string, re: RegExp): void {
  let err: unknown = null;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  assert.instance(err, UpdateError, `expected a refusal matching ${re}`);
  assert.is((err as UpdateError).code, code, (err as Error).message);
  assert.match((err as Error).message, re);
}

test('a manifest is read as far as create-update uses it; anything that would mislead it is refused, naming the file and entry', () => {
  const file = { kind: 'file', sha256: SHA, size: 3, mode: '0644' };
  assert.equal([...needs({ 'a/b.jar': file, 'a/l': { kind: 'symlink', target: 'b.jar' } })], [[SHA, 3]]);
  const bad: Array<[string, () => unknown, string, RegExp]> = [
    ['cut short', () => read(good({}).subarray(0, 20)), 'invalid-input', /^repo\/m3\.json: not valid JSON/],
    ['not JSON at all', () => read(Buffer.from('\u0000\u0001')), 'invalid-input', /not valid JSON/],
    ['an array', () => read(Buffer.from('[]')), 'invalid-input', /not a manifest/],
    ['null', () => read(Buffer.from('null')), 'invalid-input', /not a manifest/],
    ['files missing', () => read(Buffer.from('{"product":"wso2am-4.2.0","level":3}')), 'invalid-input', /no "files" object/],
    ['files an array', () => read(good([])), 'invalid-input', /no "files" object/],
    ['another level', () => read(good({}, { level: 2 })), 'verification', /describes "wso2am-4\.2\.0" level "2", not wso2am-4\.2\.0 level 3/],
    ['the level as a string', () => read(good({}, { level: '3' })), 'verification', /not wso2am-4\.2\.0 level 3/],
    ['another product', () => read(good({}, { product: 'wso2is-7.0.0' })), 'verification', /describes "wso2is-7\.0\.0"/],
    // Any entry, changed or not: comparing two levels reads each one.
    ['an entry null, unchanged', () => needs({ x: null }, { x: null }), 'invalid-input', /^repo\/m2\.json: the entry of "x" is not a file/],
    ['an entry null in the target', () => read(good({ x: null })), 'invalid-input', /^repo\/m3\.json: the entry of "x" is not a file/],
    ['an entry a string', () => read(good({ x: 'file' })), 'invalid-input', /"x"/],
    // Entries that pick a blob: a changed path's, on either side.
    ['a folder entry', () => needs({ x: { kind: 'dir' } }), 'invalid-input', /"x"/],
    ['no kind', () => needs({ x: { sha256: SHA, size: 1 } }), 'invalid-input', /"x"/],
    ['a sha256 that climbs out of the blob store', () => needs({ x: { kind: 'file', sha256: `../../../../etc/${'a'.repeat(49)}`, size: 1 } }), 'invalid-input', /"x"/],
    ['the same, on the base side of a changed path', () => needs({ x: file }, { x: { kind: 'file', sha256: `../${'a'.repeat(61)}`, size: 1 } }), 'invalid-input', /^repo\/m2\.json: the entry of "x"/],
    ['an upper-case sha256', () => needs({ x: { kind: 'file', sha256: SHA.toUpperCase(), size: 1 } }), 'invalid-input', /"x"/],
    ['a sha256 one short', () => needs({ x: { kind: 'file', sha256: SHA.slice(1), size: 1 } }), 'invalid-input', /"x"/],
    ['a sha256 with a newline after it', () => needs({ x: { kind: 'file', sha256: `${SHA}\n`, size: 1 } }), 'invalid-input', /"x"/],
    ['no sha256', () => needs({ x: { kind: 'file', size: 1 } }), 'invalid-input', /"x"/],
    ['a negative size', () => needs({ x: { kind: 'file', sha256: SHA, size: -1 } }), 'invalid-input', /"x"/],
    ['a fractional size', () => needs({ x: { kind: 'file', sha256: SHA, size: 1.5 } }), 'invalid-input', /"x"/],
    ['a size past 2^53', () => needs({ x: { kind: 'file', sha256: SHA, size: 2 ** 60 } }), 'invalid-input', /"x"/],
    ['a size as a string', () => needs({ x: { kind: 'file', sha256: SHA, size: '1' } }), 'invalid-input', /"x"/],
    ['a hostile 5,000-character path, quoted cut short', () => read(good({ ['p'.repeat(5000)]: null })), 'invalid-input', /"p{200}"\.\.\. \(5000 characters\)/],
  ];
  for (const [what, fn, code, re] of bad) {
    try {
      refusal(fn, code, re);
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`);
    }
  }
});

test('a "__proto__" or "constructor" path is only a path: no entry is read off a prototype', () => {
  const proto = `"__proto__":{"kind":"file","sha256":"${SHA}","size":7,"mode":"0644"}`;
  const target = read(Buffer.from(`{"formatVersion":1,"product":"wso2am-4.2.0","level":3,"files":{${proto}}}`));
  const base = read(good({ constructor: { kind: 'symlink', target: 'x' } }, { level: 2 }), 2);
  assert.equal([...blobsNeeded([base, target])], [[SHA, 7]]);
  const fake = read(Buffer.from(`{"formatVersion":1,"product":"wso2am-4.2.0","level":3,"files":{${proto.replace('"kind":"file"', '"kind":"toString"')}}}`));
  refusal(() => blobsNeeded([base, fake]), 'invalid-input', /"__proto__"/);
});

// The CLI: a copy of the signed fixtures whose level-3 manifest is changed and signed again by the channel's keys.
const fx = buildFixtures(join(dir, 'fx')) as Fx;
const keys = await loadKeys(fx.keys);
const MANIFEST = `products/${fx.product}/levels/0003/manifest.json`;

async function signedWith(change: (files: Record<string, any>) => void): Promise<string> {
  const repo = fresh('repo');
  cpSync(fx.repo, repo, { recursive: true });
  const m = JSON.parse(readFileSync(join(repo, MANIFEST), 'utf8'));
  change(m.files);
  const bytes = Buffer.from(JSON.stringify(m));
  writeFileSync(join(repo, MANIFEST), bytes);
  const index = JSON.parse(readFileSync(join(repo, 'index.json'), 'utf8'));
  index.products[fx.product].levels['3'].manifest = sha256Hex(bytes);
  writeFileSync(join(repo, 'index.json'), JSON.stringify(index, null, 2));
  await signRepository(repo, keys, { now: new Date() });
  return repo;
}

/** create-update from `repo` into an empty folder: its exit, stderr and what the folder then holds. */
async function createUpdate(repo: string): Promise<{ code: number; stderr: string; left: string[]; out: string }> {
  const folder = fresh('out');
  mkdirSync(folder);
  const out = join(folder, 'b.tar');
  const r = await runCli(['create-update', '--repo', repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '3', '--out', out]);
  return { code: r.code, stderr: r.stderr, left: readdirSync(folder), out };
}

/** A level-3 path whose entry differs from level 0's (so its blob goes into the bundle). */
function changedFile(files: Record<string, any>): string {
  const base = JSON.parse(readFileSync(join(fx.repo, `products/${fx.product}/levels/0000/manifest.json`), 'utf8')).files;
  return Object.keys(files).find((p) => files[p].kind === 'file' && files[p].sha256 !== base[p]?.sha256)!;
}

test('create-update refuses a signed manifest whose entry names no blob (a climbing sha256) or a bad size: exit 1, nothing at --out or beside it', async () => {
  for (const [what, change] of [
    ['a sha256 that climbs out of the blob store', (e: any) => (e.sha256 = `../../../../../../etc/${'0'.repeat(43)}`)],
    ['a negative size', (e: any) => (e.size = -5)],
  ] as const) {
    let path = '';
    const r = await createUpdate(await signedWith((files) => change(files[(path = changedFile(files))])));
    assert.is(r.code, 1, `${what}\n${r.stderr}`);
    assert.match(r.stderr, new RegExp(`manifest\\.json: the entry of "${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not a file \\(sha256, size\\) or a symlink`), r.stderr);
    assert.equal(r.left, [], `${what}: something was left beside --out`);
  }
});

test('a signed manifest only the full check refuses (a path out of the pack) makes a bundle, and apply-update refuses it, the pack as before', async () => {
  const repo = await signedWith((files) => {
    files['../outside.txt'] = files[changedFile(files)];
  });
  const r = await createUpdate(repo);
  assert.is(r.code, 0, r.stderr);
  const home = writeHome(fresh('home'));
  // Adopted from that channel, the pack has already verified its signed metadata: the refusal is the manifest's alone.
  const init = await runCli(['init', '--home', home, '--repo', repo, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  await refusedCleanly(home, ['apply-update', r.out, '--yes'], 1, /manifest\.json.*\.\.\/outside\.txt/, fresh('tmp'));
});

test.run();
