// cli/commands/version and help: the version on stdout; the overview or one command's help, the same as --help.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run as version } from '../../../src/cli/commands/version.js';
import { run as help } from '../../../src/cli/commands/help.js';
import { TOOL_VERSION } from '../../../src/core/version.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';

test('version: the version line on stdout, exit 0, nothing on stderr', async () => {
  const ctx = cliContext('/');
  assert.is(await version(ctx, [], {}), 0);
  assert.match(ctx.out(), TOOL_VERSION);
  assert.is(ctx.err(), '');
});

test('help: the overview lists the commands; `help status` and WSO2\'s `help current-state` are status\'s help', async () => {
  const all = cliContext('/');
  assert.is(await help(all, [], {}), 0);
  for (const c of ['plan', 'apply', 'revert', 'recover', 'status']) assert.match(all.out(), new RegExp(`\\b${c}\\b`));
  const one = cliContext('/');
  await help(one, ['status'], {});
  const wso2 = cliContext('/');
  await help(wso2, ['current-state'], {});
  assert.is(wso2.out(), one.out());
  assert.match(one.out(), '--verify');
  assert.is.not(one.out(), all.out());
});

test('help of an unknown command: a usage error with "did you mean"', async () => {
  const e = await thrown(() => help(cliContext('/'), ['stauts'], {}), 'usage');
  assert.match(e.message, 'unknown command "stauts". Did you mean `status`?');
});

test.run();
