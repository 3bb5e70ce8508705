// Issue 19, leftovers: what makes an archive or a copy of a channel. Each signed target (index, manifests,
// descriptors, hotfix records) is read once by create-update, create-hotfix and mirror (counted by the server that
// serves the channel on 127.0.0.1: the bytes written are the bytes verified, never downloaded again); create-hotfix
// stops on Ctrl-C leaving nothing beside --out, and the scratch of a run killed with SIGKILL is swept by the next
// one; an unsigned mirror takes a manifest as large as the repository itself accepts (512 MiB, not 16 MiB).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { canonicalJson, sha256Hex } from '../../../src/core/canonical.js';
import { manifestRel } from '../../../src/core/layout.js';
import { LEVEL0, LEVEL1, LEVEL2, PRODUCT, writeTree, type TreeSpec } from '../../helpers/pack.js';
import { startFaultServer, type TestServer } from '../../helpers/servers.js';
import { collect, runCli, spawnCli, tmpDir } from '../../helpers/tmp.js';

const root = tmpDir('wso2update-archive-');
const repo = join(root, 'repo');
const keys = join(root, 'keys');
const ROOT_JSON = join(repo, 'metadata', '1.root.json');
const ID = 'WSO2-HF-2026-0042';
const ok = async (args: string[], code = 0) => {
  const r = await runCli(args);
  assert.is(r.code, code, `${args.join(' ')}\n${r.stderr}`);
  return r;
};

async function publish(dir: string, level: number, spec: TreeSpec, signed = true): Promise<void> {
  const tree = join(root, `tree-${level}-${signed}`);
  writeTree(tree, spec);
  const notes = join(root, `notes-${level}.yaml`);
  writeFileSync(notes, stringify({ title: `Level ${level}`, date: `2026-01-0${level + 1}` }));
  await ok(['publish', '--repo', dir, '--product', PRODUCT, '--level', String(level), '--tree', tree, '--notes', notes, ...(signed ? ['--keys', keys] : [])]);
}

/** Requests for signed targets (not TUF metadata, not blobs), by path: each must be 1. */
function targetReads(server: TestServer): Map<string, number> {
  const n = new Map<string, number>();
  for (const s of server.seen) {
    const path = s.url.split('?')[0];
    if (path.startsWith('/metadata/') || path.startsWith('/blobs/')) continue;
    n.set(path, (n.get(path) ?? 0) + 1);
  }
  return n;
}

test('setup: a signed channel with three levels and a hotfix', async () => {
  await ok(['keygen', '--keys', keys]);
  await publish(repo, 0, LEVEL0);
  await publish(repo, 1, LEVEL1);
  await publish(repo, 2, LEVEL2);
  const fix = join(root, 'fix');
  writeTree(fix, { 'lib/b.jar': 'jar-b-hotfix' });
  await ok(['publish-hotfix', '--repo', repo, '--keys', keys, '--product', PRODUCT, '--level', '0', '--id', ID, '--tree', fix, '--title', 'b', '--date', '2026-02-01']);
});

test('create-update, create-hotfix and mirror read each signed target once (counted by the server)', async () => {
  const runs: [string, (url: string, out: string) => string[]][] = [
    ['create-update', (url, out) => ['create-update', '--repo', url, '--product', PRODUCT, '--from', '0', '--to', '2', '--out', join(out, 'b.tar'), '--trust-root', ROOT_JSON]],
    ['create-hotfix', (url, out) => ['create-hotfix', '--repo', url, '--product', PRODUCT, '--id', ID, '--out', join(out, 'hf.tar'), '--trust-root', ROOT_JSON]],
    ['mirror', (url, out) => ['mirror', '--from', url, '--to', join(out, 'copy'), '--trust-root', ROOT_JSON]],
  ];
  for (const [name, args] of runs) {
    const server = await startFaultServer(repo);
    try {
      await ok(args(server.url, tmpDir()));
      const reads = targetReads(server);
      assert.ok(reads.size >= 3, `${name}: only ${[...reads.keys()].join(', ')}`);
      const twice = [...reads].filter(([, n]) => n !== 1);
      assert.equal(twice, [], `${name}: targets read more than once`);
    } finally {
      await server.stop();
    }
  }
});

const hotfixArgs = (url: string, out: string) => ['create-hotfix', '--repo', url, '--product', PRODUCT, '--id', ID, '--out', out, '--trust-root', ROOT_JSON];

