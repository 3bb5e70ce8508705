// The ticket's budget: few paths are listed, many are summarised by folder; diffs are cut per diff and in all.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { budgetedList, DiffBudget, DIFF_BUDGET, DIFF_LINES, FOLDERS_MAX } from '../../src/ui/markdown-budget.js';
import { reviewPlan } from '../helpers/review-plan.js';

test('up to 25 paths are listed one by one', () => {
  const { plan } = reviewPlan(3);
  const replaced = plan.actions.filter((a) => a.action === 'replace');
  assert.equal(budgetedList(replaced), replaced.map((a) => `- \`${a.path}\``));
});

test('1,500 jars are one line with count and size; more folders than FOLDERS_MAX are summed', () => {
  const { plan } = reviewPlan(1500);
  const out = budgetedList(plan.actions.filter((a) => a.action === 'replace'));
  assert.match(out[0], /^1,501 files in 2 folders/);
  assert.match(out.join('\n'), /- `repository\/components\/plugins\/`: 1,500 files, [\d.]+ kB/);
  const many = Array.from({ length: 40 }, (_, i) => ({ action: 'remove' as const, path: `f${i}/x`, before: { kind: 'absent' as const }, after: { kind: 'absent' as const } }));
  const lines = budgetedList(many);
  assert.is(lines.length, 2 + FOLDERS_MAX + 1);
  assert.match(lines[lines.length - 1], /^- 25 more folders: 25 files$/);
});

test('diffs: each cut at DIFF_LINES, all of them at DIFF_BUDGET, with a note saying where the rest is', () => {
  const b = new DiffBudget();
  const long = Array.from({ length: 100 }, (_, i) => `+${i}`).join('\n');
  const first = b.take(long);
  assert.is(first.text.split('\n').length, DIFF_LINES);
  assert.match(first.cut ?? '', /^40 more lines of this diff are on the review page/);
  let taken = DIFF_LINES;
  while (!b.exhausted) taken += b.take(long).text.split('\n').filter(Boolean).length;
  assert.is(taken, DIFF_BUDGET);
  assert.is(b.take('+x\n').text, '');
  assert.is(new DiffBudget().take('+a\n+b\n').cut, null);
});

test.run();
