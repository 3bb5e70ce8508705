// ui/self-update.ts: the lines self-update prints (scripts re-run on the first; its wording is WSO2's habit) and the
// `self-update` command's result, text and JSON.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderSelfUpdate, selfUpdatedLine, selfUpdateSkippedLine } from '../../src/ui/self-update.js';

const code = { from: '0.2.0', to: '0.3.0', kind: 'code' as const, bytes: 1_234_567, file: '/opt/p/bin/wso2update.code' };

test('updated: one line naming both versions, what was downloaded in MB, and to run the same command again', () => {
  assert.is(selfUpdatedLine(code), 'wso2update updated itself from 0.2.0 to 0.3.0 (code bundle, 1.2 MB); run the same command again\n');
  assert.is(selfUpdatedLine({ ...code, kind: 'executable', bytes: 52_428_800 }), 'wso2update updated itself from 0.2.0 to 0.3.0 (executable, 50.0 MB); run the same command again\n');
  assert.match(selfUpdatedLine({ ...code, bytes: 10 }), '(code bundle, 0.0 MB)');
});

test('skipped: a warning with the reason and how to skip the check offline', () => {
  assert.is(selfUpdateSkippedLine('https://u.example did not answer within 1 s'),
    'Warning: could not check for a newer wso2update (https://u.example did not answer within 1 s); going on with this one. Offline, pass --no-self-update (or set WSO2UPDATE_NO_SELF_UPDATE=1) to skip the check.\n');
});

test('the command: updated or newest, on stderr; JSON on stdout only with --json', () => {
  assert.equal(renderSelfUpdate(code, '0.2.0', false), { stdout: '', stderr: selfUpdatedLine(code) });
  assert.equal(renderSelfUpdate(null, '0.2.0', false), { stdout: '', stderr: "wso2update 0.2.0 is the newest release on this pack's channel\n" });
  assert.equal(JSON.parse(renderSelfUpdate(code, '0.2.0', true).stdout), { updated: true, ...code });
  assert.equal(JSON.parse(renderSelfUpdate(null, '0.2.0', true).stdout), { updated: false, version: '0.2.0' });
  assert.ok(renderSelfUpdate(null, '0.2.0', true).stdout.endsWith('}\n'));
});

test.run();
