// The bundle module alone: the writer is deterministic and refuses what a bundle must not hold; the reader serves a
// bundle as a Transport (reads, verified fetches, caps) and a signed repository bundled whole verifies through
// openRepository like its folder; the hostile-archive corpus is refused at open, leaving its staging folder empty.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, cpSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildFixtures } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { UpdateError } from '../../../src/core/errors.js';
import { openBundle } from '../../../src/channel/bundle/transport.js';
import { writeBundle } from '../../../src/publish/bundle/write.js';
import { openRepository } from '../../../src/channel/open.js';
import { headerBlock, hostileArchives } from '../../helpers/hostile-tar.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-bundle-');
let n = 0;
const fresh = (name: string) => join(dir, `${n++}-${name}`);

function repoTree(): { repo: string; paths: string[] } {
  const repo = fresh('repo');
  const files: Record<string, string> = {
    'index.json': '{"formatVersion":1}',
    'blobs/sha256/ab/abc': 'blob one',
    'blobs/sha256/0f/0ff': '',
    [`products/wso2am-4.2.0/levels/0001/${'e'.repeat(64)}.manifest.json`]: '{"long":"name over 100 characters, split into the ustar prefix"}',
    [`deep/${'d'.repeat(120)}/${'f'.repeat(150)}.json`]: 'a path longer than any ustar header holds: a pax header',
  };
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(repo, p, '..'), { recursive: true });
    writeFileSync(join(repo, p), text);
  }
  return { repo, paths: Object.keys(files) };
}

async function refused(p: Promise<unknown>, code: string, re: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  assert.instance(err, UpdateError, `expected a refusal matching ${re}`);
  assert.is((err as UpdateError).code, code, (err as Error).message);
  assert.match((err as Error).message, re);
}

