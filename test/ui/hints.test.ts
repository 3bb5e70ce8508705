// Pasteable hints: every backticked command gets the invoked name and, for commands that act on a pack, --home.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commandLine, pasteable, shellWord } from '../../src/ui/hints.js';

const inv = { prog: './wso2update_linux', home: '/opt/wso2 am' };

test('the invoked name and a quoted --home go into each command that acts on a pack', () => {
  const table: [string, string][] = [
    ['Run `wso2update recover` first.', "Run `./wso2update_linux recover --home '/opt/wso2 am'` first."],
    ['then `apply --continue`, or `wso2update revert`', "then `./wso2update_linux apply --continue --home '/opt/wso2 am'`, or `./wso2update_linux revert --home '/opt/wso2 am'`"],
    ['`revert --to-level N`', "`./wso2update_linux revert --to-level N --home '/opt/wso2 am'`"],
    ['`wso2update recover --home /x` once', '`./wso2update_linux recover --home /x` once'],
    ['review: `wso2update show /p.json`', 'review: `./wso2update_linux show /p.json`'],
    ['`wso2update plan --help` for its options', '`./wso2update_linux plan --help` for its options'],
    ['see `show` and `updates/logs`', 'see `show` and `updates/logs`'],
    ['by wso2update 0.1.0', 'by wso2update 0.1.0'],
  ];
  for (const [text, want] of table) assert.is(pasteable(text, inv), want, text);
  assert.is(pasteable('`wso2update status`', { prog: 'wso2update' }), '`wso2update status`', 'no home known: none added');
});

test('shell words: bare when safe, single-quoted otherwise', () => {
  assert.is(shellWord('/opt/wso2am-4.2.0/x.json'), '/opt/wso2am-4.2.0/x.json');
  assert.is(shellWord("/tmp/it's here"), "'/tmp/it'\\''s here'");
  assert.is(commandLine({ prog: 'npx wso2update', home: '/h' }, 'status --verify'), 'npx wso2update status --verify --home /h');
});

// Issue 18: under Wine the hints read `./x.exe ... --home 'Z:\\...'`: cmd.exe takes single quotes as part of the
// path, and PowerShell runs nothing from the current folder without `.\\`.
test('Windows: double quotes where a word needs them, backslash paths bare, pasteable in cmd.exe and PowerShell', () => {
  assert.is(shellWord('C:\\wso2\\wso2am-4.2.0', 'windows'), 'C:\\wso2\\wso2am-4.2.0');
  assert.is(shellWord('C:\\Program Files\\WSO2\\am', 'windows'), '"C:\\Program Files\\WSO2\\am"');
  assert.is(shellWord("C:\\it's here", 'windows'), '"C:\\it\'s here"');
  const win = { prog: '.\\wso2update_windows.exe', home: 'C:\\Program Files\\WSO2\\am', shell: 'windows' as const };
  assert.is(pasteable('Run `wso2update recover` first.', win), 'Run `.\\wso2update_windows.exe recover --home "C:\\Program Files\\WSO2\\am"` first.');
  // A hint written with this pack's home in it (the applier's "run recover --home H") gets it quoted too.
  assert.is(pasteable(`run \`wso2update recover --home ${win.home}\` once`, win), 'run `.\\wso2update_windows.exe recover --home "C:\\Program Files\\WSO2\\am"` once');
  assert.is(pasteable(`run \`wso2update recover --home ${inv.home}\` once`, inv), "run `./wso2update_linux recover --home '/opt/wso2 am'` once");
  assert.is(pasteable('`wso2update recover --home /opt/wso2 am2` (another pack)', inv), '`./wso2update_linux recover --home /opt/wso2 am2` (another pack)');
});

test.run();
