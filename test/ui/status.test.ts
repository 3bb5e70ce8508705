// ui/status: init, status, check and reconfigure results for people, one place for their wording; commands in them
// pasteable as the tool was run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotfixStatus, renderVerify, trustLine, writeCheck, writeJson, writeRepointed, writeStatus } from '../../src/ui/status.js';
import type { PackState } from '../../src/core/model.js';
import { sink } from '../helpers/sink.js';

const STATE = {
  product: 'wso2am-4.2.0', level: 3, repository: '/repo', lineage: 'lin-1', serial: 7, keepGenerations: 5, allowUnsigned: false,
  generations: [{ id: 'g7-2-3', fromLevel: 2, toLevel: 3, direction: 'update', committedAt: '2026-12-01T00:00:00Z', planDigest: 'abcdef0123456789'.repeat(4) }],
  hotfixes: [],
} as unknown as PackState;
const INV = { prog: './wso2update_linux', home: '/opt/am' };
const REPORT = { shipped: 30, unchanged: 25, customized: Array.from({ length: 22 }, (_, i) => `conf/${i}.xml`), missing: ['lib/x.jar'], userFiles: ['a', 'b'] };

test('renderVerify: the counts, then each list capped at 20 with the rest counted', () => {
  const lines = renderVerify(REPORT as never);
  assert.is(lines[0], '30 shipped files: 25 as shipped, 22 customized, 1 missing; 2 user files (never touched)');
  assert.is(lines[1], 'Customized (22):');
  assert.is(lines[21], '  conf/19.xml');
  assert.is(lines[22], '  ... and 2 more');
  assert.equal(lines.slice(23), ['Missing (1):', '  lib/x.jar']);
  assert.equal(renderVerify({ shipped: 1, unchanged: 1, customized: [], missing: [], userFiles: [] } as never).length, 1);
});

test('trustLine: signed with its versions, the unsigned exception said loudly, or none at all', () => {
  const v = { root: { version: 2, expires: 'x' }, timestamp: { version: 40, expires: '2026-12-08T00:00:00Z' } };
  assert.is(trustLine(STATE, v), '  trust: signed (TUF), root v2 pinned; timestamp v40 (timestamp expires 2026-12-08T00:00:00Z)');
  assert.match(trustLine({ ...STATE, allowUnsigned: true }, null), 'UNSIGNED repository accepted');
  assert.match(trustLine(STATE, {}), 'NONE pinned');
});

test('status: level, repository, generations kept, a pending run; "nothing to revert" only when nothing is pending', () => {
  const out = sink();
  writeStatus(out, INV, STATE, null, null);
  const text = out.text();
  assert.match(text, 'wso2am-4.2.0 at level 3 (/opt/am)\n  repository /repo\n');
  assert.match(text, '  generations kept (1 of at most 5):\n  g7-2-3: update 2 -> 3, 2026-12-01T00:00:00Z, plan abcdef012345\n');
  assert.match(text, '  hotfixes: none applied');
  const empty = { ...STATE, generations: [] } as PackState;
  const a = sink();
  writeStatus(a, INV, empty, null, null);
  assert.match(a.text(), 'no generations kept (nothing to revert)');
  const b = sink();
  writeStatus(b, INV, empty, 'an update to level 4 waits on conflicts: run `wso2update apply --continue`', REPORT as never);
  assert.match(b.text(), 'no generations kept from earlier updates');
  assert.match(b.text(), 'PENDING: an update to level 4 waits on conflicts: run `./wso2update_linux apply --continue --home /opt/am`');
  assert.match(b.text(), '  30 shipped files');
});

test('hotfixes on the level, newest last, with their file counts', () => {
  const s = { ...STATE, hotfixes: [{ id: 'HF-1', title: 'fix', files: { a: {}, b: {} }, removes: ['c'], appliedAt: 'T', generation: 'g8' }] } as unknown as PackState;
  assert.equal(hotfixStatus(s), ['  hotfixes applied on level 3 (1):', '    HF-1: fix (3 files, T, generation g8)']);
});

test('check: up to date in one line; newer levels with their advisories, and the next command', () => {
  const a = sink();
  writeCheck(a, INV, 'wso2am-4.2.0', 3, []);
  assert.is(a.text(), 'wso2am-4.2.0 is up to date at level 3.\n');
  const b = sink();
  writeCheck(b, INV, 'wso2am-4.2.0', 3, [{ level: 4, title: 'Four', advisories: 1 }, { level: 12, title: 'Twelve', advisories: 0 }]);
  assert.is(b.text(), [
    'wso2am-4.2.0 is at level 3; 2 newer levels available:',
    '     4  Four  (1 security advisory)',
    '    12  Twelve',
    '',
    'Run `./wso2update_linux plan --home /opt/am` to see what the update would change.',
    '',
  ].join('\n'));
});

test('reconfigure says kept or pinned anew; JSON is pretty with a final newline', () => {
  const a = sink();
  writeRepointed(a, INV, { state: STATE, previous: '/old', repinned: true }, { root: { version: 1, expires: 'x' } });
  assert.match(a.text(), 'Reconfigured /opt/am: repository /repo (was /old)');
  assert.match(a.text(), 'root v1 pinned; (pinned anew)');
  const j = sink();
  writeJson(j, { a: 1 });
  assert.is(j.text(), '{\n  "a": 1\n}\n');
});

test.run();
