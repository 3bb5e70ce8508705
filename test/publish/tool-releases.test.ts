// publish/tool-releases: the publisher's view of tools/releases.json, read, validated and listed for signing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readToolReleases, toolReleaseTargets } from '../../src/publish/tool-releases.js';
import { TOOL_RELEASES_FILE } from '../../src/core/tool-release.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';

const RELEASES = {
  formatVersion: 1,
  releases: [{ version: '0.2.0', runtime: '20', files: { 'wso2update_linux': { platform: 'linux-x64', sha256: 'a'.repeat(64), size: 10 } } }],
};

function repo(content?: string): string {
  const d = tmpDir();
  if (content !== undefined) {
    mkdirSync(join(d, 'tools'), { recursive: true });
    writeFileSync(join(d, TOOL_RELEASES_FILE), content);
  }
  return d;
}

test('a channel without tool releases: null and nothing to sign', async () => {
  const d = repo();
  assert.is(await readToolReleases(d), null);
  assert.equal(await toolReleaseTargets(d), []);
});

test('releases are read and listed: the list itself (checked by its own bytes), then each file with its sha256', async () => {
  const d = repo(JSON.stringify(RELEASES));
  assert.equal(await readToolReleases(d), RELEASES);
  assert.equal(await toolReleaseTargets(d), [
    { path: 'tools/releases.json', sha256: null },
    { path: 'tools/0.2.0/wso2update_linux', sha256: 'a'.repeat(64) },
  ]);
});

test('a broken or hostile list is refused naming the file; an unreadable one is the system\'s error', async () => {
  for (const bad of ['{', '{"formatVersion":2,"releases":[]}', JSON.stringify({ ...RELEASES, releases: [{ version: '../x', runtime: '20', files: {} }] })]) {
    try {
      await readToolReleases(repo(bad));
      assert.unreachable(bad);
    } catch (err) {
      assert.instance(err, UpdateError, bad);
      assert.match((err as Error).message, 'releases.json', bad);
    }
  }
  const d = repo();
  mkdirSync(join(d, TOOL_RELEASES_FILE), { recursive: true });
  try {
    await readToolReleases(d);
    assert.unreachable();
  } catch (err) {
    assert.is((err as NodeJS.ErrnoException).code, 'EISDIR');
  }
});

test.run();
