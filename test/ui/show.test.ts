// The three views of a plan: the exact summary line, the content a reviewer needs in text and markdown, the JSON
// shape automation reads, and secrets masked unless revealed. The plan is built by the real planner.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Plan } from '../../src/core/model.js';
import { MASK } from '../../src/core/secrets.js';
import { conflictExcerpt, summaryLine } from '../../src/ui/show-common.js';
import { renderJson } from '../../src/ui/show-json.js';
import { renderMarkdown } from '../../src/ui/show-markdown.js';
import { renderSummary, renderText } from '../../src/ui/show-text.js';
import { samplePlan } from '../helpers/sample-plan.js';

const plan = samplePlan();

test('summary line: exact words, singular and plural, chmod only when there is one', () => {
  const s = { add: 3, replace: 40, remove: 2, merge: 1, conflict: 2, chmod: 0 };
  assert.is(summaryLine(s), 'Plan: 3 to add, 40 to replace, 2 to remove, 1 to merge, 2 conflicts');
  assert.is(summaryLine({ ...s, conflict: 1 }), 'Plan: 3 to add, 40 to replace, 2 to remove, 1 to merge, 1 conflict');
  assert.is(summaryLine({ ...s, conflict: 0, chmod: 1 }), 'Plan: 3 to add, 40 to replace, 2 to remove, 1 to merge, 0 conflicts, 1 to chmod');
});

test('text: summary first, identity, each action with its symbol, merge diff, conflict markers, level notes', () => {
  const text = renderText(plan);
  const lines = text.split('\n');
  assert.is(lines[0], 'Plan: 1 to add, 0 to replace, 1 to remove, 1 to merge, 2 conflicts');
  for (const want of [
    'wso2am-4.2.0, level 1 -> 3 (levels crossed: 2, 3)',
    `Digest:     ${plan.digest}`,
    '  - remove   bin/gone.sh',
    '  M merge    conf/a.toml',
    '  ! conflict conf/b.toml (your edits and the update change the same lines; apply waits for your .final or .absent)',
    '  + add      lib/new.jar',
    '  ! conflict lib/x.jar (a customized binary file that the update changes; apply waits for your .final or .absent)',
    '    @@ -1,2 +1,2 @@',
    '    <<<<<<< installed',
    '  ! conf/b.toml: your edits and the update change the same lines.',
    "write .final (or an empty .absent for no file) and run `wso2update apply --continue`",
    'Conflicts:  apply leaves your file as it is and waits for you to write a .final file beside it',
    'For:        this pack as it is now',
    'Level 3 (2025-01-03): Level 3 title',
    '    - [HIGH] WSO2-2025-0001: XSS in the console',
    '    - FIX-2: fix 2',
  ]) assert.ok(text.includes(want), want);
  assert.ok(text.indexOf('Merges') < text.indexOf('\nConflicts:\n') && text.indexOf('\nConflicts:\n') < text.indexOf('Levels crossed'));
  // An operator's words, not the plan's ids (those stay in --json).
  for (const jargon of ['Bound to', 'lineage', 'serial', 'Policy:', 'text-overlap', 'binary-customized', ', stop)']) assert.not.ok(text.includes(jargon), jargon);
});

test('text: masked by default, revealed on request; the summary for `plan` has no diffs', () => {
  assert.not.ok(renderText(plan).includes('"merged"'));
  assert.ok(renderText(plan).includes(`+password = "${MASK}"`));
  const revealed = renderText(plan, { revealSecrets: true });
  assert.ok(revealed.includes('+password = "merged"') && revealed.includes('password = "d"'));
  assert.not.ok(revealed.includes(MASK));
  const summary = renderSummary(plan);
  assert.ok(summary.startsWith('Plan: 1 to add'));
  assert.not.ok(summary.includes('@@') || summary.includes('<<<<<<<'));
});

test('too-ambiguous conflicts are named and explained in text and markdown', () => {
  const amb: Plan = { ...plan, actions: plan.actions.map((a) => (a.action === 'conflict' && a.reason === 'text-overlap' ? { ...a, reason: 'too-ambiguous' as const } : a)) };
  const why = 'your edits and the update both change a stretch of lines too long or too repetitive';
  const text = renderText(amb);
  assert.ok(text.includes(`conf/b.toml (${why}`), text);
  assert.ok(text.includes(`! conf/b.toml: ${why}`), text);
  const md = renderMarkdown(amb);
  assert.ok(md.includes(`### \`conf/b.toml\`\n\nY${why.slice(1)}`), md);
  assert.ok(JSON.stringify(amb).includes('"too-ambiguous"'), 'the id stays in the plan (and --json)');
});

