// The review page made by the product from a real plan (issue 23): `plan` carries where and by whom and the text
// diffs of replaced files under the digest; `show --html --out` writes a page that Debian's chromium renders with
// those facts and no network request; a portable plan names no host or path; apply ignores the display fields.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { makeFixture } from '../../helpers/pack.js';
import { chromium, visibleText } from '../../helpers/chromium.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

test('plan carries the display fields; show --html renders them in a browser, fetching nothing; apply ignores them', async () => {
  const f = await makeFixture();
  const dir = tmpDir('review-cli-');
  const plan = join(dir, 'plan.json');
  const made = await runCli(['plan', '--home', f.home, '--level', '1', '--out', plan], { env: { USER: 'ops' } });
  assert.is(made.code, 0, made.stderr);
  const p = JSON.parse(readFileSync(plan, 'utf8'));
  assert.equal([p.display.host, p.display.packPath, p.display.madeBy], [hostname(), f.home, `ops@${hostname()}`]);
  assert.match(p.display.textDiffs['repository/conf/deployment.toml'], /-url = "jdbc:h2"\n\+url = "jdbc:h2:v2"/);
  assert.match(p.display.textDiffs['bin/api-manager.sh'], /\+echo start v2/);
  assert.is(p.display.textDiffs['lib/a.jar'], undefined);
  const page = join(dir, 'review.html');
  const shown = await runCli(['show', plan, '--html', '--out', page]);
  assert.is(shown.code, 0, shown.stderr);
  const run = await chromium(page);
  const text = visibleText(run.dom);
  for (const want of [p.digest, `${f.home} on ${hostname()}`, `ops@${hostname()}`, 'Replaced and added text files', '+url = "jdbc:h2:v2"', 'lib/']) {
    assert.ok(text.includes(want), `rendered page lacks: ${want}`);
  }
  assert.equal(run.requests, []);
  const applied = await runCli(['apply', plan, '--home', f.home]);
  assert.is(applied.code, 0, applied.stderr);
});

test('a portable plan carries no host, path or maker (same inputs, same digest on any builder)', async () => {
  const f = await makeFixture();
  const plan = join(tmpDir('review-cli-'), 'plan.json');
  assert.is((await runCli(['plan', '--home', f.home, '--level', '1', '--portable', '--out', plan])).code, 0);
  const p = JSON.parse(readFileSync(plan, 'utf8'));
  assert.equal(Object.keys(p.display), ['textDiffs']);
});

test('an edited display field is refused like any edit of the plan (it is under the digest)', async () => {
  const f = await makeFixture();
  const plan = join(tmpDir('review-cli-'), 'plan.json');
  assert.is((await runCli(['plan', '--home', f.home, '--level', '1', '--out', plan])).code, 0);
  const { writeFileSync } = await import('node:fs');
  const p = JSON.parse(readFileSync(plan, 'utf8'));
  p.display.packPath = '/opt/the-pack-the-board-expects';
  writeFileSync(plan, JSON.stringify(p, null, 2));
  const r = await runCli(['show', plan, '--html']);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /plan digest does not match its content/);
});

test.run();
