// ui/help: one command's help (options with defaults, an example under the invoked name, exit codes) and the
// overview, aligned as tables; cli/print: what a command rendered goes to the right stream.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderCommandHelp, renderOverview, versionLine, type CommandHelp } from '../../src/ui/help.js';
import { print } from '../../src/cli/print.js';
import { sink } from '../helpers/sink.js';

const PLAN: CommandHelp = {
  name: 'plan', summary: 'compare the pack with a level', args: undefined,
  options: [{ flags: '-l, --level <n>', meaning: 'the level to update to' }, { flags: '--on-conflict <policy>', meaning: 'what to do with conflicts', default: 'stop' }],
  example: 'wso2update plan --level 12 --out p.json',
  exits: [[0, 'planned'], [3, 'conflicts wait'], [10, 'changes (--detailed-exitcode)']],
};
const GLOBAL = [{ flags: '--home <dir>', meaning: 'the product home' }];

test('a command\'s help: usage, aligned options with defaults, the example under the invoked name, exit codes', () => {
  assert.is(renderCommandHelp('./wso2update_linux', PLAN, GLOBAL), [
    './wso2update_linux plan: compare the pack with a level',
    '',
    'Usage:',
    '  ./wso2update_linux plan [options]',
    '',
    'Options:',
    '  -l, --level <n>         the level to update to',
    '  --on-conflict <policy>  what to do with conflicts (default: stop)',
    '  --home <dir>            the product home',
    '',
    'Example:',
    '  ./wso2update_linux plan --level 12 --out p.json',
    '',
    'Exit codes:',
    '  0   planned',
    '  3   conflicts wait',
    '  10  changes (--detailed-exitcode)',
    '',
  ].join('\n'));
});

test('the overview: the version, every command with its arguments, the WSO2 habits, where to look next', () => {
  const text = renderOverview('wso2update', '9.9.9', [PLAN, { ...PLAN, name: 'show', args: '<plan>', summary: 'review a plan' }], GLOBAL);
  assert.match(text, /^wso2update 9\.9\.9: /);
  assert.match(text, '\n  plan         compare the pack with a level\n  show <plan>  review a plan\n');
  assert.match(text, 'current-state');
  assert.match(text, 'Run `wso2update help <command>` (or `wso2update <command> --help`)');
  assert.is(versionLine('1.2.3'), 'wso2update 1.2.3\n');
});

test('print: people\'s text to stderr, data to stdout, nothing written for an empty side', () => {
  const ctx = { stdout: sink(), stderr: sink() };
  let writes = 0;
  const count = (s: ReturnType<typeof sink>) => { const w = s.write.bind(s); s.write = ((c: unknown) => { writes += 1; return w(c as string); }) as typeof s.write; };
  count(ctx.stdout);
  count(ctx.stderr);
  print(ctx, { stdout: '{"a":1}\n', stderr: 'Done.\n' });
  print(ctx, { stdout: '', stderr: '' });
  assert.equal([ctx.stdout.text(), ctx.stderr.text(), writes], ['{"a":1}\n', 'Done.\n', 2]);
});

test.run();
