// cli/commands/status: level and records of a pack, --verify's customized and missing files, and the exit code of a
// pack with a pending run (3 while conflicts wait, 6 after an interrupt), in process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/status.js';
import { UpdateError } from '../../../src/core/errors.js';
import { makeFixture } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { tmpDir } from '../../helpers/tmp.js';

test('a pack at level 0: text on stderr; --json on stdout alone; --verify names customized and missing files', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'patched' });
  rmSync(join(f.home, 'lib/b.jar'));
  const ctx = cliContext(f.home);
  assert.is(await run(ctx, [], { home: f.home, verify: true }), 0);
  assert.match(ctx.err(), `wso2am-4.2.0 at level 0 (${f.home})`);
  assert.match(ctx.err(), /Customized \(1\):\n\s+lib\/a\.jar/);
  assert.match(ctx.err(), /Missing \(1\):\n\s+lib\/b\.jar/);
  assert.is(ctx.out(), '');
  const j = cliContext(f.home);
  assert.is(await run(j, [], { home: f.home, json: true }), 0);
  assert.is(j.err(), '');
  assert.equal([JSON.parse(j.out()).level, JSON.parse(j.out()).product], [0, 'wso2am-4.2.0']);
});

test('a journal left by an interrupt, even one torn or forged: still reported, exit 6, naming the phase it claims', async () => {
  for (const [text, phase] of [[JSON.stringify({ phase: 'swapping' }), 'swapping'], [JSON.stringify({ phase: 'staging' }), 'unreadable'], ['{"phase":', 'unreadable'], [JSON.stringify({ phase: 'rm -rf' }), 'unreadable']]) {
    const f = await makeFixture();
    writeFileSync(join(f.home, 'updates/wso2update/journal.json'), text);
    const ctx = cliContext(f.home);
    assert.is(await run(ctx, [], { home: f.home }), 6, text);
    assert.match(ctx.err(), `PENDING: an interrupted run left a journal (phase ${phase}): run \`wso2update recover --home ${f.home}\``);
  }
});

test('a folder that is no pack: refused naming it, nothing written there', async () => {
  const d = tmpDir();
  try {
    await run(cliContext(d), [], { home: d });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.match((err as Error).message, d);
  }
});

test.run();
