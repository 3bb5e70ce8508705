// WSO2 Update Tool invocations map onto our commands (operators' habits and WSO2's Ansible scripts keep working).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { translateWso2Argv } from '../../src/cli/wso2compat.js';

const t = (args: string[], as = 'wso2update') => translateWso2Argv(['node', 'bin', ...args], as);

test('WSO2 invocations and their mapping', () => {
  const table: [string[], string, string[]][] = [
    [[], 'wso2update_linux', ['apply']],
    [['--dry-run'], 'wso2update', ['plan']],
    [['--revert'], 'wso2update', ['revert']],
    [['--continue'], 'wso2update_linux', ['apply', '--continue']],
    [['-l', '12'], 'wso2update_linux', ['apply', '--level', '12']],
    [['--level', '4.2.0.12', '--dry-run'], 'wso2update', ['plan', '--level', '4.2.0.12']],
    [['current-state'], 'wso2update_linux', ['status']],
    [['check'], 'wso2update_linux', ['check']],
    [['version'], 'wso2update_darwin', ['version']],
    [['--help'], 'wso2update_linux', ['--help']],
    [['plan', '--home', 'x'], 'wso2update', ['plan', '--home', 'x']],
    [['apply', '--continue'], 'wso2update', ['apply', '--continue']],
    [[], 'wso2update', []],
  ];
  for (const [args, as, want] of table) assert.equal(t(args, as).argv.slice(2), want, `${as} ${args.join(' ')}`);
});

test('meaningless WSO2 flags are accepted with a note, not passed on', () => {
  const r = t(['--no-backup', '-b', '/backups', '-v'], 'wso2update_linux');
  assert.equal(r.argv.slice(2), ['apply']);
  assert.is(r.notes.length, 3);
  assert.match(r.notes.join('\n'), /--no-backup/);
});

test.run();
