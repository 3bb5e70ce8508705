// core/hotfix.ts in memory: the id pattern, the overlay that becomes the pack's base, and the guard that retires a
// hotfix a later level contains (by files or by its notes) and turns the paths of one it does not into conflicts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { digestOf } from '../../src/core/canonical.js';
import { assertHotfixId, effectiveBase, guardHotfixes, overlay, pathsNotIn } from '../../src/core/hotfix.js';
import type { AppliedHotfix, Descriptor, Observed } from '../../src/core/model.js';
import { decide } from '../../src/core/plan/planner.js';
import { file, manifest } from '../helpers/sample-plan.js';

const [A, A2, FIXED, OTHER] = [file('a\n'), file('a2\n'), file('fixed\n'), file('other\n')];
const level = manifest(1, { 'lib/a.jar': A, 'lib/b.jar': A, 'lib/gone.jar': A });
const fix: AppliedHotfix = {
  id: 'WSO2-HF-2026-0042', level: 1, title: 't', digest: '0'.repeat(64), files: { 'lib/b.jar': FIXED, 'lib/new.jar': FIXED },
  removes: ['lib/gone.jar'], appliedAt: '2026-01-01T00:00:00.000Z', generation: 'g2-1-1',
};
const notes = (fixes: string[]): Descriptor => ({ level: 2, date: '2026-01-02', title: 'l2', description: '', fixes: fixes.map((id) => ({ id, title: id })), securityAdvisories: [], changes: { added: [], modified: [], removed: [] } });

test('ids: <VENDOR>-HF-<YEAR>-<SERIAL> in capitals; anything else is refused with the pattern', () => {
  for (const ok of ['WSO2-HF-2026-0042', 'ACME2-HF-1999-123456']) assertHotfixId(ok, 'test');
  for (const bad of ['wso2-HF-2026-0042', 'WSO2-HF-2026-42', 'WSO2-HF-3026-0042', 'W-HF-2026-0042', 'WSO2-HF-2026-0042/..', '', 42, null]) {
    assert.throws(() => assertHotfixId(bad, 'test'), /is not a hotfix id/, String(bad));
  }
});

test('overlay: replaced and added files laid over, removals taken out, paths sorted; the base digest follows', () => {
  const m = overlay(level, fix);
  assert.equal(Object.keys(m.files), ['lib/a.jar', 'lib/b.jar', 'lib/new.jar']);
  assert.equal(m.files['lib/b.jar'], FIXED);
  assert.is(m.level, 1);
  const given = { manifest: level, digest: digestOf(level) };
  assert.equal(effectiveBase(given, [fix]), { manifest: m, digest: digestOf(m) });
  assert.is(effectiveBase(given, []), given); // no hotfix: the level as verified, nothing rehashed
});

function guard(targetFiles: Record<string, typeof A>, crossed: Descriptor[] = [notes([])]) {
  const base = overlay(level, fix);
  const target = manifest(2, targetFiles);
  const observed = new Map<string, Observed>([['lib', { kind: 'dir' }], ...Object.entries(base.files)]);
  for (const p of Object.keys(target.files)) if (!observed.has(p)) observed.set(p, { kind: 'absent' });
  observed.set('lib/gone.jar', { kind: 'absent' });
  return guardHotfixes({ decisions: decide({ base, target, observed }), applied: [fix], base, target, crossed });
}

test('a level shipping the hotfix files as the hotfix does retires it and keeps its decisions', () => {
  const r = guard({ 'lib/a.jar': A2, 'lib/b.jar': FIXED, 'lib/new.jar': FIXED });
  assert.equal(r.fates, [{ id: fix.id, fate: 'retired', paths: [] }]);
  assert.equal(r.decisions.map((d) => [d.path, d.action]), [['lib/a.jar', 'replace']]);
});

test('a level whose notes list the id retires it though its files differ (the vendor fixed it another way)', () => {
  const r = guard({ 'lib/a.jar': A, 'lib/b.jar': OTHER }, [notes([fix.id])]);
  assert.equal(r.fates, [{ id: fix.id, fate: 'retired', paths: [] }]);
  assert.equal(r.decisions.map((d) => [d.path, d.action]), [['lib/b.jar', 'replace'], ['lib/new.jar', 'remove']]);
});

test('a level without the fix: every path it would undo is a hotfix-not-contained conflict with the manifests\' entries', () => {
  const target = { 'lib/a.jar': A, 'lib/b.jar': OTHER, 'lib/gone.jar': A };
  assert.equal(pathsNotIn(fix, manifest(2, target)), ['lib/b.jar', 'lib/gone.jar', 'lib/new.jar']);
  const r = guard(target);
  assert.equal(r.fates, [{ id: fix.id, fate: 'not-contained', paths: ['lib/b.jar', 'lib/gone.jar', 'lib/new.jar'] }]);
  assert.equal(r.decisions.map((d) => [d.path, d.action, d.action === 'conflict' ? d.reason : '']), [
    ['lib/b.jar', 'conflict', 'hotfix-not-contained'], ['lib/gone.jar', 'conflict', 'hotfix-not-contained'], ['lib/new.jar', 'conflict', 'hotfix-not-contained'],
  ]);
  const b = r.decisions[0];
  assert.equal(b.action === 'conflict' ? [b.base, b.target] : null, [FIXED, OTHER]);
  const gone = r.decisions[1];
  assert.equal(gone.action === 'conflict' ? [gone.base, gone.target] : null, [null, A]);
});

test.run();
