// Issue 18: what differs on a file system without POSIX modes (Windows), with the platform passed in. Under Wine the
// same flow runs for real (test/release/windows-wine.test.ts); these pin the rules where they live.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedPaths, decide, pathsToInspect } from '../../src/core/plan/planner.js';
import { verifyAgainst } from '../../src/core/pack-compare.js';
import type { Entry, Manifest, Observed } from '../../src/core/model.js';
import { fsyncFile } from '../../src/io/atomic.js';
import { keyFile, loadKey, newKey } from '../../src/publish/keys.js';
import { publish } from '../../src/publish/level.js';
import { manifestRel } from '../../src/core/layout.js';
import { hasModes, modesAsSeen } from '../../src/io/platform.js';
import { tmpDir } from '../helpers/tmp.js';

const file = (sha: string, mode: string): Entry => ({ kind: 'file', sha256: sha.repeat(64), size: 1, mode });
const manifest = (level: number, files: Record<string, Entry>): Manifest => ({ formatVersion: 1, product: 'wso2am-4.2.0', level, files });
// Level 0 ships a 0755 start script and a config; level 1 changes the script's content and makes the config 0755.
const base = manifest(0, { 'bin/wso2server.sh': file('a', '0755'), 'repository/conf/a.toml': file('c', '0644'), 'lib/x.jar': file('d', '0644') });
const target = manifest(1, { 'bin/wso2server.sh': file('b', '0755'), 'repository/conf/a.toml': file('c', '0755'), 'lib/x.jar': file('d', '0644') });
// The pack as Windows reads it: content as shipped, every mode 0644.
const onWindows = new Map<string, Observed>([['bin/wso2server.sh', file('a', '0644')], ['repository/conf/a.toml', file('c', '0644')], ['lib/x.jar', file('d', '0644')]]);

function plan(platform: NodeJS.Platform) {
  const [b, t] = [modesAsSeen(base, platform), modesAsSeen(target, platform)];
  const changed = changedPaths(b, t);
  const observed = new Map(pathsToInspect(b, t, changed).map((p) => [p, onWindows.get(p) ?? { kind: 'absent' as const }]));
  return decide({ base: b, target: t, observed, changed }).map((d) => `${d.action} ${d.path}`);
}

test('modes exist on Linux and macOS, not on Windows', () => {
  assert.ok(hasModes('linux'));
  assert.ok(hasModes('darwin'));
  assert.not.ok(hasModes('win32'));
});

test('Windows: a pack read as 0644 everywhere is as shipped, not customized (init, status --verify)', () => {
  const seen = new Map([...onWindows].map(([p, o]) => [p, o as Entry]));
  assert.equal(verifyAgainst(modesAsSeen(base, 'win32'), seen).customized, []);
  // The same files on Linux are a customization of the script's mode: that is right where modes exist.
  assert.equal(verifyAgainst(modesAsSeen(base, 'linux'), seen).customized, ['bin/wso2server.sh']);
});

test('Windows: no chmod is planned (it could not take effect), content changes are planned as replaces', () => {
  assert.equal(plan('win32'), ['replace bin/wso2server.sh']);
  // On Linux the same disk has a customized mode, which the target's replaces; the config's new mode is a chmod.
  assert.equal(plan('linux'), ['replace bin/wso2server.sh', 'chmod repository/conf/a.toml']);
});

test('modesAsSeen keeps the published manifest itself untouched (the record and its digest stay the signed ones)', () => {
  const before = JSON.stringify(target);
  const seen = modesAsSeen(target, 'win32');
  assert.is(JSON.stringify(target), before);
  assert.is((seen.files['repository/conf/a.toml'] as { mode: string }).mode, '0644');
  assert.is(modesAsSeen(target, 'linux'), target);
});

test('fsyncFile flushes a written file with the access each platform needs (Windows: a handle with write access)', async () => {
  const dir = tmpDir('wso2update-platform-');
  const p = join(dir, 'f');
  writeFileSync(p, 'data');
  await fsyncFile(p, 'linux');
  await fsyncFile(p, 'win32');
  assert.is(readFileSync(p, 'utf8'), 'data');
});

// Issue 18: Windows reports mode 0666 for every file, so `publish` refused every key there ("readable by others
// (mode 666)", hint chmod 600). On POSIX a key others can read is still refused.
test('key files: the POSIX mode check where modes exist, none where every file reads 0666', async () => {
  const dir = tmpDir('wso2update-keys-');
  const key = newKey('timestamp');
  await key.save(dir);
  chmodSync(keyFile(dir, 'timestamp'), 0o666);
  const refused = await loadKey(dir, 'timestamp', 'linux').then(() => null, (err: Error) => err.message);
  assert.match(String(refused), /readable by others \(mode 666\)/);
  assert.is((await loadKey(dir, 'timestamp', 'win32')).keyId, key.keyId);
  chmodSync(keyFile(dir, 'timestamp'), 0o600);
  assert.is((await loadKey(dir, 'timestamp', 'linux')).keyId, key.keyId);
});

// A level published from Windows read every file as 0644: its manifest took the exec bit off every start script,
// and each Linux node applying it would have chmodded them to 0644.
test('publish where files have no modes: each file keeps the previous level\'s mode, new files 0644, and says so', async () => {
  const dir = tmpDir('wso2update-publish-modes-');
  const [repo, t0, t1] = [join(dir, 'repo'), join(dir, 't0'), join(dir, 't1')];
  for (const t of [t0, t1]) mkdirSync(join(t, 'bin'), { recursive: true });
  writeFileSync(join(t0, 'bin/start.sh'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(join(t1, 'bin/start.sh'), '#!/bin/sh\necho 1\n', { mode: 0o644 }); // as Windows reads it
  writeFileSync(join(t1, 'bin/new.sh'), '#!/bin/sh\n', { mode: 0o755 });
  const req = { repo, product: 'wso2am-4.2.0', date: '2026-01-01' };
  assert.equal((await publish({ ...req, level: 0, tree: t0, platform: 'linux' })).warnings, []);
  const r = await publish({ ...req, level: 1, tree: t1, platform: 'win32' });
  assert.match(r.warnings.join('\n'), /no file modes: each file keeps its mode of level 0, new files are 0644/);
  const files = JSON.parse(readFileSync(join(repo, manifestRel('wso2am-4.2.0', 1)), 'utf8')).files;
  assert.is(files['bin/start.sh'].mode, '0755');
  assert.is(files['bin/new.sh'].mode, '0644', 'a new file: nothing says it is executable');
});

test.run();
