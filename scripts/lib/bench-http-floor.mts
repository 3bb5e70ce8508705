// The floor under the HTTP download (issue 22's 1.5x-of-curl goal): the same 288 random blobs (log-normal sizes, about
// 30-50 MB) fetched from a private nginx on 127.0.0.1, 8 at a time, each client hashing every body (sha256) and
// writing it to a file, rounds in turn: our HttpTransport; bare undici request() (a Readable per body); bare undici
// dispatch() (callbacks, no stream); Node's own http with a keep-alive Agent; and curl --parallel (no hash). Prints
// medians of wall, user and system CPU (ms). User CPU is the comparable figure on a busy machine: the system part is
// mostly the kernel's page-cache writes, which every client pays alike. Not part of `npm run bench`; run by hand:
//   node --import tsx scripts/lib/bench-http-floor.mts [ROUNDS]
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Agent as HttpAgent, get } from 'node:http';
import { join } from 'node:path';
import { Agent } from 'undici';
import { HttpTransport } from '../../src/channel/http/transport.ts';
import { startNginx } from '../../test/helpers/servers.ts';

const rounds = Number(process.argv[2] ?? 7);
const work = new URL('../../.bench/http-floor/', import.meta.url).pathname;
const repo = join(work, 'repo');
rmSync(work, { recursive: true, force: true });
const blobs: [string, number][] = [];
for (let i = 0; i < 288; i++) {
  const size = Math.floor(Math.exp(Math.log(60000) + 1.2 * Math.sqrt(-2 * Math.log(Math.random())) * Math.cos(2 * Math.PI * Math.random())));
  const b = randomBytes(Math.min(size, 3_000_000));
  const sha = createHash('sha256').update(b).digest('hex');
  mkdirSync(join(repo, 'blobs/sha256', sha.slice(0, 2)), { recursive: true });
  writeFileSync(join(repo, 'blobs/sha256', sha.slice(0, 2), sha), b);
  blobs.push([sha, b.length]);
}
console.log('blobs', blobs.length, 'MB', (blobs.reduce((a, b) => a + b[1], 0) / 1048576).toFixed(1));
const rel = (sha: string) => `blobs/sha256/${sha.slice(0, 2)}/${sha}`;
const nginx = await startNginx(repo);
const ours = new HttpTransport(nginx.url, { env: {}, connections: 8 });
const undici = new Agent({ connections: 8, keepAliveTimeout: 10_000 });
const nodeAgent = new HttpAgent({ keepAlive: true, maxSockets: 8 });
const origin = nginx.url;

/** Hashes and writes one body given as chunks; the file is opened while the request is on its way. */
async function keep(file: Promise<import('node:fs/promises').FileHandle>, chunks: Buffer[], hash: ReturnType<typeof createHash>, size: number, got: number): Promise<void> {
  hash.digest('hex');
  if (got !== size) throw new Error(`short body: ${got} of ${size}`);
  const fh = await file;
  await fh.writev(chunks, 0);
  await fh.close();
}

type Fetch = (dir: string, b: [string, number]) => Promise<void>;
const clients: Record<string, Fetch> = {
  ours: (dir, [sha, size]) => ours.fetchTo(rel(sha), join(dir, sha), { size, sha256: sha }),
  'undici request()': async (dir, [sha, size]) => {
    const file = open(join(dir, sha), 'wx');
    const res = await undici.request({ origin, path: `/${rel(sha)}`, method: 'GET' });
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let got = 0;
    for await (const c of res.body as AsyncIterable<Buffer>) {
      hash.update(c);
      chunks.push(c);
      got += c.length;
    }
    await keep(file, chunks, hash, size, got);
  },
  'undici dispatch()': (dir, [sha, size]) => new Promise<void>((resolve, reject) => {
    const file = open(join(dir, sha), 'wx');
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let got = 0;
    undici.dispatch({ origin, path: `/${rel(sha)}`, method: 'GET' }, {
      onRequestStart() {},
      onResponseStart() {},
      onResponseData(_c, chunk) { hash.update(chunk); chunks.push(chunk); got += chunk.length; },
      onResponseEnd() { keep(file, chunks, hash, size, got).then(resolve, reject); },
      onResponseError(_c, err) { reject(err); },
    });
  }),
  'node:http keep-alive': (dir, [sha, size]) => new Promise<void>((resolve, reject) => {
    const file = open(join(dir, sha), 'wx');
    get(`${origin}/${rel(sha)}`, { agent: nodeAgent }, (res) => {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let got = 0;
      res.on('data', (c: Buffer) => { hash.update(c); chunks.push(c); got += c.length; });
      res.on('end', () => { keep(file, chunks, hash, size, got).then(resolve, reject); });
      res.on('error', reject);
    }).on('error', reject);
  }),
};

const results: Record<string, number[][]> = {};
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (let r = 0; r <= rounds; r++) { // round 0 warms every client up (JIT, connections) and is not counted
  for (const [name, fetch] of Object.entries(clients)) {
    const dir = join(work, `out-${r}`);
    mkdirSync(dir, { recursive: true });
    const q = [...blobs];
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: 8 }, async () => { for (let b = q.shift(); b; b = q.shift()) await fetch(dir, b); }));
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    if (r > 0) (results[name] ??= []).push([wall, c.user / 1000, c.system / 1000]);
    rmSync(dir, { recursive: true, force: true });
  }
  const dir = join(work, `curl-${r}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(work, 'curl.cfg'), blobs.map(([sha]) => `url = "${origin}/${rel(sha)}"\noutput = "${join(dir, sha)}"\n`).join(''));
  const t0 = process.hrtime.bigint();
  const c = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', 'curl', '--parallel', '--parallel-max', '8', '--fail', '-s', '-K', join(work, 'curl.cfg')], { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /cpu ([\d.]+) ([\d.]+)/.exec(c.stderr);
  if (c.status !== 0 || !m) throw new Error(`curl failed: ${c.stderr}`);
  if (r > 0) (results['curl --parallel (no hash)'] ??= []).push([wall, Number(m[1]) * 1000, Number(m[2]) * 1000]);
  rmSync(dir, { recursive: true, force: true });
}
console.log(`medians of ${rounds} rounds (ms):`);
for (const [name, v] of Object.entries(results)) {
  console.log(`${name.padEnd(28)} wall ${med(v.map((x) => x[0])).toFixed(0).padStart(5)}  user ${med(v.map((x) => x[1])).toFixed(0).padStart(5)}  sys ${med(v.map((x) => x[2])).toFixed(0).padStart(5)}`);
}
await ours.close();
await undici.close();
nodeAgent.destroy();
await nginx.stop();
rmSync(work, { recursive: true, force: true });
process.exit(0);
