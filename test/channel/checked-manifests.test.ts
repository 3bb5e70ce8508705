// Verdicts on checked manifests (channel/checked-manifests.ts), on a real published repository: a manifest is checked in
// full once per pack and then only parsed, with the same result and the same warnings; a verdict stands only for the
// bytes (sha256) and the checks it names, and anything else found where a verdict should be (forged for other bytes,
// from other checks, truncated, huge, a FIFO, a symlink, a folder) is ignored: the manifest is checked in full again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../../src/core/canonical.js';
import { UpdateError } from '../../src/core/errors.js';
import { CheckedManifests } from '../../src/channel/checked-manifests.js';
import { publish } from '../../src/publish/level.js';
import { openRepository } from '../../src/channel/open.js';
import { PRODUCT } from '../helpers/pack.js';
import { tamperManifest } from '../helpers/hostile-repo.js';
import { tmpDir } from '../helpers/tmp.js';

const manifestFile = (repo: string, level: number) => join(repo, 'products', PRODUCT, 'levels', String(level).padStart(4, '0'), 'manifest.json');
const digestOfFile = (repo: string, level: number) => sha256Hex(readFileSync(manifestFile(repo, level)));

async function published(): Promise<string> {
  const tree = tmpDir('checked-tree');
  mkdirSync(join(tree, 'lib'));
  writeFileSync(join(tree, 'lib/a.jar'), 'jar A');
  writeFileSync(join(tree, 'README'), 'hello');
  const repo = join(tmpDir('checked-repo'), 'r');
  await publish({ repo, product: PRODUCT, level: 0, tree, date: '2024-01-02', notes: { title: 'GA' } });
  writeFileSync(join(tree, 'lib/b.jar'), 'jar B');
  await publish({ repo, product: PRODUCT, level: 1, tree, date: '2024-02-02' });
  return repo;
}

/** One run: the manifest read, and the verdicts kept as a run that succeeded keeps them (`keep`). */
async function read(repo: string, checked: string, level = 1, keep = true) {
  const r = await openRepository(repo, { checked });
  const got = await r.manifest(PRODUCT, level);
  if (keep) await r.keepChecked?.();
  return { ...got, warnings: r.warnings.map((w) => w.summary) };
}

async function refusal(p: Promise<unknown>): Promise<UpdateError> {
  const err = await p.then(() => null, (e: unknown) => e);
  assert.instance(err, UpdateError);
  return err as UpdateError;
}

test('checked once per pack: the verdict is kept under the digest, and a read through it gives the same manifest and warnings', async () => {
  const repo = await published();
  // Two paths that differ only in case: accepted with a warning, which must come back on every read.
  tamperManifest(repo, 1, (m) => { m.files['lib/A.jar'] = { ...m.files['lib/a.jar'] }; });
  const checked = join(tmpDir('checked'), 'checked');
  await read(repo, checked, 1, false);
  assert.not.ok(existsSync(checked), 'nothing is kept before the run has succeeded (a refused run changes nothing)');
  const first = await read(repo, checked);
  assert.match(first.warnings.join('\n'), /"lib\/A\.jar" and "lib\/a\.jar" differ only in case/);
  const files = readdirSync(checked);
  assert.is(files.length, 1);
  assert.ok(files[0].startsWith(`${digestOfFile(repo, 1)}.`), files[0]);
  const verdict = JSON.parse(readFileSync(join(checked, files[0]), 'utf8'));
  assert.is(verdict.digest, digestOfFile(repo, 1));
  const second = await read(repo, checked);
  assert.equal(second.manifest, first.manifest);
  assert.is(second.digest, first.digest);
  assert.equal(second.warnings, first.warnings);
  assert.equal(readdirSync(checked), files, 'nothing more written on a known manifest');
});

test('changed bytes are refused before any verdict is consulted (exit 7)', async () => {
  const repo = await published();
  const checked = join(tmpDir('checked'), 'checked');
  await read(repo, checked);
  appendFileSync(manifestFile(repo, 1), ' ');
  const err = await refusal(read(repo, checked));
  assert.is(err.code, 'verification');
  assert.match(err.message, /does not match the sha256 in the index/);
});

