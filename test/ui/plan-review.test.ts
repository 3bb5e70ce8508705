// ui/plan-review.ts: what plan, apply (without a plan file) and apply-hotfix print before applying: warnings, the
// summary with pasteable commands, the dry-run note, the questions, and the stdout of --json and --template.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyQuestion, hotfixQuestion, NOTHING_APPLIED, renderPlanned, renderPlanReview, renderTemplate } from '../../src/ui/plan-review.js';
import { renderSummary } from '../../src/ui/show-text.js';
import { renderJson } from '../../src/ui/show-json.js';
import { samplePlan } from '../helpers/sample-plan.js';

const plan = samplePlan();
const inv = { prog: './wso2update_linux', shell: 'posix' as const, home: '/opt/wso2am' };
const warning = { severity: 'warning' as const, code: 'x', summary: 'the notes of level 3 name no date' };

test('the review: warnings first, then the summary, its commands made pasteable for how the tool was run', () => {
  const text = renderPlanReview(plan, [warning], inv);
  assert.ok(text.startsWith('Warning: the notes of level 3 name no date\n'));
  assert.ok(text.includes(renderSummary(plan).split('\n')[0]));
  assert.not.match(text, /`wso2update /, 'commands name the program as it was run');
  assert.is(renderPlanReview(plan, [], inv, '/tmp/p.json').includes('/tmp/p.json'), true);
});

test('plan: the dry-run note only when asked, with the level and home to paste; stdout only for --json and --template', () => {
  const quiet = renderPlanned(plan, { inv, dryRunNote: false, json: false });
  assert.is(quiet.stdout, '');
  assert.not.match(quiet.stderr, /Dry run/);
  const dry = renderPlanned(plan, { inv, dryRunNote: true, json: false });
  assert.match(dry.stderr, /Dry run: nothing was written\. To apply this update: `\.\/wso2update_linux apply --level 3 --home \/opt\/wso2am`/);
  assert.match(dry.stderr, /to keep the plan for review: `\.\/wso2update_linux plan --level 3 --home \/opt\/wso2am --out FILE`\.\n$/);
  const both = renderPlanned(plan, { inv, dryRunNote: false, json: true, template: '{{.Added}}' });
  assert.is(both.stdout, renderJson(plan) + renderTemplate('{{.Added}}', plan));
  assert.is(renderTemplate('{{.Added}}', plan), '[lib/new.jar]\n', 'WSO2 prints a Go slice');
});

test('the questions say the levels or the hotfix, the files, and the conflicts that will wait', () => {
  assert.is(applyQuestion(plan, false), `Apply this plan: level 1 -> 3, ${plan.actions.length - plan.summary.conflict} files?`);
  assert.match(applyQuestion(plan, true), new RegExp(`\\(${plan.summary.conflict} conflicts? will wait for you\\)$`));
  const one = { ...plan, summary: { ...plan.summary, conflict: 1 }, actions: plan.actions.filter((a) => a.action !== 'conflict').slice(0, 1) };
  assert.is(applyQuestion(one, true), 'Apply this plan: level 1 -> 3, 1 file? (1 conflict will wait for you)');
  const hotfix = { ...one, hotfix: { id: 'WSO2-HF-2026-0042' } } as unknown as typeof plan;
  assert.is(hotfixQuestion(hotfix, true), 'Apply hotfix WSO2-HF-2026-0042 on level 1, 1 file? (1 conflict(s) will wait for you)');
  assert.is(NOTHING_APPLIED, 'Nothing applied.\n');
});

test.run();
