// io/script-cache: the checkout runs its one-file bundle with a V8 code cache beside it. A cache may only ever make a
// start faster: whatever is wrong with it (stale, truncated, forged, from another Node, unwritable), the bundle's
// own source is what runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { loadCachedScript } from '../../src/io/script-cache.js';
import { tmpDir } from '../helpers/tmp.js';

// Enough functions that V8's cache is worth something; `answer` is what a test checks ran.
const bundle = (answer: string) =>
  `${Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join('\n')}\n` +
  `exports.main = () => ${JSON.stringify(answer)} + f1(1) + require('node:path').sep;\n`;

function setUp(answer = 'AAA') {
  const dir = tmpDir('script-cache-');
  const file = join(dir, 'code.cjs');
  writeFileSync(file, bundle(answer));
  return { dir, file, cache: `${file}.plan.cache` };
}
type Main = { main: () => string };
const NODE = process.version;

test('first run: no cache, the code runs; save writes the command\'s own cache; the next start of it takes it', () => {
  const { file, cache } = setUp();
  const a = loadCachedScript<Main>(file, NODE, 'plan');
  assert.is(a.cacheUsed, false);
  assert.is(a.exports.main(), 'AAA2/');
  a.save();
  const header = readFileSync(cache).subarray(0, 200).toString('latin1').split('\n')[0];
  assert.match(header, new RegExp(`^wso2update-code-cache 3 [0-9a-f]{64} [0-9a-f]{64} ${NODE.replace(/\./g, '\\.')} plan $`));
  const b = loadCachedScript<Main>(file, NODE, 'plan');
  assert.is(b.cacheUsed, true);
  assert.is(b.exports.main(), 'AAA2/');
});

test('a cache that was used is not written again; each command has its own and never takes another\'s', () => {
  const { dir, file, cache } = setUp();
  loadCachedScript<Main>(file, NODE, 'plan').save();
  const before = statSync(cache);
  loadCachedScript<Main>(file, NODE, 'plan').save();
  assert.is(statSync(cache).ino, before.ino, 'rewritten although it was used');
  const apply = loadCachedScript<Main>(file, NODE, 'apply');
  assert.is(apply.cacheUsed, false, 'apply ran on plan\'s cache');
  apply.save();
  assert.match(readFileSync(join(dir, 'code.cjs.apply.cache'), 'latin1').split('\n')[0], / apply $/);
  assert.is(statSync(cache).ino, before.ino, 'plan\'s cache was touched by apply');
  assert.is(loadCachedScript<Main>(file, NODE, 'apply').cacheUsed, true);
  // A cache renamed to another command's name is refused by its header.
  copyFileSync(cache, join(dir, 'code.cjs.status.cache'));
  assert.is(loadCachedScript<Main>(file, NODE, 'status').cacheUsed, false);
});

test('a cache another process of the same command has written since this one started is not written again', () => {
  const { file, cache } = setUp();
  const early = loadCachedScript<Main>(file, NODE, 'plan'); // started before the cache existed
  loadCachedScript<Main>(file, NODE, 'plan').save();
  const first = statSync(cache).ino;
  early.save();
  assert.is(statSync(cache).ino, first, 'rewritten over what the other process wrote');
});

test('the one cache of every command that version 2 kept (<bundle>.cache) is removed by the next save', () => {
  const { dir, file } = setUp();
  writeFileSync(join(dir, 'code.cjs.cache'), 'wso2update-code-cache 2 old\n');
  assert.is(loadCachedScript<Main>(file, NODE, 'plan').cacheUsed, false);
  loadCachedScript<Main>(file, NODE, 'plan').save();
  assert.equal(readdirSync(dir).sort(), ['code.cjs', 'code.cjs.plan.cache']);
});

test('a bundle edited to the same length never runs the old bytecode (V8 itself checks only the length)', () => {
  const { file, cache } = setUp('AAA');
  loadCachedScript<Main>(file, NODE, 'plan').save();
  writeFileSync(file, bundle('BBB')); // same length, other code
  // Why the header's sha256 is needed: V8 alone would take the stale cache for the new source.
  const v8 = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, {
    cachedData: readFileSync(cache).subarray(readFileSync(cache).indexOf(0x0a) + 1),
  });
  assert.is(v8.cachedDataRejected, false);
  const b = loadCachedScript<Main>(file, NODE, 'plan');
  assert.is(b.cacheUsed, false);
  assert.is(b.exports.main(), 'BBB2/');
  b.save();
  assert.is(loadCachedScript<Main>(file, NODE, 'plan').cacheUsed, true, 'the next start has a cache of the new bundle');
});

test('why the data carries its own sha256: V8 (Node 20.20) kills the process on zeroed cache data of the right length', () => {
  // What a crash can leave of a renamed but unflushed file. Run in a child: the abort takes the process with it.
  const child = `
    const { Script } = require('node:vm');
    const src = (tag) => '(function () {' + Array.from({ length: 200 }, (_, i) => 'function f' + i + '(x) { return x * ' + i + '; }').join('\\n') + '\\nreturn "' + tag + '" + f1(1); })';
    const s = new Script(src('A')); s.runInThisContext()();
    const data = s.createCachedData();
    const torn = Buffer.concat([data.subarray(0, 64), Buffer.alloc(data.length - 64)]);
    const t = new Script(src('B'), { cachedData: torn });
    console.log('rejected', t.cachedDataRejected, t.runInThisContext()());`;
  const r = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8' });
  // A V8 fatal error (SIGTRAP) or a C++ abort (SIGABRT), depending on where the garbage is first read.
  assert.ok(r.signal === 'SIGTRAP' || r.signal === 'SIGABRT', `${r.status} ${r.signal} ${r.stdout}`);
  assert.not.match(r.stdout, /rejected/);
});

