// create-update when the disk runs out (issue 22 review: the writer's buffered sink and its unfsynced publish). A
// file-size limit (ulimit -f; Node ignores SIGXFSZ, so write(2) fails with EFBIG as a full disk fails with ENOSPC)
// stops the archive partway: the user gets an io error naming --out and what to do (never "a bug in wso2update"),
// --out keeps the bundle it held, and no temporary file is left beside it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures } from '../../../scripts/build-fixtures.mjs';
import { cliArgv, runShell, tmpDir } from '../../helpers/tmp.js';

type Fx = { repo: string; root: string; product: string };
const dir = tmpDir('wso2update-bundle-full-');
const fx = buildFixtures(join(dir, 'fx')) as Fx;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

test('a file-size limit reached while writing the bundle: exit 1, "no room", --out as it was, nothing left', async () => {
  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  const out = join(outDir, 'b.tar');
  writeFileSync(out, 'an earlier bundle');
  const [file, argv] = cliArgv(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '3', '--out', out]);
  // 64 KiB of room; the bundle of levels 0-3 is about 320 KiB.
  const r = await runShell(`ulimit -f 64 && exec ${[file, ...argv].map(quote).join(' ')}`);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /no room to write \S*b\.tar: the file-size limit \(ulimit -f\) is reached \(EFBIG\)/);
  assert.match(r.stderr, /Nothing was published and --out keeps what it held/);
  assert.not.match(r.stderr, /bug in wso2update/);
  assert.is(readFileSync(out, 'utf8'), 'an earlier bundle');
  assert.equal(readdirSync(outDir), ['b.tar'], 'no temporary file or download folder left');
});

test.run();