test('same inputs, same bytes: sorted entries, portable headers, one mtime, mode 0644, whatever the disk says', async () => {
  const { repo, paths } = repoTree();
  const a = fresh('a.tar');
  const extra = { 'bundle.json': Buffer.from('{"k":1}'), [`mem/${'m'.repeat(200)}/${'n'.repeat(120)}`]: Buffer.from('in memory, long name') };
  const first = await writeBundle({ repoDir: repo, paths, out: a, extra });
  // The disk changes in everything a bundle must not depend on: mtimes, modes, the order the paths are given in.
  for (const p of paths) { utimesSync(join(repo, p), new Date(), new Date(2020, 1, 1)); chmodSync(join(repo, p), 0o755); }
  const b = fresh('b.tar');
  const second = await writeBundle({ repoDir: repo, paths: [...paths].reverse(), out: b, extra });
  assert.ok(readFileSync(a).equals(readFileSync(b)));
  assert.equal(second, first);
  assert.is(first.sha256, sha256Hex(readFileSync(a)));
  assert.is(first.entries, paths.length + 2);
  const listing = execFileSync('tar', ['-tvf', a], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n');
  assert.equal(listing.map((l) => l.split(/\s+/).slice(5).join(' ')), [...paths, ...Object.keys(extra)].sort());
  for (const l of listing) assert.match(l, /^-rw-r--r-- 0\/0 .* 2000-01-01 00:00 /);
  // GNU tar reads it back byte for byte (the headers are standard).
  const out = fresh('x');
  mkdirSync(out);
  execFileSync('tar', ['-xf', a, '-C', out]);
  for (const p of paths) assert.ok(readFileSync(join(out, p)).equals(readFileSync(join(repo, p))), p);
  for (const [p, data] of Object.entries(extra)) assert.ok(readFileSync(join(out, p)).equals(data), p);
  const back = await openBundle(a);
  for (const [p, data] of Object.entries(extra)) assert.ok((await back.read(p)).equals(data), p);
  await back.close();
});

test('the writer refuses links, missing files, unsafe names and case twins, writing nothing', async () => {
  const { repo, paths } = repoTree();
  symlinkSync('index.json', join(repo, 'link.json'));
  mkdirSync(join(repo, 'adir'));
  const cases: Array<[string[], RegExp]> = [
    [[...paths, 'link.json'], /link\.json is not a regular file/],
    [[...paths, 'adir'], /adir is not a regular file/],
    [[...paths, 'nope'], /nope is missing/],
    [[...paths, '../outside'], /"\.\." segment/],
    [[...paths, '/etc/passwd'], /is absolute/],
    [[...paths, 'INDEX.json'], /twice/],
    [[...paths, 'index.json'], /twice/],
  ];
  const out = join(fresh('w'), 'b.tar');
  mkdirSync(join(out, '..'));
  for (const [list, re] of cases) {
    await refused(writeBundle({ repoDir: repo, paths: list, out }), /twice|regular|missing/.test(re.source) ? 'invalid-input' : 'hostile-path', re);
    assert.equal(readdirSync(join(out, '..')), []);
  }
});

test('files are verified as they are packed (one read each, issue 22): other bytes or another size write nothing', async () => {
  const { repo, paths } = repoTree();
  const out = join(fresh('e'), 'b.tar');
  mkdirSync(join(out, '..'));
  const blob = 'blobs/sha256/ab/abc';
  const expect = (sha256: string, size: number) => new Map([[blob, { sha256, size, what: `blob ${blob}` }]]);
  // Right bytes: the same archive as without the check, and the digest returned is the written file's.
  const plain = await writeBundle({ repoDir: repo, paths, out });
  const bytes = readFileSync(out);
  assert.is(plain.sha256, sha256Hex(bytes));
  assert.is(plain.bytes, bytes.length);
  const checked = await writeBundle({ repoDir: repo, paths, out, expect: expect(sha256Hex('blob one'), 8) });
  assert.equal(checked, plain);
  assert.ok(readFileSync(out).equals(bytes));
  const empty = join(fresh('e'), 'b.tar');
  mkdirSync(join(empty, '..'));
  await refused(writeBundle({ repoDir: repo, paths, out: empty, expect: expect(sha256Hex('blob two'), 8) }), 'verification', /blob blobs\/sha256\/ab\/abc does not match its sha256/);
  await refused(writeBundle({ repoDir: repo, paths, out: empty, expect: expect(sha256Hex('blob one!'), 9) }), 'verification', /has 8 bytes, not the 9/);
  assert.equal(readdirSync(join(empty, '..')), [], 'neither the bundle nor its temporary sibling');
});

test('an interrupted write leaves neither the bundle nor its temporary sibling', async () => {
  const { repo, paths } = repoTree();
  const out = join(fresh('i'), 'b.tar');
  mkdirSync(join(out, '..'));
  const ac = new AbortController();
  ac.abort();
  await refused(writeBundle({ repoDir: repo, paths, out, signal: ac.signal }), 'interrupted', /interrupted while writing/);
  assert.equal(readdirSync(join(out, '..')), []);
});

test('two names of one inode are both stored as regular files (never a hard-link entry)', async () => {
  const { repo, paths } = repoTree();
  linkSync(join(repo, 'index.json'), join(repo, 'index-copy.json'));
  const out = fresh('l.tar');
  await writeBundle({ repoDir: repo, paths: [...paths, 'index-copy.json'], out });
  const b = await openBundle(out);
  assert.ok((await b.read('index-copy.json')).equals(await b.read('index.json')));
  await b.close();
});

test('the reader: entries, reads within caps, fetches checked by size and sha256 (a mismatch leaves no file)', async () => {
  const { repo, paths } = repoTree();
  const out = fresh('r.tar');
  await writeBundle({ repoDir: repo, paths, out });
  const b = await openBundle(out);
  assert.equal(b.entries().map((e) => e.path), [...paths].sort());
  for (const p of paths) assert.ok((await b.read(p)).equals(readFileSync(join(repo, p))), p);
  await refused(b.read('blobs/sha256/ab/abc', { maxBytes: 3 }), 'verification', /larger than allowed \(8 bytes, at most 3\)/);
  await refused(b.read('not/there'), 'not-found', /not in the bundle/);
  const dest = fresh('fetched');
  await b.fetchTo('blobs/sha256/ab/abc', dest, { size: 8, sha256: sha256Hex('blob one') });
  assert.is(readFileSync(dest, 'utf8'), 'blob one');
  await b.fetchTo('blobs/sha256/0f/0ff', fresh('empty'), { size: 0, sha256: sha256Hex('') });
  const bad = fresh('bad');
  await refused(b.fetchTo('blobs/sha256/ab/abc', bad, { size: 8, sha256: sha256Hex('other') }), 'verification', /does not match its sha256/);
  assert.not.ok(existsSync(bad));
  await refused(b.fetchTo('blobs/sha256/ab/abc', bad, { size: 9, sha256: sha256Hex('blob one') }), 'verification', /has 8 bytes, not the 9/);
  assert.not.ok(existsSync(bad));
  const ac = new AbortController();
  ac.abort();
  await refused(b.fetchTo('blobs/sha256/ab/abc', bad, { size: 8, sha256: sha256Hex('blob one'), signal: ac.signal }), 'interrupted', /interrupted/);
  await b.close();
});

test('fetches in pieces (issue 22): sizes around the 1 MiB piece copy exactly; Ctrl-C between pieces, a bundle cut short under the reader, or a destination already there leave nothing of theirs', async () => {
  const repo = fresh('repo');
  const PIECE = 1 << 20;
  const blobs: Record<string, Buffer> = {};
  for (const size of [PIECE - 1, PIECE, PIECE + 1, 3 * PIECE + 17]) blobs[`blobs/${size}`] = Buffer.from(Array.from({ length: size }, (_, i) => (i * 31 + size) & 0xff));
  for (const [p, bytes] of Object.entries(blobs)) {
    mkdirSync(join(repo, p, '..'), { recursive: true });
    writeFileSync(join(repo, p), bytes);
  }
  const out = fresh('pieces.tar');
  await writeBundle({ repoDir: repo, paths: Object.keys(blobs), out });
  const b = await openBundle(out);
  for (const [p, bytes] of Object.entries(blobs)) {
    const dest = fresh('piece');
    let counted = 0;
    await b.fetchTo(p, dest, { size: bytes.length, sha256: sha256Hex(bytes), sync: true, onBytes: (k) => (counted += k) });
    assert.ok(readFileSync(dest).equals(bytes), p);
    assert.is(counted, bytes.length, `${p}: progress counts every byte once`);
  }
  const big = `blobs/${3 * PIECE + 17}`;
  const want = { size: blobs[big].length, sha256: sha256Hex(blobs[big]) };
  // Ctrl-C after the first piece: the fetch stops at the next one, and its partial file is removed.
  const ac = new AbortController();
  const stopped = fresh('stopped');
  await refused(b.fetchTo(big, stopped, { ...want, signal: ac.signal, onBytes: () => ac.abort() }), 'interrupted', /interrupted/);
  assert.not.ok(existsSync(stopped), 'a partial file was left');
  // A destination that exists is never overwritten, nor removed: it is not this fetch's.
  const taken = fresh('taken');
  writeFileSync(taken, 'someone else\'s');
  const err = await b.fetchTo(big, taken, want).then(() => null, (e: NodeJS.ErrnoException) => e);
  assert.is(err?.code, 'EEXIST');
  assert.is(readFileSync(taken, 'utf8'), 'someone else\'s');
  // The bundle cut short while open (the walk saw it whole): refused as changed, nothing left.
  execFileSync('truncate', ['-s', String(readFileSync(out).length - 2 * PIECE), out]);
  const cut = fresh('cut');
  await refused(b.fetchTo(big, cut, want), 'verification', /changed while it was read/);
  assert.not.ok(existsSync(cut), 'a partial file was left');
  await b.close();
});

test('a gzip bundle is decompressed into a private staging folder that close() removes; without one it is refused', async () => {
  const { repo, paths } = repoTree();
  const tar = fresh('g.tar');
  await writeBundle({ repoDir: repo, paths, out: tar });
  const gz = fresh('g.tar.gz');
  writeFileSync(gz, gzipSync(readFileSync(tar)));
  const staging = fresh('staging');
  mkdirSync(staging);
  const b = await openBundle(gz, { stagingDir: staging });
  assert.is(readdirSync(staging).length, 1);
  assert.ok((await b.read('index.json')).equals(readFileSync(join(repo, 'index.json'))));
  await b.close();
  assert.equal(readdirSync(staging), []);
  await refused(openBundle(gz), 'verification', /no staging folder/);
});

test('a signed repository bundled whole verifies through openRepository with the pinned root, like its folder', async () => {
  const fx = buildFixtures(fresh('fx')) as { repo: string; root: string; product: string };
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [relative(fx.repo, join(d, e.name))]));
  const out = fresh('signed.tar');
  await writeBundle({ repoDir: fx.repo, paths: walk(fx.repo), out });
  const trust = (name: string) => { const t = fresh(name); mkdirSync(t); cpSync(fx.root, join(t, 'root.json')); return t; };
  const fromBundle = await openRepository(out, { trustDir: trust('tb') });
  const fromFolder = await openRepository(fx.repo, { trustDir: trust('tf') });
  assert.equal(await fromBundle.levels(fx.product), await fromFolder.levels(fx.product));
  const last = (await fromFolder.levels(fx.product)).at(-1)!;
  assert.equal(await fromBundle.manifest(fx.product, last), await fromFolder.manifest(fx.product, last));
  assert.equal(await fromBundle.descriptor(fx.product, last), await fromFolder.descriptor(fx.product, last));
  const [path, entry] = Object.entries((await fromBundle.manifest(fx.product, last)).manifest.files).find(([, e]) => e.kind === 'file')!;
  if (entry.kind !== 'file') throw new Error(path);
  assert.is(sha256Hex(await fromBundle.readBlob(entry.sha256, entry.size)), entry.sha256);
  await fromBundle.close();
  await fromFolder.close();
});

