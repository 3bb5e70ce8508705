// cli/usage: the refusals of a mistyped command or flag, each with the nearest known words, and help on stdout.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unknownCommand, unknownFlag, unknownOption, writeHelp } from '../../src/cli/usage.js';
import { COMMANDS } from '../../src/cli/spec.js';
import { cliContext } from '../helpers/cli-context.js';

test('an unknown command: did you mean, and where the list is; a far word gets no guess', () => {
  const e = unknownCommand('aply', './wso2update_linux');
  assert.is(e.code, 'usage');
  assert.is(e.message, 'unknown command "aply". Did you mean `apply`?');
  assert.is(e.hint, 'Run `./wso2update_linux help` for the list of commands.');
  assert.is(unknownCommand('xyzzy', 'w').message, 'unknown command "xyzzy".');
});

test('unknown flags, before and after the command is known', () => {
  assert.is(unknownFlag('--levle', ['--level', '--home']).message, 'Unknown option `--levle`. Did you mean `--level`?');
  const plan = COMMANDS.find((c) => c.name === 'plan')!;
  const e = unknownOption('--hme', plan, 'wso2update');
  assert.is(e.message, 'Unknown option `--hme` for `plan`. Did you mean `--home`?');
  assert.is(e.hint, 'Run `wso2update plan --help` for its options.');
});

test('help: the overview, or one command\'s; on stdout', () => {
  const all = cliContext('/');
  writeHelp(all, undefined);
  const one = cliContext('/');
  writeHelp(one, COMMANDS.find((c) => c.name === 'revert'));
  assert.match(all.out(), 'revert');
  assert.match(one.out(), '--to-level');
  assert.is(all.err() + one.err(), '');
});

test.run();
