// ui/status.ts: what init (and init --reconfigure), status and check print for people, and their JSON for scripts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderCheck, renderInit, renderRepointed, renderStatus, trustLine } from '../../src/ui/status.js';
import type { PackState } from '../../src/core/model.js';

const inv = { prog: './wso2update_linux', shell: 'posix' as const, home: '/opt/wso2am' };
const state = {
  formatVersion: 1, product: 'wso2am-4.2.0', level: 2, repository: 'https://u', lineage: 'L', serial: 4, manifestDigest: 'd'.repeat(64),
  generations: [], keepGenerations: 3, allowUnsigned: true,
} as unknown as PackState;
const report = { shipped: 10, unchanged: 8, customized: ['conf/a.toml'], missing: ['bin/x'], userFiles: [] };

test('trust: pinned versions, the unsigned exception, or neither (then reads refuse)', () => {
  assert.is(trustLine(state, null), '  trust: UNSIGNED repository accepted (init --allow-unsigned): nothing it serves is signature-checked');
  assert.is(trustLine({ ...state, allowUnsigned: false }, null), '  trust: NONE pinned and unsigned not allowed: commands that read the repository will refuse');
  assert.is(trustLine(state, { root: { version: 2, expires: 'x' }, timestamp: { version: 9, expires: 'T' } }), '  trust: signed (TUF), root v2 pinned; timestamp v9 (timestamp expires T)');
});

test('status: the text on stderr, or (--json) the facts on stdout instead, defaults filled in', () => {
  const text = renderStatus(inv, state, null, null, null, false);
  assert.is(text.stdout, '');
  assert.match(text.stderr, /^wso2am-4.2.0 at level 2 \(\/opt\/wso2am\)\n  repository https:\/\/u\n/);
  assert.match(text.stderr, /no generations kept \(nothing to revert\)/);
  const waiting = renderStatus(inv, state, 'an update waits: run `wso2update apply --continue`', report, null, false).stderr;
  assert.match(waiting, /no generations kept from earlier updates/);
  assert.match(waiting, /PENDING: an update waits: run `\.\/wso2update_linux apply --continue --home \/opt\/wso2am`/);
  assert.match(waiting, /10 shipped files: 8 as shipped, 1 customized, 1 missing/);
  const json = renderStatus(inv, { ...state, allowUnsigned: undefined } as unknown as PackState, null, null, null, true);
  assert.is(json.stderr, '');
  const j = JSON.parse(json.stdout);
  assert.equal([j.home, j.allowUnsigned, j.hotfixes, j.trust, j.pending, j.verify], ['/opt/wso2am', false, [], null, null, null]);
});

test('init: adopted, trust, the verify report and what to run next; --json adds the report and trust', () => {
  const out = renderInit(inv, state, report, null, true);
  assert.match(out.stderr, /^Adopted \/opt\/wso2am\n  product wso2am-4.2.0 at level 2, repository https:\/\/u\n/);
  assert.match(out.stderr, /Next: `\.\/wso2update_linux check --home \/opt\/wso2am` for newer levels/);
  const j = JSON.parse(out.stdout);
  assert.equal([j.home, j.product, j.trust, j.report.shipped], ['/opt/wso2am', 'wso2am-4.2.0', null, 10]);
  assert.is(renderInit(inv, state, report, null, false).stdout, '');
});

test('init --reconfigure: the new and old repository, trust kept or pinned anew', () => {
  const r = { state, previous: '/old', repinned: false, trust: null };
  const out = renderRepointed(inv, r, true);
  assert.match(out.stderr, /^Reconfigured \/opt\/wso2am: repository https:\/\/u \(was \/old\)\n/);
  assert.match(out.stderr, /\(kept\)\n$/);
  assert.match(renderRepointed(inv, { ...r, repinned: true }, false).stderr, /\(pinned anew\)\n$/);
  const j = JSON.parse(out.stdout);
  assert.equal([j.previousRepository, j.repinned, j.trust], ['/old', false, null]);
});

test('check: up to date, or the newer levels with advisories; JSON names the latest', () => {
  assert.equal(renderCheck(inv, 'wso2am-4.2.0', 2, [], false), { stderr: 'wso2am-4.2.0 is up to date at level 2.\n', stdout: '' });
  assert.equal(JSON.parse(renderCheck(inv, 'wso2am-4.2.0', 2, [], true).stdout), { product: 'wso2am-4.2.0', level: 2, latest: 2, newer: [] });
  const newer = [{ level: 3, title: 'Level 3', date: '2026-01-01', advisories: 1 }, { level: 12, title: 'Level 12', advisories: 0 }];
  const out = renderCheck(inv, 'wso2am-4.2.0', 2, newer, true);
  assert.is(out.stderr, 'wso2am-4.2.0 is at level 2; 2 newer levels available:\n     3  Level 3  (1 security advisory)\n    12  Level 12\n\n'
    + 'Run `./wso2update_linux plan --home /opt/wso2am` to see what the update would change.\n');
  assert.is(JSON.parse(out.stdout).latest, 12);
});

test.run();
