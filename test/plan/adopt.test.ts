// plan/adopt: `init` as a use case: identity and level read from the pack, the channel's level manifest fetched, what
// is already customized reported, the state recorded; a failed adoption leaves nothing behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adopt, type AdoptInput } from '../../src/plan/adopt.js';
import { openPack } from '../../src/io/pack.js';
import { LEVEL1, makeFixture, PRODUCT, writeTree } from '../helpers/pack.js';
import { thrown } from '../helpers/thrown.js';
import { tmpDir } from '../helpers/tmp.js';

/** A pack as WSO2 ships it at level 1 (product.txt, config.json's update-level), not yet adopted. */
async function freshPack(custom: Record<string, string> = {}) {
  const f = await makeFixture();
  const home = join(tmpDir(), 'wso2am-4.2.0');
  writeTree(home, { ...(LEVEL1 as Record<string, string>), ...custom });
  mkdirSync(join(home, 'updates'), { recursive: true });
  writeFileSync(join(home, 'updates/product.txt'), `${PRODUCT}\n`);
  writeFileSync(join(home, 'updates/config.json'), JSON.stringify({ 'update-level': 1, other: 'kept' }));
  const input: AdoptInput = { pack: openPack(home), repo: f.repo, keepGenerations: 3, trust: { allowUnsigned: true }, lineage: '00000000-0000-4000-8000-00000000abcd' };
  return { repo: f.repo, home, input };
}

test('adopts at config.json\'s level, records lineage and serial 0, reports what is customized', async () => {
  const { home, input } = await freshPack({ 'lib/a.jar': 'patched by the site' });
  const r = await adopt(input);
  assert.equal([r.state.product, r.state.level, r.state.serial, r.state.lineage, r.state.keepGenerations], [PRODUCT, 1, 0, input.lineage, 3]);
  assert.equal(r.report.customized, ['lib/a.jar']);
  assert.is(r.trust, null);
  assert.ok(existsSync(join(home, 'updates/wso2update/state.json')));
  assert.ok(existsSync(join(home, 'updates/wso2update/manifest.json')));
  assert.is(JSON.parse(readFileSync(join(home, 'updates/config.json'), 'utf8')).other, 'kept');
});

test('--level wins over config.json; adopting twice is refused', async () => {
  const { input } = await freshPack();
  const r = await adopt({ ...input, level: 2 });
  assert.is(r.state.level, 2);
  const e = await thrown(() => adopt(input), 'usage');
  assert.match(e.message, 'is already adopted by wso2update');
});

test('refusals that leave nothing: no such home, no repository, a level the channel does not have', async () => {
  assert.match((await thrown(() => adopt({ keepGenerations: 3, trust: { allowUnsigned: true }, lineage: 'l', repo: '/r', pack: openPack('/nonexistent/pack') }), 'not-found')).message, 'does not exist');
  const a = await freshPack();
  assert.match((await thrown(() => adopt({ ...a.input, repo: undefined }), 'usage')).message, 'init needs --repo');
  const b = await freshPack();
  await thrown(() => adopt({ ...b.input, level: 9 }));
  assert.not.ok(existsSync(join(b.home, 'updates/wso2update')), 'a failed init leaves no state folder');
});

test.run();
