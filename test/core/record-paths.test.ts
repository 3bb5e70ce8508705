// core/record-paths: which paths the pack's own records (journal, generation records) may name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RECORD_ID, recordPathProblem } from '../../src/core/record-paths.js';

test('record ids: letters, digits, . _ -; never ".", "..", a hidden name, a slash or over 80 characters', () => {
  for (const ok of ['g1-0-1', 'g12_3', 'a', 'A.b-c_d', 'x'.repeat(80)]) assert.ok(RECORD_ID.test(ok), ok);
  for (const bad of ['', '.', '..', '.hidden', 'a/b', 'a b', 'x'.repeat(81), 'g1\n', '-\u00e9']) assert.not.ok(RECORD_ID.test(bad), JSON.stringify(bad));
});

test('pack paths pass under every policy; a path the manifest rules refuse is refused with their reason', () => {
  for (const own of ['commit', 'changelog', 'none'] as const) {
    assert.is(recordPathProblem('lib/a.jar', own), null);
    assert.is(recordPathProblem('updatesx/file', own), null, 'only the updates folder itself is the tool\'s');
    for (const bad of ['../etc/passwd', '/etc/passwd', 'a//b', '', 42, null]) {
      assert.type(recordPathProblem(bad, own), 'string', `${JSON.stringify(bad)} under ${own}`);
    }
  }
});

test('under updates/: only the commit\'s own files for a journal, only a changelog for a revert\'s record, nothing else', () => {
  const commit = ['updates/wso2update/state.json', 'updates/wso2update/manifest.json', 'updates/config.json',
    'updates/changelog-0000-0001.md', 'updates/wso2update/generations/g1-0-1/generation.json'];
  for (const p of commit) assert.is(recordPathProblem(p, 'commit'), null, p);
  assert.is(recordPathProblem('updates/changelog-0001-0000.md', 'changelog'), null);
  assert.match(recordPathProblem('updates/wso2update/state.json', 'changelog') ?? '', 'the tool\'s own state');
  for (const own of ['commit', 'changelog', 'none'] as const) {
    for (const p of ['updates', 'updates/wso2update', 'updates/wso2update/generations', 'updates/wso2update/generations/g1-0-1',
      'updates/wso2update/lock', 'updates/wso2update/generations/../state.json', 'updates/wso2update/generations/.hidden/generation.json',
      'updates/changelog-1-2.md', 'updates/product.txt']) {
      assert.match(recordPathProblem(p, own) ?? '', /updates|normal|\.\./, `${p} under ${own}`);
    }
  }
  for (const p of commit) assert.ok(recordPathProblem(p, 'none'), `${p} with none`);
});

test.run();
