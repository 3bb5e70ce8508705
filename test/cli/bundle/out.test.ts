// create-update's --out through the real CLI (issue 22 review): an --out that cannot be written as a file (its folder
// missing, or --out itself a folder) is a usage refusal before any work, naming what to do, never "a bug in
// wso2update" at the final rename after the whole archive was written; nothing is left behind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures } from '../../../scripts/build-fixtures.mjs';
import { runCli, tmpDir } from '../../helpers/tmp.js';

type Fx = { repo: string; root: string; product: string };
const dir = tmpDir('wso2update-bundle-out-');
const fx = buildFixtures(join(dir, 'fx')) as Fx;
const create = (out: string) => runCli(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '3', '--out', out]);

test('--out is a folder, its folder is missing, or its "folder" is a file: exit 1, what to do, nothing written', async () => {
  const base = join(dir, 'o');
  mkdirSync(join(base, 'adir'), { recursive: true });
  writeFileSync(join(base, 'afile'), 'x');
  const cases: [string, RegExp, RegExp][] = [
    [join(base, 'adir'), /--out \S*adir is a folder; it names the archive file to write/, /--out \S*adir\/update\.tar/],
    [join(base, 'missing', 'b.tar'), /the folder \S*missing does not exist/, /Create the folder first/],
    [join(base, 'afile', 'b.tar'), /the folder \S*afile is not a folder/, /Create the folder first/],
  ];
  for (const [out, message, hint] of cases) {
    const r = await create(out);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, message);
    assert.match(r.stderr, hint);
    assert.not.match(r.stderr, /bug in wso2update/);
    assert.equal(readdirSync(base).sort(), ['adir', 'afile'], out);
    assert.equal(readdirSync(join(base, 'adir')), [], out);
  }
});

test.run();
