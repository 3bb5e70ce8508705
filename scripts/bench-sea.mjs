#!/usr/bin/env node
// `npm run bench:sea [-- --runs N]`: the single executable beside its peer. Start-up: `wso2update_linux --version`
// beside `node bin/wso2update.js --version` (the same code from a checkout), medians of N runs each. Download: what a
// self-update to a release whose only change is one line (the version line) fetches over HTTP from `serve`'s
// handler, counted per path, beside the size of the whole executable (what it would cost without the code bundle).
// Uses dist/release/ when it has wso2update_linux (else builds it under .bench/sea); everything else goes in .bench/.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, buildFixtures, ROOT, writeHome } from './build-fixtures.mjs';

const argv = process.argv.slice(2);
const runs = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 20;
const work = join(ROOT, '.bench', 'sea');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const dist = (args) => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/dist.mjs'), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
};
let release = join(ROOT, 'dist/release');
if (!existsSync(join(release, 'wso2update_linux'))) {
  release = join(work, 'release');
  dist(['--platforms', 'linux-x64', '--out', release]);
}
const exe = join(release, 'wso2update_linux');

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function startup(cmd, args) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { encoding: 'utf8', env: { PATH: process.env.PATH, CI: '1' } });
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status} ${r.stderr}`);
  }
  return median(ms);
}
// Interleaved rounds, so that a busy moment of the shared machine falls on both.
const sea = [];
const viaNode = [];
for (let round = 0; round < 3; round++) {
  sea.push(startup(exe, ['--version']));
  viaNode.push(startup(process.execPath, [BIN, '--version']));
}

// The one-line change: 0.1.1 differs from the built release only in the line that says its version.
const { createStaticHandler, listen } = await import(join(ROOT, 'dist/publish/serve.js'));
const fx = buildFixtures(join(work, 'fx'));
dist(['--code-only', '--tool-version', '9.9.9', '--out', join(work, 'code-9.9.9')]);
const served = new Map();
const handler = createStaticHandler(fx.repo);
const server = await listen((req, res) => {
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  const count = (chunk) => { if (chunk && typeof chunk !== 'function') served.set(req.url, (served.get(req.url) ?? 0) + Buffer.byteLength(chunk)); };
  res.write = (chunk, ...rest) => { count(chunk); return write(chunk, ...rest); };
  res.end = (chunk, ...rest) => { count(chunk); return end(chunk, ...rest); };
  handler(req, res);
}, '127.0.0.1', 0);
let download;
try {
  const home = writeHome(join(work, 'home'));
  // Asynchronous: the server answers from this process's event loop.
  const cli = (args, cmd = process.execPath, pre = [BIN]) => promisify(execFile)(cmd, [...pre, ...args], { cwd: join(home, 'bin'), env: { PATH: process.env.PATH, CI: '1' } })
    .then(() => ({ status: 0, stderr: '' }), (err) => ({ status: err.code, stderr: String(err.stderr) }));
  const must = (r) => { if (r.status !== 0 && r.status !== 2) throw new Error(r.stderr); return r; };
  must(await cli(['init', '--home', home, '--repo', server.url, '--trust-root', fx.root]));
  copyFileSync(exe, join(home, 'bin', 'wso2update_linux'));
  must(await cli(['publish-tool', '--repo', fx.repo, '--keys', fx.keys, '--release-version', '9.9.9', '--from', join(work, 'code-9.9.9')]));
  served.clear();
  const r = must(await cli(['self-update'], './wso2update_linux', []));
  if (r.status !== 2) throw new Error(`self-update did not update: ${r.stderr}`);
  download = [...served.entries()];
} finally {
  await server.close();
}
const total = download.reduce((s, [, b]) => s + b, 0);
const mb = (b) => `${(b / 1_048_576).toFixed(2)} MB`;
console.log(`start-up, median of ${runs} runs x 3 interleaved rounds:`);
console.log(`  wso2update_linux --version          ${sea.map((x) => x.toFixed(1)).join(' / ')} ms`);
console.log(`  node bin/wso2update.js --version    ${viaNode.map((x) => x.toFixed(1)).join(' / ')} ms`);
console.log(`self-update to a one-line change: ${mb(total)} over HTTP in ${download.length} requests (whole executable: ${mb(statSync(exe).size)})`);
for (const [path, bytes] of download) console.log(`  ${String(bytes).padStart(9)}  ${path}`);
if (!argv.includes('--keep')) rmSync(work, { recursive: true, force: true });
