// cli/commands/recover: with no journal it says so and exits 0, changing nothing; a forged journal is refused and
// nothing moves; recover is idempotent. (Recovery after real kills: test/cli/apply/crash.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/recover.js';
import { makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';

const everything = (home: string) => snapshot(home, (r) => r.startsWith('updates/logs'));

test('no journal: exit 0, said on stderr (or as JSON), twice in a row, and the pack unchanged', async () => {
  const f = await makeFixture();
  const before = everything(f.home);
  for (let i = 0; i < 2; i++) {
    const ctx = cliContext(f.home);
    assert.is(await run(ctx, [], { home: f.home }), 0);
    assert.match(ctx.err(), /nothing to recover|no interrupted run/i);
  }
  const j = cliContext(f.home);
  assert.is(await run(j, [], { home: f.home, json: true }), 0);
  assert.is(JSON.parse(j.out()).status, 'nothing');
  assert.equal(snapshotDiff(before, everything(f.home)), []);
});

test('a forged journal naming a path outside the pack: refused, and nothing inside or outside moves', async () => {
  const f = await makeFixture();
  const journal = join(f.home, 'updates/wso2update/journal.json');
  const forged = JSON.stringify({ formatVersion: 1, phase: 'swapping', steps: [{ path: '../../etc/passwd', created: null, pruned: null }] });
  writeFileSync(journal, forged);
  const before = everything(f.home);
  const e = await thrown(() => run(cliContext(f.home), [], { home: f.home }));
  assert.match(e.message, 'journal.json');
  assert.equal(snapshotDiff(before, everything(f.home)), []);
  assert.is(readFileSync(journal, 'utf8'), forged, 'the evidence is kept');
});

test.run();
