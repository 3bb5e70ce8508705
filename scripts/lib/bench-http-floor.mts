// The floor under the HTTP download (issue 10's 1.3x-of-curl goal): the same 288 random blobs (log-normal sizes, about
// 30-50 MB) fetched from a private nginx on 127.0.0.1 by our HttpTransport (hash on the way, positional writes),
// by bare undici piped to files, by bare undici hashing and writing each body at once, and by curl --parallel, four
// rounds in turn. Not part of `npm run bench`; run by hand: node --import tsx scripts/lib/bench-http-floor.mts
import { mkdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pipeline } from 'node:stream/promises';
import { Pool } from 'undici';
import { HttpTransport } from '../../src/channel/http/transport.ts';
import { startNginx } from '../../test/helpers/servers.ts';
const work = new URL('../../.bench/http-floor/', import.meta.url).pathname;
const repo = join(work, 'repo');
rmSync(repo, { recursive: true, force: true });
const blobs: [string, number][] = [];
for (let i = 0; i < 288; i++) {
  const size = Math.floor(Math.exp(Math.log(60000) + 1.2 * Math.sqrt(-2 * Math.log(Math.random())) * Math.cos(2 * Math.PI * Math.random())));
  const b = randomBytes(Math.min(size, 3_000_000));
  const sha = createHash('sha256').update(b).digest('hex');
  mkdirSync(join(repo, 'blobs/sha256', sha.slice(0, 2)), { recursive: true });
  writeFileSync(join(repo, 'blobs/sha256', sha.slice(0, 2), sha), b);
  blobs.push([sha, b.length]);
}
console.log('MB', blobs.reduce((a, b) => a + b[1], 0) / 1048576);
const rel = (sha: string) => `blobs/sha256/${sha.slice(0, 2)}/${sha}`;
const nginx = await startNginx(repo);
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const t = new HttpTransport(nginx.url, { env: {}, connections: 8 });
await t.read(rel(blobs[0][0]));
const pool = new Pool(nginx.url, { connections: 8 });
async function par(f: (b: [string, number]) => Promise<void>) {
  const q = [...blobs];
  await Promise.all(Array.from({ length: 8 }, async () => { for (let n = q.shift(); n; n = q.shift()) await f(n); }));
}
for (let r = 0; r < 4; r++) {
  for (const [name, f] of [
    ['ours', (d: string) => (b: [string, number]) => t.fetchTo(rel(b[0]), join(d, b[0]), { size: b[1], sha256: b[0] })],
    ['raw-undici-pipe', (d: string) => async (b: [string, number]) => { const res = await pool.request({ path: '/' + rel(b[0]), method: 'GET' }); await pipeline(res.body, createWriteStream(join(d, b[0]))); }],
    ['raw-undici-hash', (d: string) => async (b: [string, number]) => { const res = await pool.request({ path: '/' + rel(b[0]), method: 'GET' }); const h = createHash('sha256'); const chunks: Buffer[] = []; for await (const c of res.body) { h.update(c); chunks.push(c); } writeFileSync(join(d, b[0]), Buffer.concat(chunks)); h.digest('hex'); }],
  ] as const) {
    const d = join(work, `out-${name}`); rmSync(d, { recursive: true, force: true }); mkdirSync(d);
    const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
    await par((f as any)(d));
    const cpu = process.cpuUsage(c0);
    console.log(name, since(t0).toFixed(0), 'ms cpu', ((cpu.user + cpu.system) / 1000).toFixed(0));
  }
  const d = join(work, 'out-curl'); rmSync(d, { recursive: true, force: true }); mkdirSync(d);
  writeFileSync(join(work, 'curl.cfg'), blobs.map(([sha]) => `url = "${nginx.url}/${rel(sha)}"\noutput = "${join(d, sha)}"\n`).join(''));
  const t0 = process.hrtime.bigint();
  spawnSync('curl', ['--parallel', '--parallel-max', '8', '--fail', '-s', '-K', join(work, 'curl.cfg')]);
  console.log('curl', since(t0).toFixed(0), 'ms');
}
await t.close(); await pool.close(); await nginx.stop();
rmSync(work, { recursive: true, force: true });
process.exit(0);
