// The review page as a string: every section in order, everything escaped (hostile paths and notes), secrets
// masked unless revealed, no URL or script anywhere, long lists collapsed and grouped, approvals present/missing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ApprovalVerdict } from '../../src/core/approval/verdict.js';
import { entryText, esc, renderReviewPage } from '../../src/ui/review-page.js';
import { HOSTILE_PATH, reviewPlan } from '../helpers/review-plan.js';

const { plan, display } = reviewPlan();

test('sections come in the order a board reads them: facts, approvals, advisories, conflicts, merges, text diffs, binaries', () => {
  const html = renderReviewPage({ plan, display, policy: { required: 2 } });
  const order = ['Plan digest', 'Approvals', 'Security advisories', 'Conflicts (2)', 'Merges (1)', 'Replaced and added text files (1)', 'Other replaced and added files', 'Removed (1)'];
  let at = 0;
  for (const h of order) {
    const i = html.indexOf(h, at);
    assert.ok(i > at, `${h} missing or out of order`);
    at = i;
  }
  for (const want of [plan.digest, '/opt/wso2am-4.2.0 on node1.example.com', 'ops@builder', 'WSO2-2025-0001', '2 approvals from the allowed signers file',
    'On disk now (yours)', 'Target (the update ships)', 'Your file → merged result', 'Base → target']) assert.ok(html.includes(esc(want)), want);
});

test('secrets are masked as show masks them, and shown with revealSecrets', () => {
  const masked = renderReviewPage({ plan, display });
  assert.not.ok(masked.includes('s3cret-new'));
  assert.not.ok(masked.includes('wso2carbon</'));
  assert.ok(masked.includes('&lt;Password&gt;********&lt;/Password&gt;'));
  assert.not.ok(masked.includes('password = &quot;merged&quot;'));
  assert.ok(renderReviewPage({ plan, display }, { revealSecrets: true }).includes('s3cret-new'));
});

test('hostile text stays text: no tag, script, or URL from the plan reaches the markup', () => {
  const evil = { ...plan, product: '<b>x</b>', notes: plan.notes.map((n) => ({ ...n, title: '<script>alert(1)</script>', description: 'see https://evil.invalid/' })) };
  const html = renderReviewPage({ plan: evil, display: { ...display, host: '"><iframe src=x>', madeBy: "'onload='x" } });
  // Every raw '<' is markup (text has it escaped): no tag may be a script, frame, image or link, or carry a URL or handler.
  for (const tag of html.match(/<[^>]*>/g) ?? []) {
    assert.not.match(tag, /^<\/?(script|iframe|img|a|link|object|embed|base|form)\b|\b(src|href|action)=|\son\w+=/i, tag);
  }
  assert.ok(html.includes(esc(HOSTILE_PATH)));
  // The only things that look like URLs are escaped text from the plan, never an attribute.
  assert.not.match(html.replace(/https?:\/\/evil\.invalid[^\s<]*/g, ''), /https?:/);
  assert.ok(html.includes(`content="default-src 'none'; style-src 'unsafe-inline'"`));
  assert.is(esc('a\u0000b\u001bc'), 'a\uFFFDb\uFFFDc');
});

test('a portable plan names no host or path', () => {
  const html = renderReviewPage({ plan: { ...plan, portable: true, lineage: null, serial: null }, display: { madeBy: 'ops@builder' } });
  assert.ok(html.includes('any identical pack (portable plan: no host or path)'));
  assert.not.ok(html.includes('node1.example.com'));
});

test('1,500 jars: grouped by folder with count and size, the list collapsed', () => {
  const big = reviewPlan(1500);
  const html = renderReviewPage(big);
  assert.match(html, /<td><code>repository\/components\/plugins\/<\/code><\/td><td>1,500<\/td><td>[\d.]+ kB<\/td><td><details><summary>1,500 files<\/summary>/);
});

test('long diffs are collapsed, huge ones cut with a note', () => {
  const long = Array.from({ length: 3000 }, (_, i) => `+line ${i}`).join('\n');
  const html = renderReviewPage({ plan, display: { textDiffs: { 'repository/conf/carbon.xml': `--- a/x\n+++ b/x\n${long}\n` } } });
  assert.match(html, /<details><summary>Base → target \(3,002 lines\)/);
  assert.ok(html.includes('1,002 more lines not shown; the plan holds the whole diff.'));
  assert.not.ok(html.includes('+line 2999'));
});

test('approvals: present, missing, refused and repeated are all listed', () => {
  const v: ApprovalVerdict = {
    required: 2, missing: 1, ok: false,
    approvers: [{ source: 'plan.json.sig', fingerprint: 'SHA256:abc', principals: ['alice@example.com'] }],
    rejected: [{ source: 'plan.json.approvals/m.sig', reason: 'key-not-allowed', detail: 'key SHA256:zzz is not in the allowed signers file' }],
    repeated: [{ source: 'plan.json.approvals/a.sig', fingerprint: 'SHA256:abc', principals: ['alice@example.com'], sameAs: 'plan.json.sig' }],
  };
  const html = renderReviewPage({ plan, display, approvals: v, policy: { required: 2 } });
  for (const want of ['1 of 2 approvals; 1 missing.', 'alice@example.com', 'key not in the allowed signers file', 'counts once']) assert.ok(html.includes(esc(want)), want);
});

test('entries read as words, not hashes alone', () => {
  assert.is(entryText({ kind: 'file', sha256: '23a6bea98eaa'.padEnd(64, '0'), size: 3545, mode: '0644' }), 'file, 3,545 bytes, mode 0644 (sha256 23a6bea98eaa…)');
  assert.is(entryText(null), 'not shipped');
});

test.run();
