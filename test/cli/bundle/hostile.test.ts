// The hostile-archive corpus (test/helpers/hostile-tar.ts) through the real CLI: each archive given to `apply-update`
// and to `plan --bundle` on an adopted, signed pack is refused with its reason and exit 7, and leaves the pack and
// the run's TMPDIR exactly as they were (a gzip bomb's partial expansion included).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { hostileArchives } from '../../helpers/hostile-tar.js';
import { refusedCleanly } from '../../helpers/refusal.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-hostile-bundle-');
const fx = buildFixtures(join(dir, 'fx')) as { repo: string; root: string };
const home = writeHome(join(dir, 'home'));
const init = await runCli(['init', '--home', home, '--repo', fx.repo, '--trust-root', fx.root]);
if (init.code !== 0) throw new Error(init.stderr);
const corpus = hostileArchives();

test(`${corpus.length} hostile archives: apply-update refuses each (exit 7, the reason named), nothing written anywhere`, async () => {
  assert.ok(corpus.length >= 40);
  for (const [i, c] of corpus.entries()) {
    const file = join(dir, `case-${i}.tar`);
    writeFileSync(file, c.bytes());
    const stderr = await refusedCleanly(home, ['apply-update', file, '--yes'], 7, c.refusal, join(dir, `tmp-${i}`));
    assert.match(stderr, /nothing was changed/i, c.name);
  }
});

test('plan --bundle refuses them the same way (a sample of each kind) and writes no plan', async () => {
  for (const i of [0, 3, 12, 13, 27, 30, 35, 43]) {
    const file = join(dir, `case-${i}.tar`);
    await refusedCleanly(home, ['plan', '--bundle', file, '--out', join(dir, `plan-${i}.json`)], 7, corpus[i].refusal, join(dir, `plan-tmp-${i}`));
  }
  const left = (await import('node:fs')).readdirSync(dir).filter((f) => f.startsWith('plan-') && f.endsWith('.json'));
  assert.equal(left, []);
});

test.run();