test('hostile caches: truncated, forged data, bad headers, another Node, huge: the code runs, a good cache replaces it', () => {
  const { file, cache } = setUp();
  loadCachedScript<Main>(file, NODE, 'plan').save();
  const good = readFileSync(cache);
  const nl = good.indexOf(0x0a);
  const header = good.subarray(0, nl).toString('latin1');
  const cases: Record<string, Buffer> = {
    empty: Buffer.alloc(0),
    'header only': good.subarray(0, nl + 1),
    truncated: good.subarray(0, nl + 1 + Math.floor((good.length - nl) / 2)),
    'forged data': Buffer.concat([good.subarray(0, nl + 1), Buffer.alloc(good.length - nl - 1, 0x41)]),
    'zeroed data (a crash after the rename)': Buffer.concat([good.subarray(0, nl + 1 + 64), Buffer.alloc(good.length - nl - 1 - 64)]),
    'another node': Buffer.concat([Buffer.from(header.replace(NODE, 'v18.0.0'), 'latin1'), good.subarray(nl)]),
    'bad command name': Buffer.concat([Buffer.from(header.replace(/ plan $/, ' ../x '), 'latin1'), good.subarray(nl)]),
    'another command': Buffer.concat([Buffer.from(header.replace(/ plan $/, ' apply '), 'latin1'), good.subarray(nl)]),
    'two commands (version 2)': Buffer.concat([Buffer.from(header.replace(/ plan $/, ' apply,plan '), 'latin1'), good.subarray(nl)]),
    'version 2': Buffer.concat([Buffer.from(header.replace('code-cache 3', 'code-cache 2'), 'latin1'), good.subarray(nl)]),
    'extra word': Buffer.concat([Buffer.from(`${header}x y`, 'latin1'), good.subarray(nl)]),
    'no newline, huge': Buffer.alloc(1 << 20, 0x61),
    'not ours': Buffer.concat([Buffer.from('other-cache 1 ', 'latin1'), good]),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    writeFileSync(cache, bytes);
    const s = loadCachedScript<Main>(file, NODE, 'plan');
    assert.is(s.cacheUsed, false, name);
    assert.is(s.exports.main(), 'AAA2/', name);
    s.save();
    assert.is(loadCachedScript<Main>(file, NODE, 'plan').cacheUsed, true, `${name}: rewritten`);
  }
});

test('a cache that cannot be written is no error and leaves no temporary; odd command names are "other"', () => {
  const { dir, file, cache } = setUp();
  mkdirSync(cache); // the rename over it fails
  const s = loadCachedScript<Main>(file, NODE, 'plan');
  s.save();
  assert.equal(readdirSync(dir).sort(), ['code.cjs', 'code.cjs.plan.cache']);
  const other = setUp();
  loadCachedScript<Main>(other.file, NODE, '../../etc/passwd').save();
  assert.equal(readdirSync(other.dir).sort(), ['code.cjs', 'code.cjs.other.cache']);
  assert.match(readFileSync(join(other.dir, 'code.cjs.other.cache'), 'latin1').split('\n')[0], / other $/);
});

test('many processes starting at once on one bundle: each runs its code, the cache they race to write is whole and used after', async () => {
  // Issue 22 review: the checkout's every start may write the cache (a command not yet in it), so parallel starts
  // (a script running plan for many packs) race on one file. The rename makes the last writer win whole; a reader
  // meanwhile sees the old cache or the new one, never a torn one, and nobody leaves a temporary file behind.
  const { dir, file, cache } = setUp('RACE');
  const mod = fileURLToPath(new URL('../../src/io/script-cache.ts', import.meta.url));
  const child = `import { loadCachedScript } from ${JSON.stringify(mod)};
    const s = loadCachedScript(${JSON.stringify(file)}, process.version, process.argv[2]);
    const out = s.exports.main();
    s.save();
    process.stdout.write(out);`;
  const script = join(dir, 'child.mts');
  writeFileSync(script, child);
  const run = (command: string) => new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', script, command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    c.on('close', (code) => resolve({ code, out, err }));
  });
  for (let round = 0; round < 2; round++) {
    const commands = ['plan', 'plan', 'plan', 'apply', 'apply', 'status'];
    const results = await Promise.all(commands.map(run));
    for (const r of results) {
      assert.is(r.code, 0, r.err);
      assert.is(r.out, 'RACE2/');
    }
    for (const command of ['plan', 'apply', 'status']) assert.is(loadCachedScript<Main>(file, NODE, command).cacheUsed, true, `round ${round}: ${command}'s cache left by the race is whole`);
    assert.equal(readdirSync(dir).sort(), ['child.mts', 'code.cjs', 'code.cjs.apply.cache', 'code.cjs.plan.cache', 'code.cjs.status.cache'], `round ${round}: no temporary left`);
  }
  assert.match(readFileSync(cache, 'latin1').split('\n')[0], / plan $/);
});

test('temporaries left by processes killed while saving are removed by the next save once stale; a fresh one stays', () => {
  const { dir, file } = setUp();
  const stale = '.code.cjs.plan.cache.0123456789ab.tmp';
  const fresh = '.code.cjs.plan.cache.ba9876543210.tmp';
  const other = '.code.cjs.0123456789ab.tmp';
  for (const name of [stale, fresh, other]) writeFileSync(join(dir, name), 'half a cache');
  const old = new Date(Date.now() - 10 * 60_000);
  utimesSync(join(dir, stale), old, old);
  utimesSync(join(dir, other), old, old);
  loadCachedScript<Main>(file, NODE, 'plan').save();
  assert.equal(readdirSync(dir).sort(), [fresh, other, 'code.cjs', 'code.cjs.plan.cache'].sort());
});

test.run();