test('text: an empty plan says so; chmod shows the modes', () => {
  const empty: Plan = { ...plan, actions: [], summary: { add: 0, replace: 0, remove: 0, merge: 0, conflict: 0, chmod: 0 } };
  assert.ok(renderText(empty).includes('No changes'));
  const chmod: Plan = { ...plan, actions: [{ path: 'bin/x.sh', action: 'chmod', before: { kind: 'file', sha256: 'a'.repeat(64), size: 1, mode: '0644' }, after: { kind: 'file', sha256: 'a'.repeat(64), size: 1, mode: '0755' } }] };
  assert.ok(renderText(chmod).includes('chmod    bin/x.sh (0644 -> 0755)'));
});

test('markdown: a change ticket with digest, levels, advisories, files per action, fenced diffs and what to do', () => {
  const md = renderMarkdown(plan);
  assert.ok(md.startsWith('# Update wso2am-4.2.0 from level 1 to level 3\n'));
  for (const want of [
    '| 1 | 0 | 1 | 1 | 2 | 0 |',
    `**Plan digest (what is approved):** \`${plan.digest}\``,
    `--expect-digest ${plan.digest}`,
    '| 3 | WSO2-2025-0001 | high | XSS in the console |',
    '### Level 2: Level 2 title (2025-01-02)',
    '### Added (1)\n\n- `lib/new.jar`',
    '### Removed (1)\n\n- `bin/gone.sh`',
    '### Merged (1)\n\n- `conf/a.toml`',
    '- `lib/x.jar` (a customized binary file that the update changes; apply waits for your .final or .absent)',
    '- Conflicts: apply leaves your file as it is and waits for you to write a .final file beside it',
    '```diff\n--- a/conf/a.toml',
    '```\n@@ line 1 @@\n<<<<<<< installed',
    '### `conf/b.toml`\n\nYour edits and the update change the same lines.',
    '.original (before the update) and .new (the update\'s)',
    "write .final (or an empty .absent for no file) and run `wso2update apply --continue`",
  ]) assert.ok(md.includes(want), want);
  for (const jargon of ['Bound to', 'lineage', 'Conflict policy', 'text-overlap', 'binary-customized']) assert.not.ok(md.includes(jargon), jargon);
  assert.ok(md.includes(MASK) && !md.includes('"merged"'));
  assert.ok(renderMarkdown(plan, { revealSecrets: true }).includes('+password = "merged"'));
});

test('markdown: a diff holding backticks gets a longer fence', () => {
  const p = samplePlan();
  const m = p.actions.find((a) => a.action === 'merge');
  if (m?.action === 'merge') m.diff = '--- a\n+++ b\n@@ -1 +1 @@\n-```\n+````\n';
  assert.ok(renderMarkdown(p).includes('`````diff\n'));
});

test('conflicts are shown as their blocks with 3 lines of context and where they start, not the whole file', () => {
  const body = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `l${from + i}`);
  const text = [...body(1, 10), '<<<<<<< installed', 'mine', '||||||| level 0', 'base', '=======', 'theirs', '>>>>>>> level 1', ...body(11, 30), ''].join('\n');
  assert.is(conflictExcerpt(text), ['@@ line 8 @@', 'l8', 'l9', 'l10', '<<<<<<< installed', 'mine', '||||||| level 0', 'base', '=======', 'theirs', '>>>>>>> level 1', 'l11', 'l12', 'l13', ''].join('\n'));
});

test('json: top-level actions with path, action, before, after, merged; digest; masked unless revealed', () => {
  const data = JSON.parse(renderJson(plan)) as Plan & { secretsMasked: boolean };
  assert.is(data.digest, plan.digest);
  assert.is(data.secretsMasked, true);
  assert.equal(data.actions.map((a) => [a.path, a.action]), plan.actions.map((a) => [a.path, a.action]));
  for (const a of data.actions) assert.ok('before' in a && 'after' in a, a.path);
  const merge = data.actions.find((a) => a.action === 'merge');
  assert.ok(merge?.action === 'merge' && merge.merged === `[db]\npassword = "${MASK}"\n`);
  const revealed = JSON.parse(renderJson(plan, { revealSecrets: true })) as Plan & { secretsMasked: boolean };
  assert.is(revealed.secretsMasked, false);
  const { secretsMasked: _s, ...data2 } = revealed;
  assert.equal(data2, JSON.parse(JSON.stringify(plan)));
});

test.run();
