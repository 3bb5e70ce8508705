// Percent-encoded repository paths (ReadOptions.encoded; TUF names a delegated role's metadata by its URL-encoded
// name): HTTP sends them exactly as encoded, a folder reads the file a static server would map the URL to, and
// neither lets an encoded name climb out of the repository or smuggle a scheme, query or fragment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateError } from '../../src/core/errors.js';
import { FolderTransport } from '../../src/channel/folder.js';
import { urlOf } from '../../src/channel/http/location.js';
import { tmpDir } from '../helpers/tmp.js';

const base = new URL('http://127.0.0.1:1/repo%5Bx%5D/metadata/');

test('HTTP: an encoded path is sent as it is, below the base (whose own escapes stay)', () => {
  for (const [rel, path] of [
    ['1.%2Fdelegatedrole.json', '/repo%5Bx%5D/metadata/1.%2Fdelegatedrole.json'],
    ['1...%2Fdelegatedrole.json', '/repo%5Bx%5D/metadata/1...%2Fdelegatedrole.json'],
    ['1.%3F.json', '/repo%5Bx%5D/metadata/1.%3F.json'],
    ['1.%23.json', '/repo%5Bx%5D/metadata/1.%23.json'],
    ['1.%25.json', '/repo%5Bx%5D/metadata/1.%25.json'],
  ]) {
    const url = urlOf(base, rel, true);
    assert.is(url.pathname, path, rel);
    assert.is(url.search + url.hash, '', rel);
    assert.is(url.host, '127.0.0.1:1');
  }
  assert.is(urlOf(base, '1./x.json').pathname, '/repo%5Bx%5D/metadata/1./x.json', 'unencoded paths are still split and encoded');
});

test('HTTP: refused, never sent: raw ? # : / tricks, dot segments however spelled, bad escapes', () => {
  for (const rel of ['1.?.json', '1.#.json', 'a:b.json', 'http:%2F%2Fevil.example%2Fx', '..', '%2E%2E', '.%2e', '%2e', 'a//b', '', '1.%zz.json', '1.%2.json', 'x\\y', 'a b']) {
    let err: unknown;
    try { urlOf(base, rel, true); } catch (e) { err = e; }
    assert.instance(err, UpdateError, rel);
    assert.is((err as UpdateError).code, 'hostile-path', rel);
    assert.not.match((err as UpdateError).hint ?? '', /bug/, `${rel}: an attacker's name is not called a bug`);
  }
});

test('folder: an encoded name is the file a static server maps it to; climbing out or a bad escape is refused', async () => {
  const repo = tmpDir('wso2update-encoded-');
  mkdirSync(join(repo, 'metadata/1.'), { recursive: true });
  writeFileSync(join(repo, 'metadata/1./delegatedrole.json'), 'slash');
  writeFileSync(join(repo, 'metadata/1.?.json'), 'question');
  writeFileSync(join(repo, 'secret.json'), 'secret');
  const t = new FolderTransport(repo);
  assert.is((await t.read('metadata/1.%2Fdelegatedrole.json', { encoded: true })).toString(), 'slash');
  assert.is((await t.read('metadata/1.%3F.json', { encoded: true })).toString(), 'question');
  for (const rel of ['metadata/..%2Fsecret.json', 'metadata/1.x%2F..%2F..%2F..%2Fsecret.json', 'metadata/1.%zz.json', '%2Fetc%2Fpasswd']) {
    let err: unknown;
    try { await t.read(rel, { encoded: true }); } catch (e) { err = e; }
    assert.instance(err, UpdateError, rel);
    assert.is((err as UpdateError).code, 'hostile-path', `${rel}: ${(err as Error).message}`);
  }
});

test.run();
