// publish/tool: `publish-tool` copies a built release into a channel and lists it; releases only go forward, and a
// half-copied or mislabelled build is refused before anything is written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addToolRelease, RELEASE_FILE } from '../../src/publish/tool.js';
import { TOOL_RELEASES_FILE } from '../../src/core/tool-release.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';
import { builtRelease } from '../helpers/tool-release.js';
import { thrown } from '../helpers/thrown.js';

const built = builtRelease;

const refusal = (repo: string, from: string, version: string): Promise<UpdateError> => thrown(() => addToolRelease(repo, from, version));

test('the first and a newer release: files under tools/<version>/, listed in order, the previous named', async () => {
  const repo = tmpDir();
  const one = await addToolRelease(repo, built('0.1.0'), '0.1.0');
  assert.is(one.previous, null);
  const two = await addToolRelease(repo, built('0.10.0'), '0.10.0');
  assert.is(two.previous, '0.1.0');
  assert.is(readFileSync(join(repo, 'tools/0.10.0/wso2update_linux'), 'utf8'), 'exe 0.10.0');
  const list = JSON.parse(readFileSync(join(repo, TOOL_RELEASES_FILE), 'utf8'));
  assert.equal(list.releases.map((r: { version: string }) => r.version), ['0.1.0', '0.10.0']);
  assert.equal(readdirSync(join(repo, 'tools')).sort(), ['0.1.0', '0.10.0', 'releases.json']);
});

test('not newer (equal, or lower by number not by text): refused, nothing copied', async () => {
  const repo = tmpDir();
  await addToolRelease(repo, built('0.10.0'), '0.10.0');
  const list = readFileSync(join(repo, TOOL_RELEASES_FILE), 'utf8');
  const e0 = await refusal(repo, built('0.10.0', { wso2update_linux: 'a rebuilt 0.10.0' }), '0.10.0');
  assert.match(e0.message, 'the channel already has tool release 0.10.0; 0.10.0 is not newer');
  assert.is(readFileSync(join(repo, 'tools/0.10.0/wso2update_linux'), 'utf8'), 'exe 0.10.0', 'a published release never changes');
  for (const v of ['0.9.0', '0.1.99']) {
    const e = await refusal(repo, built(v), v);
    assert.is(e.code, 'usage');
    assert.match(e.message, `the channel already has tool release 0.10.0; ${v} is not newer`);
    assert.not.ok(existsSync(join(repo, 'tools', v)));
  }
  assert.is(readFileSync(join(repo, TOOL_RELEASES_FILE), 'utf8'), list);
});

test('a build that is not what release.json says: another version, a missing or altered file, no release.json', async () => {
  const repo = tmpDir();
  const e1 = await refusal(repo, built('0.2.0'), '0.3.0');
  assert.match(e1.message, 'holds release 0.2.0, not 0.3.0');
  assert.match(e1.hint ?? '', '--release-version 0.2.0');
  const altered = built('0.2.0');
  writeFileSync(join(altered, 'wso2update_linux'), 'tampered');
  const e2 = await refusal(repo, altered, '0.2.0');
  assert.is(e2.code, 'verification');
  assert.match(e2.message, 'wso2update_linux does not match release.json; nothing was published');
  const missing = built('0.2.0');
  writeFileSync(join(missing, RELEASE_FILE), readFileSync(join(missing, RELEASE_FILE), 'utf8').replace('wso2update.code', 'wso2update_windows.exe'));
  assert.match((await refusal(repo, missing, '0.2.0')).message, 'wso2update_windows.exe is missing');
  const empty = tmpDir();
  const e3 = await refusal(repo, empty, '0.2.0');
  assert.match(e3.message, `cannot read ${join(empty, RELEASE_FILE)}`);
  assert.match(e3.hint ?? '', 'npm run dist');
  assert.equal(readdirSync(repo), []);
});

test('a release.json naming a file outside the folder is a schema refusal, never a copy', async () => {
  const d = built('0.2.0');
  const rel = JSON.parse(readFileSync(join(d, RELEASE_FILE), 'utf8'));
  rel.files['../../etc/passwd'] = rel.files.wso2update_linux;
  writeFileSync(join(d, RELEASE_FILE), JSON.stringify(rel));
  mkdirSync(join(d, 'x'));
  const e = await refusal(tmpDir(), d, '0.2.0');
  assert.is(e.code, 'invalid-input');
});

test.run();
