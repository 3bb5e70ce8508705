// Issue 8 (a new user's first hour): the hints a run prints must work when pasted, wherever and however it was run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture } from '../../helpers/pack.js';
import { hint, paste, stateOf } from '../../helpers/pack-cli.js';
import { CLI_LINE, installCli, runCli, tmpDir } from '../../helpers/tmp.js';

test('pasted hints work: plan --home X prints an apply that carries --home; the --continue hint too', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'patched' }); // level 1 changes the jar: a conflict
  const out = join(tmpDir(), 'p.json');
  const elsewhere = tmpDir();
  const plan = await runCli(['plan', '--home', f.home, '--level', '1', '--out', out], { cwd: elsewhere });
  assert.is(plan.code, 3, plan.stderr);
  const apply = hint(plan.stderr, /apply:/);
  assert.match(apply, `${CLI_LINE} apply ${out} --home ${f.home}`);
  assert.match(hint(plan.stderr, /review:/), `${CLI_LINE} show ${out}`);
  // Pasted in yet another folder: it still finds the pack.
  const applied = await paste(apply, tmpDir());
  assert.is(applied.code, 3, applied.stderr);
  const cont = hint(applied.stderr, /Then run /);
  assert.match(cont, `apply --continue --home ${f.home}`);
  writeFileSync(join(f.home, 'lib/a.jar.final'), readFileSync(join(f.home, 'lib/a.jar.new')));
  const done = await paste(cont, tmpDir());
  assert.is(done.code, 0, done.stderr);
  assert.is(stateOf(f.home).level, 1);
});

test('run as ./wso2update_linux from bin/, hints use that name and work when pasted there', async () => {
  const f = await makeFixture();
  const bin = join(f.home, 'bin');
  installCli(join(bin, 'wso2update_linux'));
  const dry = await paste('./wso2update_linux --dry-run', bin);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(hint(dry.stderr, /To apply this update: /), /^\.\/wso2update_linux apply --level 2 --home /);
  const planned = await paste(hint(dry.stderr, /to keep the plan for review: /).replace('FILE', 'reviewed.json'), bin);
  assert.is(planned.code, 0, planned.stderr);
  const apply = hint(planned.stderr, /apply:/);
  assert.match(apply, /^\.\/wso2update_linux apply \S*reviewed\.json --home /);
  const applied = await paste(apply, bin);
  assert.is(applied.code, 0, applied.stderr);
  assert.is(stateOf(f.home).level, 2);
  const nothing = await paste('./wso2update_linux --revert --to-level 2 --yes', bin);
  assert.match(nothing.stderr, /`\.\/wso2update_linux status --home /);
});

test.run();
