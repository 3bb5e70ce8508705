// The name hints print: what the user would type again to run the same tool.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { invokedName } from '../../src/cli/invocation.js';
import { tmpDir } from '../helpers/tmp.js';

test('./wso2update_linux from bin/, its path from elsewhere, the PATH name, npx, and node <script> for a clone', () => {
  const root = tmpDir('invocation-');
  const clone = join(root, 'clone');
  mkdirSync(join(clone, 'bin'), { recursive: true });
  const script = join(clone, 'bin', 'wso2update.js');
  writeFileSync(script, '');
  const home = join(root, 'home');
  mkdirSync(join(home, 'bin'), { recursive: true });
  symlinkSync(script, join(home, 'bin', 'wso2update_linux'));
  const pathDir = join(root, 'usr-bin');
  mkdirSync(pathDir);
  symlinkSync(script, join(pathDir, 'wso2update'));
  const noPath = { PATH: '/nonexistent' };
  assert.is(invokedName(join(home, 'bin', 'wso2update_linux'), join(home, 'bin'), noPath), './wso2update_linux');
  assert.is(invokedName(join(home, 'bin', 'wso2update_linux'), home, noPath), 'bin/wso2update_linux');
  assert.is(invokedName(join(home, 'bin', 'wso2update_linux'), root, noPath), 'home/bin/wso2update_linux');
  // Windows (issue 18): PowerShell runs nothing from the current folder without .\ (paths are Linux ones here)
  assert.is(invokedName(join(home, 'bin', 'wso2update_linux'), join(home, 'bin'), noPath, 'win32'), '.\\wso2update_linux');
  assert.is(invokedName(join(home, 'bin', 'wso2update_linux'), clone, noPath), join(home, 'bin', 'wso2update_linux'), 'from outside: the absolute path');
  assert.is(invokedName(join(home, 'bin', 'wso2update_linux'), '/', { PATH: join(home, 'bin') }), 'wso2update_linux');
  assert.is(invokedName(script, clone, noPath), 'node bin/wso2update.js');
  assert.is(invokedName(script, home, noPath), `node ${script}`);
  assert.is(invokedName(script, clone, { PATH: pathDir }), 'wso2update', 'npm link: the PATH name is this script');
  assert.is(invokedName(join(pathDir, 'wso2update'), '/', { PATH: pathDir }), 'wso2update');
  assert.is(invokedName(join(clone, 'node_modules/.bin/wso2update'), clone, { PATH: '/nonexistent', npm_command: 'exec' }), 'npx wso2update');
});

test.run();