test('caps: entries, bytes per entry, bytes in all, and a sparse 9 GiB entry over the default per-entry cap', async () => {
  const { repo, paths } = repoTree();
  const out = fresh('caps.tar');
  await writeBundle({ repoDir: repo, paths, out });
  await refused(openBundle(out, { limits: { maxEntries: 3 } }), 'verification', /more than 3 entries/);
  await refused(openBundle(out, { limits: { maxEntryBytes: 10 } }), 'verification', /declares \d+ bytes \(at most 10 per entry\)/);
  await refused(openBundle(out, { limits: { maxTotalBytes: 60 } }), 'verification', /more than 60 bytes of data in all/);
  const sparse = fresh('sparse.tar');
  const fd = openSync(sparse, 'w');
  const size = 9 * 2 ** 30;
  writeSync(fd, headerBlock({ path: 'blobs/huge', type: '0', size }), 0, 512, 0);
  writeSync(fd, Buffer.alloc(1024), 0, 1024, 512 + size); // the end marker after 9 GiB of holes
  closeSync(fd);
  await refused(openBundle(sparse), 'verification', /declares 9663676416 bytes \(at most 8589934592 per entry\)/);
});

const corpus = hostileArchives();
test(`the hostile-archive corpus (${corpus.length} cases) is refused at open, naming the reason, staging left empty`, async () => {
  assert.ok(corpus.length >= 40, `${corpus.length} cases`);
  const staging = fresh('staging');
  mkdirSync(staging);
  for (const c of corpus) {
    const file = fresh('hostile.tar');
    writeFileSync(file, c.bytes());
    const err = await openBundle(file, { stagingDir: staging }).then(async (b) => { await b.close(); return null; }, (e: unknown) => e);
    assert.instance(err, UpdateError, `${c.name}: not refused`);
    assert.is((err as UpdateError).code, 'verification', `${c.name}: ${(err as Error).message}`);
    assert.match((err as Error).message, c.refusal, c.name);
    assert.match((err as UpdateError).hint ?? '', /nothing was changed/i, c.name);
    assert.equal(readdirSync(staging), [], c.name);
  }
});

test('a FIFO named as the bundle is refused at once, a missing bundle is not-found', async () => {
  const fifo = fresh('fifo.tar');
  execFileSync('mkfifo', [fifo]);
  await refused(openBundle(fifo), 'verification', /not a regular file/);
  await refused(openBundle(fresh('missing.tar')), 'not-found', /does not exist/);
});

test.run();
