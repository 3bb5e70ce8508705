// The single executable alone in a pack's bin/, run under `env -i` with no node on the PATH and no node_modules
// anywhere near it: the whole flow (init, check, plan, show, apply, status, revert, recover) and WSO2's invocations,
// then `install` from the executable into another pack.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../scripts/build-fixtures.mjs';
import { EMPTY_PATH, runExe, seaRelease } from '../helpers/sea.js';
import { tmpDir } from '../helpers/tmp.js';

const release = seaRelease();
const dir = tmpDir('wso2update-sea-flow-');
const fx = buildFixtures(join(dir, 'fx')) as { repo: string; root: string };
const home = writeHome(join(dir, 'wso2am-4.2.0'));
const bin = join(home, 'bin');
copyFileSync(join(release, 'wso2update_linux'), join(bin, 'wso2update_linux'));
const run = (...args: string[]) => runExe('./wso2update_linux', args, { cwd: bin });

test('nothing to lean on: no node on the PATH, no node_modules up the tree, one file added to bin/', () => {
  assert.not.ok(existsSync(join(EMPTY_PATH, 'node')));
  for (let d = bin; d !== '/'; d = join(d, '..')) assert.not.ok(existsSync(join(d, 'node_modules')), d);
  assert.ok(statSync(join(bin, 'wso2update_linux')).mode & 0o100);
});

test('--version, help and a mistyped command work as from a checkout', async () => {
  const v = await run('--version');
  assert.is(v.code, 0, v.stderr);
  assert.is(v.stdout, 'wso2update 0.1.0\n');
  const help = await run('help', 'apply');
  assert.is(help.code, 0, help.stderr);
  assert.match(help.stdout + help.stderr, /\.\/wso2update_linux apply/);
  const typo = await run('aply');
  assert.is(typo.code, 1);
  assert.match(typo.stderr, /Did you mean/);
});

test('init, check, WSO2 --dry-run (plan), show, apply, current-state, --revert, recover', async () => {
  const init = await run('init', '--repo', fx.repo, '--trust-root', fx.root);
  assert.is(init.code, 0, init.stderr);
  assert.is((await run('check')).code, 10);
  const dry = await run('--dry-run');
  assert.is(dry.code, 0, dry.stderr);
  const planFile = join(home, 'updates/wso2update/wso2update.plan.json');
  assert.not.ok(existsSync(planFile), 'WSO2\'s --dry-run leaves no trace');
  const planned = await run('plan');
  assert.is(planned.code, 0, planned.stderr);
  assert.ok(existsSync(planFile), planned.stderr);
  // run by its full path from another folder, the executable in a pack's bin/ acts on that pack
  const away = await runExe(join(bin, 'wso2update_linux'), ['current-state'], { cwd: dir });
  assert.is(away.code, 0, away.stderr);
  assert.match(away.stderr, `at level 0 (${home})`);
  const show = await run('show', planFile, '--markdown');
  assert.is(show.code, 0, show.stderr);
  assert.match(show.stdout, /digest/i);
  const before = readFileSync(join(home, 'updates/config.json'), 'utf8');
  const apply = await run('--yes');
  assert.is(apply.code, 0, apply.stderr);
  assert.is.not(readFileSync(join(home, 'updates/config.json'), 'utf8'), before);
  const state = await run('current-state');
  assert.is(state.code, 0, state.stderr);
  assert.match(state.stderr + state.stdout, /generation/);
  const revert = await run('--revert', '--yes');
  assert.is(revert.code, 4, revert.stderr);
  assert.is(readFileSync(join(home, 'updates/config.json'), 'utf8'), before);
  const recover = await run('recover');
  assert.is(recover.code, 0, recover.stderr);
  assert.equal(readdirSync(bin).filter((n) => n.startsWith('wso2update')), ['wso2update_linux']);
});

test('install copies the running executable into another pack\'s bin/ under WSO2\'s name', async () => {
  const other = writeHome(join(dir, 'other'));
  const r = await run('install', '--home', other);
  assert.is(r.code, 0, r.stderr);
  const installed = join(other, 'bin', 'wso2update_linux');
  assert.ok(readFileSync(installed).equals(readFileSync(join(bin, 'wso2update_linux'))));
  const v = await runExe('./wso2update_linux', ['--version'], { cwd: join(other, 'bin') });
  assert.is(v.stdout, 'wso2update 0.1.0\n');
  const missing = await run('install', '--home', join(dir, 'nowhere'));
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /not a product home|product\.txt/i);
});

test.run();
