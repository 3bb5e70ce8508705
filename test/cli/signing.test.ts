// cli/signing: the keys folder and metadata lifetimes of publish and keygen, and the rule that a signed repository is
// only ever changed with its keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { optExpiry, optKeys, parseDuration, publisherKeys } from '../../src/cli/signing.js';
import { thrown, thrownSync } from '../helpers/thrown.js';
import { tmpDir } from '../helpers/tmp.js';

test('durations: s m h d w y, whole and from 1 s to 20 y', () => {
  const table: [string, number][] = [['90s', 90], ['30m', 1800], ['12h', 43_200], [' 7d ', 604_800], ['2w', 1_209_600], ['1y', 31_536_000], ['20y', 630_720_000]];
  for (const [raw, n] of table) assert.is(parseDuration('x', raw), n, raw);
  for (const bad of ['0s', '21y', '1.5d', '-1d', 'd', '7', '7 d', '1e3s', '', '99999999999999999999y']) {
    assert.match(thrownSync(() => parseDuration('timestamp-expiry', bad), 'usage').message, `--timestamp-expiry must be a duration such as 12h, 7d or 1y (at most 20y), got ${JSON.stringify(bad)}`);
  }
});

test('optExpiry reads each role\'s flag (cac\'s camelCase keys); optKeys resolves against the current folder', () => {
  assert.equal(optExpiry({ timestampExpiry: '12h', rootExpiry: '2y' }), { root: 63_072_000, timestamp: 43_200 });
  assert.match(thrownSync(() => optExpiry({ snapshotExpiry: 'soon' }), 'usage').message, '--snapshot-expiry must be a duration');
  assert.equal(optExpiry({}), {});
  assert.is(optKeys({ keys: 'k' }, '/work'), '/work/k');
  assert.is(optKeys({}, '/work'), undefined);
  assert.match(thrownSync(() => optKeys({ keys: '' }, '/'), 'usage').message, '--keys needs a folder');
});

test('publisherKeys: an unsigned repository needs none; a signed one refuses a change without keys', async () => {
  const repo = tmpDir();
  assert.is(await publisherKeys(repo, undefined, 'publish'), undefined);
  mkdirSync(join(repo, 'metadata'));
  writeFileSync(join(repo, 'metadata', 'root.json'), '{}');
  const e = await thrown(() => publisherKeys(repo, undefined, 'publish-hotfix'), 'usage');
  assert.is(e.message, `${repo} is a signed repository (it has metadata/root.json): publish-hotfix needs --keys DIR`);
});

test.run();
