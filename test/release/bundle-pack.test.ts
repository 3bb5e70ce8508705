// The single executable on a pack adopted from an offline bundle (issue 17): init from the bundle alone, update from
// it, and once the bundle is deleted the commands that need no repository run without a self-update warning (the
// executable asked the recorded repository, the deleted bundle, for tool releases before every command).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../scripts/build-fixtures.mjs';
import { runExe, seaRelease } from '../helpers/sea.js';
import { runCli, tmpDir } from '../helpers/tmp.js';

const release = seaRelease();
const dir = tmpDir('wso2update-bundle-pack-');
const fx = buildFixtures(join(dir, 'fx')) as { repo: string; root: string; product: string };

test('adopted from a bundle, updated from it, then the bundle deleted: status and revert say nothing about self-update', async () => {
  const bundle = join(dir, 'b.tar');
  const made = await runCli(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '1', '--out', bundle]);
  assert.is(made.code, 0, made.stderr);
  const home = writeHome(join(dir, 'pack'));
  const bin = join(home, 'bin');
  copyFileSync(join(release, 'wso2update_linux'), join(bin, 'wso2update_linux'));
  // self-update stays on (no WSO2UPDATE_NO_SELF_UPDATE): the executable would ask the recorded repository first
  const run = (...args: string[]) => runExe('./wso2update_linux', args, { cwd: bin });
  const init = await run('init', '--repo', bundle, '--trust-root', fx.root);
  assert.is(init.code, 0, init.stderr);
  const up = await run('--yes');
  assert.is(up.code, 0, up.stderr);
  assert.match(up.stderr, 'level 0 -> 1');
  rmSync(bundle);
  for (const args of [['current-state'], ['status'], ['--revert', '--yes']]) {
    const r = await run(...args);
    assert.ok(r.code === 0 || r.code === 4, `${args.join(' ')}: ${r.stderr}`);
    assert.not.match(r.stderr, /Warning|could not check for a newer wso2update/, args.join(' '));
  }
});

test.run();
