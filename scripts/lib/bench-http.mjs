// The HTTP part of `npm run bench` (run under tsx, as merge-timer.mjs, to share the test helpers' private nginx):
// plan + apply of the large update over HTTP from nginx on 127.0.0.1 (the real CLI, whole processes), and the
// download part alone, the blobs that apply fetches, by the same HttpTransport with 8 connections, beside
// `curl --parallel --parallel-max 8` fetching the same URLs (REPS times each, medians). Prints one JSON line of seconds.
// Usage: node --import tsx scripts/lib/bench-http.mjs REPO PACK_HOME WORK [REPS]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpTransport } from '../../src/channel/http/transport.ts';
import { startNginx } from '../../test/helpers/servers.ts';
import { BIN } from '../build-fixtures.mjs';

const [repo, packHome, work, repsArg = '5'] = process.argv.slice(2);
const reps = Number(repsArg);
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
  cli(['init', '--home', home, '--repo', nginx.url, '--trust-root', join(repo, 'metadata', '1.root.json')]);
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

  // The download part, `reps` times, ours and curl's taking turns (the load of other work on the machine then
  // falls on both alike). Ours is timed inside the process on a transport that has already fetched one small file,
  // as apply's has (it refreshed the TUF metadata and read the index first); curl as a whole process. CPU time
  // (user + system) is reported beside wall time: it moves much less with the machine's load.
  const t = new HttpTransport(nginx.url, { env: {}, connections: 8 });
  await t.read('metadata/timestamp.json');
  const config = join(work, 'curl.cfg');
  const runs = { download: [], curl: [], downloadCpu: [], curlCpu: [] };
  for (let i = 0; i < reps; i++) {
    const ours = join(work, `ours-${i}`);
    mkdirSync(ours);
    spawnSync('sync'); // as the bench's timed(): neither side pays for writing back the other's files
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const queue = [...blobs];
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await t.fetchTo(rel(next[0]), join(ours, next[0]), { size: next[1], sha256: next[0] });
    }));
    runs.download.push(since(t0));
    const cpu = process.cpuUsage(cpu0);
    runs.downloadCpu.push((cpu.user + cpu.system) / 1e6);
    rmSync(ours, { recursive: true, force: true });

    const theirs = join(work, `curl-${i}`);
    mkdirSync(theirs);
    writeFileSync(config, [...blobs.keys()].map((sha) => `url = "${nginx.url}/${rel(sha)}"\noutput = "${join(theirs, sha)}"\n`).join(''));
    spawnSync('sync');
    const c0 = process.hrtime.bigint();
    const c = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'curl', '--parallel', '--parallel-max', '8', '--fail', '--silent', '--show-error', '-K', config], { encoding: 'utf8' });
    runs.curl.push(since(c0));
    if (c.status !== 0) throw new Error(`curl exited ${c.status}: ${c.stderr}`);
    const m = /cpu ([\d.]+) ([\d.]+)/.exec(c.stderr);
    if (!m) throw new Error(`/usr/bin/time printed no CPU times: ${c.stderr}`);
    runs.curlCpu.push(Number(m[1]) + Number(m[2]));
    rmSync(theirs, { recursive: true, force: true });
  }
  await t.close();
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const download = med(runs.download), curl = med(runs.curl), downloadCpu = med(runs.downloadCpu), curlCpu = med(runs.curlCpu);
  console.log(JSON.stringify({ plan: planS, apply: applyS, planApply: planS + applyS, download, curl, downloadCpu, curlCpu, runs, files: blobs.size, bytes }));
} finally {
  await nginx.stop();
  rmSync(work, { recursive: true, force: true });
}
