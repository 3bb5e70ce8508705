// cli/commands/check: exit 10 with the newer levels when there are any, 0 when up to date; a pending run refuses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/check.js';
import { LEVEL0, makeFixture } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';

test('newer levels: exit 10, listed; --json names the latest; a channel with none newer: exit 0', async () => {
  const f = await makeFixture();
  const ctx = cliContext(f.home);
  assert.is(await run(ctx, [], { home: f.home }), 10);
  assert.match(ctx.err(), 'wso2am-4.2.0 is at level 0; 2 newer levels available:');
  const j = cliContext(f.home);
  assert.is(await run(j, [], { home: f.home, json: true }), 10);
  assert.is(JSON.parse(j.out()).latest, 2);
  const only = await makeFixture([LEVEL0]);
  const none = cliContext(only.home);
  assert.is(await run(none, [], { home: only.home }), 0);
  assert.is(none.err(), 'wso2am-4.2.0 is up to date at level 0.\n');
});

test('a pending run is refused before the repository is read (exit 6)', async () => {
  const f = await makeFixture();
  writeFileSync(join(f.home, 'updates/wso2update/journal.json'), '{}');
  const e = await thrown(() => run(cliContext(f.home), [], { home: f.home }), 'needs-recover');
  assert.match(e.message, 'an interrupted update left a journal in this pack (phase unreadable)');
});

test.run();
