// cli/commands/show: a plan for review, read with every check apply makes; data on stdout, in three views.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/show.js';
import { UpdateError } from '../../../src/core/errors.js';
import { fixtureWithPlan } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { tmpDir } from '../../helpers/tmp.js';
import { thrown } from '../../helpers/thrown.js';

const refusal = (args: string[], opts: Record<string, unknown>, cwd = '/'): Promise<UpdateError> => thrown(() => run(cliContext(cwd), args, opts));

test('text, markdown and JSON views of one plan on stdout; a relative path is read from the current folder', async () => {
  const f = await fixtureWithPlan(1);
  const text = cliContext('/');
  assert.is(await run(text, [f.plan], {}), 0);
  assert.match(text.out(), 'level 0 -> 1');
  const md = cliContext('/');
  await run(md, [f.plan], { markdown: true });
  assert.match(md.out(), /^#/m);
  const json = cliContext(join(f.plan, '..'));
  await run(json, ['plan.json'], { json: true });
  assert.equal([JSON.parse(json.out()).fromLevel, JSON.parse(json.out()).toLevel], [0, 1]);
  assert.is.not(text.out(), md.out());
});

test('usage refusals: no plan named, two views at once', async () => {
  assert.match((await refusal([], {})).message, 'show needs the plan file to show');
  const f = await fixtureWithPlan(1);
  assert.match((await refusal([f.plan], { json: true, markdown: true })).message, '--json and --markdown exclude each other');
});

test('a tampered plan is refused as apply would refuse it; a file that is no plan too', async () => {
  const f = await fixtureWithPlan(1);
  const plan = JSON.parse(readFileSync(f.plan, 'utf8'));
  plan.toLevel = 2;
  writeFileSync(f.plan, JSON.stringify(plan));
  const e = await refusal([f.plan], {});
  assert.is(e.code, 'invalid-input');
  assert.match(e.message, 'plan digest does not match its content: the file was edited or damaged after planning');
  const junk = join(tmpDir(), 'x.json');
  writeFileSync(junk, '{"hello": 1}');
  assert.match((await refusal([junk], {})).message, 'is not a plan file');
});

test.run();
