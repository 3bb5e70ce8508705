// channel/trust/targets: which target hashes count (sha256, sha512; at least one), and the check of a target's bytes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TargetFile } from '@tufjs/models';
import { checkTarget, readTarget, targetHashes } from '../../../src/channel/trust/targets.js';
import { FolderTransport } from '../../../src/channel/folder.js';
import { hashedRel } from '../../../src/core/layout.js';
import { UpdateError } from '../../../src/core/errors.js';
import { tmpDir } from '../../helpers/tmp.js';
import { thrown, thrownSync } from '../../helpers/thrown.js';

const BYTES = Buffer.from('{"level":1}\n');
const h = (alg: string, b = BYTES) => createHash(alg).update(b).digest('hex');
const target = (hashes: Record<string, string>, length = BYTES.length) => new TargetFile({ path: 'wso2am-4.2.0/1/manifest.json', length, hashes });

const refusal = (fn: () => unknown): UpdateError => thrownSync(fn, 'verification');

test('hashes this client verifies, sha256 first; weaker or unknown ones never count; none at all is refused', () => {
  assert.equal(targetHashes(target({ sha512: 'b', md5: 'x', sha256: 'a' }), 'm'), [['sha256', 'a'], ['sha512', 'b']]);
  assert.equal(targetHashes(target({ sha512: 'b' }), 'm'), [['sha512', 'b']]);
  assert.match(refusal(() => targetHashes(target({ md5: 'x', sha1: 'y' }), 'the manifest')).message,
    'the manifest (wso2am-4.2.0/1/manifest.json) is signed with no hash this client verifies (md5, sha1; needs sha256 or sha512)');
});

test('checkTarget: every counted hash and the length must match; the detail says what was expected and got', () => {
  assert.is(checkTarget(target({ sha256: h('sha256'), sha512: h('sha512') }), BYTES, 'm'), BYTES);
  const e = refusal(() => checkTarget(target({ sha256: h('sha256'), sha512: 'f'.repeat(128) }), BYTES, 'the manifest'));
  assert.match(e.message, 'does not match its signed sha256 and sha512 and length: tampered or damaged');
  assert.match(e.detail ?? '', `sha512: expected ${'f'.repeat(128)}`);
  assert.not.match(e.detail ?? '', 'sha256: expected');
  assert.match(refusal(() => checkTarget(target({ sha256: h('sha256') }, 5), BYTES, 'm')).detail ?? '', `expected 5 bytes, got ${BYTES.length}`);
});

test('readTarget: read under its hash-prefixed name with consistent snapshots, its plain name without; capped at its length', async () => {
  const repo = tmpDir();
  const t = target({ sha256: h('sha256') });
  for (const rel of [hashedRel(t.path, h('sha256')), t.path]) {
    mkdirSync(dirname(join(repo, rel)), { recursive: true });
    writeFileSync(join(repo, rel), BYTES);
  }
  const from = new FolderTransport(repo);
  assert.equal(await readTarget(from, t, 'm', true), BYTES);
  assert.equal(await readTarget(from, t, 'm', false), BYTES);
  writeFileSync(join(repo, t.path), Buffer.concat([BYTES, Buffer.alloc(1 << 20)]));
  await thrown(() => readTarget(from, t, 'm', false), 'verification');
});

test.run();
