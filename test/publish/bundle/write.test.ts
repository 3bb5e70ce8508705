// The bundle writer's buffered sink (issue 22: files read straight into two large buffers, each hashed once and written
// whole) against its edges: sizes at and around the buffers' boundaries give the very bytes node-tar's in-memory
// entries give, a FIFO or a missing blob is refused without hanging and writes nothing, and a read-back that refuses
// publishes nothing, leaving an earlier archive at --out as it was (create-update and create-hotfix alike).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { UpdateError } from '../../../src/core/errors.js';
import { INDEX_FILE } from '../../../src/core/layout.js';
import { FolderTransport } from '../../../src/channel/folder.js';
import { openSigned, writeSignedArchive } from '../../../src/publish/bundle/signed-archive.js';
import { SINK_BYTES } from '../../../src/publish/bundle/archive-sink.js';
import { writeBundle } from '../../../src/publish/bundle/write.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-bundle-write-');
let n = 0;
const fresh = (name: string) => join(dir, `${n++}-${name}`);

async function refused(p: Promise<unknown>, code: string, re: RegExp): Promise<UpdateError> {
  const err = await p.then(() => null, (e: unknown) => e);
  assert.instance(err, UpdateError, `expected a refusal matching ${re}`);
  assert.is((err as UpdateError).code, code, (err as Error).message);
  assert.match((err as Error).message, re);
  return err as UpdateError;
}

test('sizes around the sink\'s buffers: the same bytes as the same files given in memory, each blob verified', async () => {
  const B = SINK_BYTES;
  // 0, the tar block edges, a header that no longer fits, a file that fills a buffer exactly (with and without its
  // header), and files spanning two and three buffers, in an order that puts every edge at a different offset.
  const sizes = [0, 1, 511, 512, 513, B - 512 - 1, B - 512, B - 511, B, B + 1, 2 * B + 7, 1000, B - 1024, 3];
  const repo = fresh('repo');
  const files: Record<string, Buffer> = {};
  sizes.forEach((size, i) => (files[`blobs/f${String(i).padStart(2, '0')}`] = randomBytes(size)));
  for (const [p, data] of Object.entries(files)) {
    mkdirSync(join(repo, p, '..'), { recursive: true });
    writeFileSync(join(repo, p), data);
  }
  const paths = Object.keys(files);
  const expect = new Map(paths.map((p) => [p, { sha256: sha256Hex(files[p]), size: files[p].length, what: `blob ${p}` }]));
  const fromDisk = fresh('disk.tar');
  const written = await writeBundle({ repoDir: repo, paths, out: fromDisk, expect, extra: { 'bundle.json': Buffer.from('{}') } });
  const fromMemory = fresh('memory.tar');
  await writeBundle({ repoDir: '/nonexistent', paths: [], out: fromMemory, extra: { ...files, 'bundle.json': Buffer.from('{}') } });
  const bytes = readFileSync(fromDisk);
  assert.ok(bytes.equals(readFileSync(fromMemory)), 'packed from disk = the same files in memory');
  assert.is(written.sha256, sha256Hex(bytes));
  assert.is(written.bytes, bytes.length);
  assert.is(written.entries, paths.length + 1);
  const x = fresh('x');
  mkdirSync(x);
  execFileSync('tar', ['-xf', fromDisk, '-C', x]);
  for (const p of paths) assert.ok(readFileSync(join(x, p)).equals(files[p]), p);
  // One byte changed in the file that spans three buffers: refused, nothing left beside --out.
  const big = paths[sizes.indexOf(2 * B + 7)];
  const tampered = Buffer.from(files[big]);
  tampered[B + 5] ^= 1;
  writeFileSync(join(repo, big), tampered);
  const out = join(fresh('t'), 'b.tar');
  mkdirSync(join(out, '..'));
  await refused(writeBundle({ repoDir: repo, paths, out, expect }), 'verification', new RegExp(`blob ${big} does not match its sha256`));
  assert.equal(readdirSync(join(out, '..')), []);
});

test('a FIFO in place of a blob is refused at once (never waited on), a missing blob is named: nothing written', async () => {
  const repo = fresh('repo');
  mkdirSync(join(repo, 'blobs'), { recursive: true });
  writeFileSync(join(repo, 'blobs/a'), 'a');
  execFileSync('mkfifo', [join(repo, 'blobs/fifo')]);
  const out = join(fresh('f'), 'b.tar');
  mkdirSync(join(out, '..'));
  await refused(writeBundle({ repoDir: repo, paths: ['blobs/a', 'blobs/fifo'], out }), 'invalid-input', /blobs\/fifo is not a regular file/);
  const expect = new Map([['blobs/gone', { sha256: 'a'.repeat(64), size: 1, what: 'blob aaaa in the repository' }]]);
  const err = await refused(writeBundle({ repoDir: repo, paths: ['blobs/a', 'blobs/gone'], out, expect }), 'not-found', /blob aaaa in the repository is missing/);
  assert.match(err.hint ?? '', /publish the level again/);
  assert.equal(readdirSync(join(out, '..')), []);
});

test('a read-back that refuses publishes nothing: an earlier archive at --out keeps its bytes, no temporary file is left', async () => {
  const fx = buildFixtures(fresh('fx')) as { repo: string; root: string; product: string };
  const out = join(fresh('o'), 'b.tar');
  mkdirSync(join(out, '..'));
  writeFileSync(out, 'an earlier bundle');
  const source = new FolderTransport(fx.repo);
  const from = await openSigned(source, readFileSync(fx.root));
  await from.repo.index();
  let seen = '';
  const input = { source, from, out, targets: [INDEX_FILE], blobs: new Map<string, number>() };
  const verify = async (written: string) => {
    seen = written;
    assert.ok(existsSync(written), 'the archive is read back where it was written');
    throw new UpdateError('verification', 'the archive does not read back');
  };
  await refused(writeSignedArchive({ ...input, verify }), 'verification', /does not read back/);
  assert.is.not(seen, out, 'read back before it takes the name --out');
  assert.is(readFileSync(out, 'utf8'), 'an earlier bundle');
  assert.equal(readdirSync(join(out, '..')), ['b.tar']);
  // The same input with a read-back that passes replaces it.
  const written = await writeSignedArchive({ ...input, verify: async () => undefined });
  assert.is(written.sha256, sha256Hex(readFileSync(out)));
  assert.equal(readdirSync(join(out, '..')), ['b.tar']);
});

test.run();