/** Starts create-hotfix (or `args`) against a server that never answers a blob; resolves once the first blob is asked for. */
async function stalledCreateHotfix(out: string, args = hotfixArgs): Promise<{ server: TestServer; done: Promise<{ code: number | null; stderr: string }>; kill: (s: NodeJS.Signals) => void }> {
  const server = await startFaultServer(repo, { stall: true });
  const child = spawnCli(args(server.url, out),
    { env: { ...process.env, CI: '1', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = collect(child, null);
  for (let i = 0; i < 400 && !server.seen.some((s) => s.url.startsWith('/blobs/')); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(server.seen.some((s) => s.url.startsWith('/blobs/')), 'no blob was asked for');
  return { server, done, kill: (s) => child.kill(s) };
}

test('create-hotfix: Ctrl-C during the download leaves nothing beside --out; after a SIGKILL the next run sweeps the scratch', async () => {
  const dir = tmpDir();
  const out = join(dir, 'hf.tar');
  writeFileSync(join(dir, 'keep.txt'), 'an operator\'s file\n');
  {
    const run = await stalledCreateHotfix(out);
    run.kill('SIGINT');
    const r = await run.done;
    await run.server.stop();
    assert.is(r.code, 130, `exit ${r.code}: ${r.stderr}`);
    assert.not.match(r.stderr, 'This is a bug');
    assert.equal(readdirSync(dir), ['keep.txt'], 'left beside --out after Ctrl-C');
  }
  {
    const run = await stalledCreateHotfix(out);
    run.kill('SIGKILL');
    await run.done;
    await run.server.stop();
    assert.ok(readdirSync(dir).some((n) => n.startsWith('.create-scratch-hf.tar-')), `a SIGKILL leaves its scratch: ${readdirSync(dir).join(', ')}`);
    await ok(['create-hotfix', '--repo', repo, '--product', PRODUCT, '--id', ID, '--out', out, '--trust-root', ROOT_JSON]);
    assert.equal(readdirSync(dir).sort(), ['hf.tar', 'keep.txt'], 'the next run swept the scratch');
  }
});

test('create-update (the same archive writer): Ctrl-C during the download leaves nothing beside --out', async () => {
  const dir = tmpDir();
  const run = await stalledCreateHotfix(join(dir, 'b.tar'), (url, out) => ['create-update', '--repo', url, '--product', PRODUCT, '--from', '0', '--to', '2', '--out', out, '--trust-root', ROOT_JSON]);
  run.kill('SIGINT');
  const r = await run.done;
  await run.server.stop();
  assert.is(r.code, 130, `exit ${r.code}: ${r.stderr}`);
  assert.equal(readdirSync(dir), [], 'left beside --out after Ctrl-C');
});

test('an unsigned mirror copies a manifest above 16 MiB, as the repository reads it (its cap is 512 MiB)', async () => {
  const plain = join(root, 'plain');
  await publish(plain, 0, LEVEL0, false);
  await publish(plain, 1, LEVEL1, false);
  // Level 1's manifest grows past 16 MiB with entries no mirror of level 0 fetches blobs for.
  const rel = manifestRel(PRODUCT, 1);
  const index = JSON.parse(readFileSync(join(plain, 'index.json'), 'utf8'));
  const found = Object.keys(index.products[PRODUCT].levels['1']).find((k) => /manifest/.test(k)) as string;
  const manifest = JSON.parse(readFileSync(join(plain, rel), 'utf8'));
  for (let i = 0; i < 190_000; i++) manifest.files[`lib/many/f${String(i).padStart(6, '0')}.jar`] = { kind: 'file', sha256: sha256Hex(String(i)), size: 1, mode: '0644' };
  const text = canonicalJson(manifest);
  assert.ok(text.length > 17 << 20, `${text.length} bytes`);
  writeFileSync(join(plain, rel), text);
  index.products[PRODUCT].levels['1'][found] = sha256Hex(text);
  writeFileSync(join(plain, 'index.json'), JSON.stringify(index, null, 2));
  const to = join(tmpDir(), 'copy');
  mkdirSync(to);
  const r = await runCli(['mirror', '--from', plain, '--to', to, '--allow-unsigned', '--levels', '0..0']);
  assert.is(r.code, 0, r.stderr);
  assert.is(sha256Hex(readFileSync(join(to, rel))), sha256Hex(text));
});

test.run();
