// The review page in a real browser (Debian's chromium, headless): it renders the plan's facts as text, hostile
// names stay text, and it fetches nothing: a counting proxy sees no connection, while a control page that does
// load an image is seen (so the check itself works). Also writes the screenshot used in the note.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReviewPage } from '../../src/ui/review-page.js';
import { chromium, visibleText } from '../helpers/chromium.js';
import { HOSTILE_PATH, reviewPlan } from '../helpers/review-plan.js';
import { tmpDir } from '../helpers/tmp.js';

const dir = tmpDir('review-browser-');
const { plan, display } = reviewPlan(1500);
const page = join(dir, 'review.html');
writeFileSync(page, renderReviewPage({ plan, display, policy: { required: 2 } }));

test('the page renders its facts as text and fetches nothing', async () => {
  const run = await chromium(page);
  const text = visibleText(run.dom);
  for (const want of [
    'Update wso2am-4.2.0 from level 1 to level 3', plan.digest, '/opt/wso2am-4.2.0 on node1.example.com', 'WSO2-2025-0001',
    'Conflicts (2)', 'your edits and the update change the same lines', 'On disk now (yours)', 'Your file → merged result',
    '<Password>********</Password>', 'repository/components/plugins/ 1,500', HOSTILE_PATH, 'Secret values are masked.',
  ]) assert.ok(text.includes(want), `rendered text lacks: ${want}`);
  assert.not.ok(text.includes('s3cret-new'));
  // The hostile path was parsed as text: the browser's DOM holds no element the page did not write.
  assert.not.match(run.dom, /<(script|img|iframe)\b/);
  assert.equal(run.requests, [], 'the page made a network request');
});

test('control: a page with an image URL is seen by the proxy (so zero above means zero)', async () => {
  const control = join(dir, 'control.html');
  writeFileSync(control, '<!DOCTYPE html><html><body><p>control</p><img src="http://example.invalid/x.png"></body></html>');
  const run = await chromium(control);
  assert.equal(run.requests, ['GET http://example.invalid/x.png HTTP/1.1'], 'the proxy did not see the page\'s request: the no-request check would prove nothing');
});

test('screenshot of the sample page (for the issue note)', async () => {
  const png = join(process.env.REVIEW_SCREENSHOT_DIR ?? dir, 'review-page.png');
  const small = join(dir, 'review-small.html');
  writeFileSync(small, renderReviewPage({ ...reviewPlan(40), policy: { required: 2 } }));
  await chromium(small, { screenshot: png, width: 1100, height: 2600 });
  assert.ok(existsSync(png) && statSync(png).size > 10_000, 'no screenshot');
});

test.run();
