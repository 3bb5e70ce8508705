// cli/commands/mirror in process: an unsigned channel copied to a folder (--allow-unsigned), a pack updating from the
// copy; --levels narrowed to the blobs of those levels; the refusals made before anything is read. Signed mirrors and HTTP: test/cli/mirror/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as mirror } from '../../../src/cli/commands/mirror.js';
import { run as plan } from '../../../src/cli/commands/plan.js';
import { levelDir } from '../../../src/core/layout.js';
import { blobRel } from '../../../src/channel/blobs.js';
import { sha256Hex } from '../../../src/core/canonical.js';
import { makeFixture, PRODUCT } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

test('a copy of an unsigned channel that a pack plans from; --levels copies only those', async () => {
  const f = await makeFixture();
  const to = join(tmpDir(), 'copy');
  const ctx = cliContext('/');
  assert.is(await mirror(ctx, [], { from: f.repo, to, allowUnsigned: true }), 0);
  assert.equal(JSON.parse(readFileSync(join(to, 'index.json'), 'utf8')).products[PRODUCT] !== undefined, true);
  const out = join(tmpDir(), 'p.json');
  assert.is(await plan(cliContext('/'), [], { home: f.home, level: '2', repo: to, out }), 0);
  assert.is(JSON.parse(readFileSync(out, 'utf8')).toLevel, 2);
  const some = join(tmpDir(), 'some');
  assert.is(await mirror(cliContext('/'), [], { from: f.repo, to: some, allowUnsigned: true, levels: '1..2' }), 0);
  // Manifests of every level are copied (verified); blobs only for the levels asked: level 0's old plugin is left out.
  assert.ok(existsSync(join(some, levelDir(PRODUCT, 2))));
  const oldPlugin = blobRel(sha256Hex('old-plugin'));
  assert.ok(existsSync(join(to, oldPlugin)));
  assert.not.ok(existsSync(join(some, oldPlugin)));
  assert.ok(existsSync(join(some, blobRel(sha256Hex('jar-a-v3')))));
});

test('refusals before anything is read: missing --from or --to, --to the same as --from, --to a file, levels reversed', async () => {
  const f = await makeFixture();
  const file = join(tmpDir(), 'file');
  writeFileSync(file, 'x');
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ from: f.repo }, /mirror needs --from URL\|DIR and --to DIR/],
    [{ from: f.repo, to: f.repo }, /--to is the same folder as --from/],
    [{ from: f.repo, to: file }, /is a file, not a folder/],
    [{ from: f.repo, to: join(tmpDir(), 'x'), levels: '2..1' }, /--levels 2..1: the first level is above the last/],
    [{ from: f.repo, to: join(tmpDir(), 'x'), levels: '1-2' }, /--levels must be A..B, A.., ..B or N \(whole numbers\), got "1-2"/],
  ];
  for (const [opts, message] of cases) assert.match((await thrown(() => mirror(cliContext('/'), [], { allowUnsigned: true, ...opts }), 'usage')).message, message);
});

test.run();
