// The HTTP part of `npm run bench` (run under tsx, as merge-timer.mjs, to share the test helpers' private nginx):
// plan + apply of the large update over HTTP from nginx on 127.0.0.1 (the real CLI, whole processes), and the
// download part alone, the blobs that apply fetches, by the same HttpTransport with 8 connections, beside
// `curl --parallel --parallel-max 8` fetching the same URLs. Prints one JSON line of seconds.
// Usage: node --import tsx scripts/lib/bench-http.mjs REPO PACK_HOME WORK
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpTransport } from '../../src/io/http/transport.ts';
import { startNginx } from '../../test/helpers/servers.ts';
import { BIN } from '../build-fixtures.mjs';

const [repo, packHome, work] = process.argv.slice(2);
const since = (t) => Number(process.hrtime.bigint() - t) / 1e9;
function cli(args) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  if (r.status !== 0) throw new Error(`wso2update ${args[0]} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return since(t);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const nginx = await startNginx(repo);
try {
  const home = join(work, 'home');
  spawnSync('cp', ['-a', packHome, home]);
  cli(['init', '--home', home, '--repo', nginx.url]);
  const plan = join(work, 'plan.json');
  const planS = cli(['plan', '--home', home, '--out', plan]);
  const applyS = cli(['apply', plan, '--home', home, '--yes']);

  // The blobs apply downloads: every added or replaced file's content, once each.
  const blobs = new Map();
  for (const a of JSON.parse(readFileSync(plan, 'utf8')).actions) {
    if ((a.action === 'add' || a.action === 'replace') && a.after.kind === 'file') blobs.set(a.after.sha256, a.after.size);
  }
  const rel = (sha) => `blobs/sha256/${sha.slice(0, 2)}/${sha}`;
  const bytes = [...blobs.values()].reduce((x, y) => x + y, 0);

  const ours = join(work, 'ours');
  mkdirSync(ours);
  const t = new HttpTransport(nginx.url, { env: {}, connections: 8 });
  let t0 = process.hrtime.bigint();
  const queue = [...blobs];
  await Promise.all(Array.from({ length: 8 }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await t.fetchTo(rel(next[0]), join(ours, next[0]), { size: next[1], sha256: next[0] });
  }));
  const download = since(t0);
  await t.close();

  const theirs = join(work, 'curl');
  mkdirSync(theirs);
  const config = join(work, 'curl.cfg');
  writeFileSync(config, [...blobs.keys()].map((sha) => `url = "${nginx.url}/${rel(sha)}"\noutput = "${join(theirs, sha)}"\n`).join(''));
  t0 = process.hrtime.bigint();
  const c = spawnSync('curl', ['--parallel', '--parallel-max', '8', '--fail', '--silent', '--show-error', '-K', config], { encoding: 'utf8' });
  const curl = since(t0);
  if (c.status !== 0) throw new Error(`curl exited ${c.status}: ${c.stderr}`);
  console.log(JSON.stringify({ plan: planS, apply: applyS, planApply: planS + applyS, download, curl, files: blobs.size, bytes }));
} finally {
  await nginx.stop();
  rmSync(work, { recursive: true, force: true });
}
