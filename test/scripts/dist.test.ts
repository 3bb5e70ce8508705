// scripts/dist.mjs as a release engineer runs it (issue 17): a build prints no wall of postject/LIEF warnings (19 of
// them, all expected), and a --code-only build no longer deletes a full build's executables without a word: it goes
// to a folder of its own by default, and any build says what it removed from its folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tmpDir } from '../helpers/tmp.js';

const dist = (args: string[]) => spawnSync(process.execPath, ['scripts/dist.mjs', ...args], { cwd: ROOT, encoding: 'utf8' });

test('a Linux build prints its one result line, no LIEF warning; a code-only build into the same folder names what it removed', () => {
  const out = join(tmpDir('wso2update-dist-'), 'release');
  const full = dist(['--platforms', 'linux-x64', '--out', out]);
  assert.is(full.status, 0, full.stderr);
  assert.not.match(full.stderr, /warning/i);
  assert.equal(full.stderr.trim().split('\n').length, 1, full.stderr);
  assert.ok(existsSync(join(out, 'wso2update_linux')));
  const code = dist(['--code-only', '--out', out]);
  assert.is(code.status, 0, code.stderr);
  assert.match(code.stderr, `removed what an earlier build left in ${out} and this one did not make again: wso2update_linux`);
});

test.run();
