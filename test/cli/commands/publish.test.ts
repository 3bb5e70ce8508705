// cli/commands/publish: the vendor side's options checked before publish/level.ts writes anything; the date from
// --date, else the notes, else the (injected) clock; --exclude globs; a signed repository never changed without keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/publish.js';
import { descriptorRel } from '../../../src/core/layout.js';
import { LEVEL0, PRODUCT, writeTree } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

function setup() {
  const cwd = tmpDir();
  writeTree(join(cwd, 'tree'), { ...(LEVEL0 as Record<string, string>), 'repository/logs/x.log': 'runtime', 'lib/skip.tmp': 'x' });
  return cwd;
}
const descriptor = (cwd: string, level: number) => readFileSync(join(cwd, 'repo', descriptorRel(PRODUCT, level)), 'utf8');

test('a level from relative paths; the date from the clock; runtime data and --exclude globs left out; --json', async () => {
  const cwd = setup();
  const ctx = cliContext(cwd);
  assert.is(await run(ctx, [], { repo: 'repo', product: PRODUCT, level: '0', tree: 'tree', exclude: ['*.tmp'], json: true }), 0);
  const r = JSON.parse(ctx.out());
  assert.equal([r.product, r.level, r.previousLevel], [PRODUCT, 0, null]);
  assert.is(r.files, Object.keys(LEVEL0).length, 'logs and *.tmp not shipped');
  assert.match(descriptor(cwd, 0), '2026-12-07');
  assert.match(ctx.err(), `Published ${PRODUCT} level 0`);
});

test('--date wins; a bad date, a missing option or a level of another version: usage errors, nothing written', async () => {
  const cwd = setup();
  await run(cliContext(cwd), [], { repo: 'repo', product: PRODUCT, level: '0', tree: 'tree', date: '2024-03-01' });
  assert.match(descriptor(cwd, 0), '2024-03-01');
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ date: '2024-13-01' }, /--date must be YYYY-MM-DD, got "2024-13-01"/],
    [{ tree: undefined }, /publish needs --tree/],
    [{ product: '' }, /publish needs --product/],
    [{ level: '4.3.0.1' }, /level|version/],
  ];
  for (const [over, message] of cases) {
    const fresh = setup();
    const e = await thrown(() => run(cliContext(fresh), [], { repo: 'repo', product: PRODUCT, level: '1', tree: 'tree', ...over }), 'usage');
    assert.match(e.message, message);
    assert.not.ok(existsSync(join(fresh, 'repo')), JSON.stringify(over));
  }
});

test('a signed repository without --keys is refused; --refresh-timestamp needs --keys', async () => {
  const cwd = setup();
  mkdirSync(join(cwd, 'repo/metadata'), { recursive: true });
  writeFileSync(join(cwd, 'repo/metadata/root.json'), '{}');
  assert.match((await thrown(() => run(cliContext(cwd), [], { repo: 'repo', product: PRODUCT, level: '0', tree: 'tree' }), 'usage')).message, 'is a signed repository');
  assert.match((await thrown(() => run(cliContext(cwd), [], { repo: 'repo', refreshTimestamp: true }), 'usage')).message, 'publish --refresh-timestamp needs --keys DIR');
  assert.equal(readdirSync(join(cwd, 'repo')), ['metadata']);
});

test.run();