test('a verdict stands only for its own bytes and checks: forged, foreign, truncated, huge or special files are ignored', async () => {
  const repo = await published();
  const checked = join(tmpDir('checked'), 'checked');
  await read(repo, checked, 0); // a genuine verdict, for level 0's bytes
  const genuine = readdirSync(checked)[0];
  const checksOf = genuine.slice(65, -'.json'.length);
  // A hostile channel signs a level 1 that ships a file under updates/ (the tool's own state): the rules refuse it.
  tamperManifest(repo, 1, (m) => { m.files['updates/wso2update/state.json'] = { ...m.files['lib/a.jar'] }; });
  const bad = digestOfFile(repo, 1);
  const at = join(checked, `${bad}.${checksOf}.json`);
  const forgeries: [string, () => void][] = [
    ['the genuine verdict of other bytes, renamed', () => writeFileSync(at, readFileSync(join(checked, genuine)))],
    ['a verdict of other checks', () => writeFileSync(at, JSON.stringify({ checks: '0.0.1-0', digest: bad, warnings: [] }))],
    ['truncated', () => writeFileSync(at, JSON.stringify({ checks: checksOf, digest: bad, warnings: [] }).slice(0, 40))],
    ['warnings of another shape', () => writeFileSync(at, JSON.stringify({ checks: checksOf, digest: bad, warnings: [{ severity: 'error' }] }))],
    ['huge', () => writeFileSync(at, JSON.stringify({ checks: checksOf, digest: bad, warnings: [], pad: 'x'.repeat(1 << 20) }))],
    ['a FIFO (a plain read would wait forever)', () => execFileSync('mkfifo', [at])],
    ['a symlink to a genuine-looking verdict', () => {
      const elsewhere = join(tmpDir('checked-elsewhere'), 'v.json');
      writeFileSync(elsewhere, JSON.stringify({ checks: checksOf, digest: bad, warnings: [] }));
      symlinkSync(elsewhere, at);
    }],
    ['a folder', () => mkdirSync(join(at, 'x'), { recursive: true })],
  ];
  for (const [what, forge] of forgeries) {
    execFileSync('rm', ['-rf', at]);
    forge();
    const err = await refusal(read(repo, checked));
    assert.is(err.code, 'invalid-input', what);
    assert.match(err.message, /updates\/wso2update\/state\.json" is runtime data or the tool's own state/, what);
  }
});

test('an unreadable verdict of a good manifest is replaced after the full check; a folder that cannot be written, or a symlinked one, fails nothing and is not written', async () => {
  const repo = await published();
  const checked = join(tmpDir('checked'), 'checked');
  const want = (await read(repo, checked)).manifest;
  const [name] = readdirSync(checked);
  writeFileSync(join(checked, name), '{"checks":');
  assert.equal((await read(repo, checked)).manifest, want);
  assert.is(JSON.parse(readFileSync(join(checked, name), 'utf8')).digest, digestOfFile(repo, 1), 'rewritten');
  // A symlinked verdict folder (pointing out of the pack) is never written through.
  const outside = tmpDir('checked-outside');
  const linked = join(tmpDir('checked'), 'cache');
  mkdirSync(linked);
  symlinkSync(outside, join(linked, 'checked'));
  assert.equal((await read(repo, join(linked, 'checked'))).manifest, want);
  assert.equal(readdirSync(outside), []);
  const blocked = join(tmpDir('checked'), 'a-file');
  writeFileSync(blocked, 'not a folder');
  assert.equal((await read(repo, blocked)).manifest, want);
  assert.not.ok(existsSync(join(blocked, name)));
});

test('a verdict names a sha256: anything else is refused before a file name is made of it', async () => {
  const c = new CheckedManifests(tmpDir('checked'));
  for (const bad of ['../x', 'a'.repeat(64).toUpperCase(), '']) {
    await refusal(c.warningsOf(bad));
  }
});

test.run();
