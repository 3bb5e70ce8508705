// cli/commands/init: the shell around plan/adopt and plan/repoint: options read and checked, a fresh lineage per
// pack, the report rendered; --reconfigure moves an adopted pack to another copy of its channel.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/init.js';
import { LEVEL0, makeFixture, PRODUCT, writeTree } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

function freshPack(): string {
  const home = join(tmpDir(), 'pack');
  writeTree(home, LEVEL0);
  mkdirSync(join(home, 'updates'), { recursive: true });
  writeFileSync(join(home, 'updates/product.txt'), `${PRODUCT}\n`);
  return home;
}
const stateOf = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));

test('two packs adopted from one channel get different lineages; --keep-generations recorded; --json on stdout', async () => {
  const { repo } = await makeFixture();
  const [a, b] = [freshPack(), freshPack()];
  const ctx = cliContext(a);
  assert.is(await run(ctx, [], { home: a, repo, allowUnsigned: true, keepGenerations: '7' }), 0);
  assert.match(ctx.err(), `Adopted ${a}`);
  const j = cliContext(b);
  assert.is(await run(j, [], { home: b, repo, allowUnsigned: true, json: true }), 0);
  assert.is(JSON.parse(j.out()).product, PRODUCT);
  assert.is.not(stateOf(a).lineage, stateOf(b).lineage);
  assert.equal([stateOf(a).keepGenerations, stateOf(b).keepGenerations], [7, 3]);
});

test('option refusals before anything is written', async () => {
  const { repo } = await makeFixture();
  for (const [opts, message] of [
    [{ keepGenerations: '0' }, /--keep-generations must be a whole number from 1 to 100, got "0"/],
    [{ keepGenerations: '1.5' }, /--keep-generations must be a whole number/],
    [{ keepGenerations: 101 }, /--keep-generations must be a whole number/],
    [{ reconfigure: true, repo: undefined }, /init --reconfigure needs --repo/],
    [{ reconfigure: true, level: '2' }, /init --reconfigure changes only the repository/],
  ] as [Record<string, unknown>, RegExp][]) {
    const home = freshPack();
    const e = await thrown(() => run(cliContext(home), [], { home, repo, allowUnsigned: true, ...opts }), 'usage');
    assert.match(e.message, message);
  }
});

test('--reconfigure: the same channel elsewhere; level, lineage and serial stay', async () => {
  const f = await makeFixture();
  const before = stateOf(f.home);
  const copy = join(tmpDir(), 'mirror');
  cpSync(f.repo, copy, { recursive: true });
  const ctx = cliContext(f.home);
  assert.is(await run(ctx, [], { home: f.home, repo: copy, reconfigure: true, allowUnsigned: true }), 0);
  const after = stateOf(f.home);
  assert.is(after.repository, copy);
  assert.equal([after.level, after.lineage, after.serial], [before.level, before.lineage, before.serial]);
  assert.match(ctx.err(), `Reconfigured ${f.home}: repository ${copy} (was ${f.repo})`);
});

test.run();
