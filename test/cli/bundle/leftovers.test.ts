// What a killed create-update leaves (issue 22 review). The archive is written under a temporary name beside --out
// (`.b.tar.<12 hex>.tmp`) and renamed only once read back; a SIGKILL (or a power cut) before the rename leaves that
// file, as large as the bundle had grown. The next create-update for the same --out removes such a leftover once
// nothing has written it for a minute (a run still writing one is left alone), as it removes a killed run's download
// folder; other files beside --out are never touched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

type Fx = { repo: string; root: string; product: string };
const dir = tmpDir('wso2update-bundle-left-');
const fx = buildFixtures(join(dir, 'fx')) as Fx;

test('a killed run\'s temporary archive is swept by the next run for that --out; a fresh one and other files stay', async () => {
  const outDir = join(dir, 'out');
  mkdirSync(outDir);
  const out = join(outDir, 'b.tar');
  const old = new Date(Date.now() - 10 * 60_000);
  const left = '.b.tar.0123456789ab.tmp'; // the name a killed run's writer left (io/atomic.ts tempSibling)
  const fresh = '.b.tar.ba9876543210.tmp'; // one a run for the same --out is writing right now
  const others = ['.b.tar.notours.tmp', '.c.tar.0123456789ab.tmp', 'b.tar.0123456789ab.tmp', 'notes.txt'];
  for (const name of [left, fresh, ...others]) writeFileSync(join(outDir, name), 'partial archive bytes');
  for (const name of [left, ...others]) utimesSync(join(outDir, name), old, old);
  const r = await runCli(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '3', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, new RegExp(sha256Hex(readFileSync(out))));
  assert.equal(readdirSync(outDir).sort(), ['b.tar', fresh, ...others].sort());
});

test.run();
