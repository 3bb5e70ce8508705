// cli/prompt: the [y/N] question and the required answers, over a real readline on a stream; never a yes without
// one, and no terminal is a usage error, never a yes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { ask, askYesNo, confirm } from '../../src/cli/prompt.js';
import { cliContext } from '../helpers/cli-context.js';
import { thrown } from '../helpers/thrown.js';

/** A context whose input types `text` (and stays open, as a terminal does), or ends at once (null: Ctrl-D). */
function answering(text: string | null, canPrompt = false) {
  const stdin = new PassThrough();
  const ctx = cliContext('/', { stdin, canPrompt });
  setImmediate(() => (text === null ? stdin.end() : stdin.write(text)));
  return ctx;
}

test('[y/N]: y and yes (any case, spaces around) agree; an empty answer, other words and the input ending decline', async () => {
  for (const a of ['y\n', 'YES\n', ' yes \n']) assert.ok(await askYesNo(answering(a), 'Apply?'), a);
  for (const a of ['\n', 'n\n', 'yep\n', 'no\n', null]) assert.not.ok(await askYesNo(answering(a), 'Apply?'), String(a));
  const ctx = answering('y\n');
  await askYesNo(ctx, 'Apply this plan?');
  assert.match(ctx.err(), 'Apply this plan? [y/N] ');
});

test('a required answer is returned; the input ending first is a usage error naming the question', async () => {
  assert.is(await ask(answering('admin\n'), 'User: ', false), 'admin');
  const e = await thrown(() => ask(answering(null), 'Password for admin: ', true), 'usage');
  assert.match(e.message, 'no answer to "Password for admin:": the input ended');
});

test('confirm: --yes answers without asking; no terminal and no --yes is refused, never taken as yes', async () => {
  assert.ok(await confirm(answering(null), { yes: true }, 'Apply?'));
  const e = await thrown(() => confirm(answering('y\n'), {}, 'Apply?'), 'usage');
  assert.match(e.message, 'confirmation needed, but there is no terminal to ask on');
  assert.ok(await confirm(answering('y\n', true), {}, 'Apply?'));
  assert.not.ok(await confirm(answering('\n', true), {}, 'Apply?'));
});

test.run();
