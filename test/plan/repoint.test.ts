// plan/repoint: `init --reconfigure` as a use case: an adopted pack moved to another copy of its channel, accepted
// only when that copy serves the pack's level with the very manifest it was adopted with; under the pack's lock.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoint } from '../../src/plan/repoint.js';
import { openPack } from '../../src/io/pack.js';
import { acquireLock } from '../../src/io/lock.js';
import { LEVEL0, LEVEL1, makeFixture, PRODUCT } from '../helpers/pack.js';
import { OWNER } from '../helpers/owner.js';
import { thrown } from '../helpers/thrown.js';
import { tmpDir } from '../helpers/tmp.js';

const stateText = (home: string) => readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8');

test('a faithful copy: the repository changes, trust kept (null: as adopted), the rest of the state as it was', async () => {
  const f = await makeFixture();
  const before = JSON.parse(stateText(f.home));
  const copy = join(tmpDir(), 'copy');
  cpSync(f.repo, copy, { recursive: true });
  const r = await repoint({ pack: openPack(f.home), repo: copy, trust: null, owner: OWNER });
  assert.equal([r.previous, r.state.repository, r.repinned, r.trust], [f.repo, copy, false, null]);
  const after = JSON.parse(stateText(f.home));
  assert.equal({ ...after, repository: before.repository }, before);
});

test('another channel serving other content at the pack\'s level: refused (exit 7), the state untouched', async () => {
  const f = await makeFixture();
  const other = await makeFixture([{ ...LEVEL0, 'lib/a.jar': 'not the same' }, LEVEL1]);
  const before = stateText(f.home);
  const e = await thrown(() => repoint({ pack: openPack(f.home), repo: other.repo, trust: null, owner: OWNER }), 'verification');
  assert.match(e.message, `serves ${PRODUCT} level 0 with another manifest`);
  assert.is(stateText(f.home), before);
});

test('a pack not adopted, a pack busy with another owner\'s lock: refused, nothing written', async () => {
  const fresh = tmpDir();
  writeFileSync(join(fresh, 'x'), '');
  assert.match((await thrown(() => repoint({ pack: openPack(fresh), repo: '/r', trust: null, owner: OWNER }), 'usage')).message, 'is not adopted yet');
  const f = await makeFixture();
  const other = { pid: 1, start: null, isAlive: () => true }; // a live process (init) holds the lock
  const lock = await acquireLock(openPack(f.home), other);
  try {
    const before = stateText(f.home);
    await thrown(() => repoint({ pack: openPack(f.home), repo: f.repo, trust: null, owner: OWNER }), 'busy');
    assert.is(stateText(f.home), before);
  } finally {
    await lock.release();
  }
});

test.run();
