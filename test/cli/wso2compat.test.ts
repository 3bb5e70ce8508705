// WSO2 Update Tool invocations map onto our commands (operators' habits and WSO2's Ansible scripts keep working).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { translateWso2Argv } from '../../src/cli/wso2compat.js';

const t = (args: string[], as = 'wso2update') => translateWso2Argv(['node', 'bin', ...args], as);

test('WSO2 invocations and their mapping', () => {
  const table: [string[], string, string[]][] = [
    [[], 'wso2update_linux', ['apply']],
    [['--dry-run'], 'wso2update', ['plan', '--dry-run']],
    [['--revert'], 'wso2update', ['revert']],
    [['--continue'], 'wso2update_linux', ['apply', '--continue']],
    [['-l', '12'], 'wso2update_linux', ['apply', '--level', '12']],
    [['--level', '4.2.0.12', '--dry-run'], 'wso2update', ['plan', '--dry-run', '--level', '4.2.0.12']],
    [['current-state'], 'wso2update_linux', ['status']],
    [['check'], 'wso2update_linux', ['check']],
    [['version'], 'wso2update_darwin', ['version']],
    [['--help'], 'wso2update_linux', ['--help']],
    [['plan', '--home', 'x'], 'wso2update', ['plan', '--home', 'x']],
    [['apply', '--continue'], 'wso2update', ['apply', '--continue']],
    [[], 'wso2update', []],
    // Every valued flag of the command table, not a hand-kept list: the value is never taken for a command.
    [['--ca-file', '/etc/ca.pem'], 'wso2update_linux', ['apply', '--ca-file', '/etc/ca.pem']],
    [['--health-cmd', './check.sh'], 'wso2update_linux', ['apply', '--health-cmd', './check.sh']],
  ];
  for (const [args, as, want] of table) assert.equal(t(args, as).argv.slice(2), want, `${as} ${args.join(' ')}`);
});

test('WSO2-mode typos are refused with the nearest flag, never read as a command (issue 17: `--levle 2` was "unknown command 2")', () => {
  const cases: [string[], string][] = [
    [['--levle', '2'], 'Unknown option `--levle`. Did you mean `--level`?'],
    [['--dryrun'], 'Unknown option `--dryrun`. Did you mean `--dry-run`?'],
    [['--revrt'], 'Unknown option `--revrt`. Did you mean `--revert`?'],
    [['--contniue'], 'Unknown option `--contniue`. Did you mean `--continue`?'],
    [['--levle=2'], 'Unknown option `--levle`. Did you mean `--level`?'],
  ];
  for (const [args, want] of cases) {
    const err = (() => { try { t(args, 'wso2update_linux'); return null; } catch (e) { return e as Error; } })();
    assert.ok(err, args.join(' '));
    assert.is(err.message, want);
  }
  // known flags of any command still pass (cac then checks them against the command), and after a command the
  // command's own refusal (which names it) is kept
  assert.equal(t(['--no-self-update', '--dry-run'], 'wso2update_linux').argv.slice(2), ['plan', '--dry-run', '--no-self-update']);
  assert.equal(t(['apply', '--foo'], 'wso2update_linux').argv.slice(2), ['apply', '--foo']);
});

test('WSO2 flags as a set: any order gives the same command; --dry-run never maps to a change', () => {
  const orders: [string[][], string[]][] = [
    [[['--dry-run', '--revert'], ['--revert', '--dry-run'], ['--yes', '--revert', '--dry-run']], ['revert', '--dry-run']],
    [[['--dry-run', '-l', '2'], ['-l', '2', '--dry-run']], ['plan', '--dry-run', '--level', '2']],
    [[['--continue', '--yes'], ['--yes', '--continue']], ['apply', '--continue']],
  ];
  for (const [variants, want] of orders) {
    for (const v of variants) assert.equal(t(v, 'wso2update_linux').argv.slice(2).filter((a) => a !== '--yes'), want, v.join(' '));
  }
  assert.equal(t(['status', '--dry-run']).argv.slice(2), ['status']);
  assert.equal(t(['revert', '--revert', '--dry-run']).argv.slice(2), ['revert', '--dry-run']);
});

test('nonsense combinations are refused with a sentence that changes nothing', () => {
  const refused: [string[], RegExp][] = [
    [['--revert', '--continue'], /opposite ways/], [['--continue', '--dry-run'], /no dry run/], [['--revert', '-l', '1'], /does not go with --revert/],
    [['--continue', '--level', '1'], /belongs to a new update/], [['apply', '--dry-run'], /apply has no --dry-run/], [['init', '--revert'], /does not go with the init command/],
  ];
  for (const [args, why] of refused) assert.throws(() => t(args), (e: Error) => why.test(e.message) && /Nothing was changed/.test((e as { hint?: string }).hint ?? ''), args.join(' '));
});

test('a value that starts with a dash stays the value of its flag (`--level -1`)', () => {
  assert.equal(t(['--level', '-1', '--dry-run']).argv.slice(2), ['plan', '--dry-run', '--level=-1']);
  assert.equal(t(['revert', '--to-level', '-2']).argv.slice(2), ['revert', '--to-level=-2']);
  assert.equal(t(['plan', '--level']).argv.slice(2), ['plan', '--level']);
});

test('meaningless WSO2 flags are accepted with a note, not passed on', () => {
  const r = t(['--no-backup', '-b', '/backups', '-v'], 'wso2update_linux');
  assert.equal(r.argv.slice(2), ['apply']);
  assert.is(r.notes.length, 3);
  assert.match(r.notes.join('\n'), /--no-backup/);
});

test.run();
