// Issue 22's HTTP question: what lowers the per-request cost of the download, and is undici the floor? The same blobs
// from a private nginx on 127.0.0.1, plain http/1.1 and TLS (a throw-away CA made with openssl; h2 negotiated by ALPN),
// fetched by our HttpTransport (hash on the way, positional writes) with undici dispatchers of each setting
// (connections, pipelining, allowH2), and by curl --parallel (http/1.1, and --http2 over TLS) on the same blobs.
// Two sets: the bench's shape (288 blobs, log-normal sizes, 30-50 MB) and 1,000 blobs of 4 KB (per-request cost alone).
// Rounds interleave the variants; medians of wall time and CPU time (user + system; ours in-process, curl's child).
// Not part of `npm run bench`; run by hand: node --import tsx scripts/lib/bench-http-h2.mts [--rounds N]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, Pool, type Dispatcher } from 'undici';
import { HttpTransport } from '../../src/io/http/transport.ts';

const argv = process.argv.slice(2);
const rounds = argv.includes('--rounds') ? Number(argv[argv.indexOf('--rounds') + 1]) : 3;
const work = join(process.env.TMPDIR ?? '/tmp', 'wso2update-http-h2');
rmSync(work, { recursive: true, force: true });
const repo = join(work, 'repo');

type Blob = [sha: string, size: number];
function makeBlobs(name: string, n: number, size: () => number): Blob[] {
  const out: Blob[] = [];
  for (let i = 0; i < n; i++) {
    const b = randomBytes(size());
    const sha = createHash('sha256').update(b).digest('hex');
    mkdirSync(join(repo, name, sha.slice(0, 2)), { recursive: true });
    writeFileSync(join(repo, name, sha.slice(0, 2), sha), b);
    out.push([sha, b.length]);
  }
  return out;
}
const normal = () => Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
const sets: Record<string, Blob[]> = {
  bench: makeBlobs('bench', 288, () => Math.min(3_000_000, Math.floor(Math.exp(Math.log(60000) + 1.2 * normal())))),
  small: makeBlobs('small', 1000, () => 4096),
};
const relOf = (set: string, sha: string) => `${set}/${sha.slice(0, 2)}/${sha}`;

// A CA and a server certificate for 127.0.0.1, as test/helpers/servers.ts makes them.
const ssl = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
const p = (n: string) => join(work, n);
ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=bench CA']);
ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
ssl(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.pem'), '-days', '2', '-extfile', p('ext.cnf')]);
const ca = readFileSync(p('ca.pem'), 'utf8');

/** nginx 1.22 with a plain and a TLS+h2 listener, every path in `work`, on 127.0.0.1 only. */
async function startNginx(): Promise<{ plain: string; tls: string; stop: () => void }> {
  const port = () => 20000 + Math.floor(Math.random() * 20000);
  const [a, b] = [port(), port()];
  mkdirSync(p('nginx/logs'), { recursive: true });
  writeFileSync(p('nginx/nginx.conf'), `${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
error_log ${p('nginx/logs/error.log')};
events { worker_connections 1024; }
http {
  access_log off;
${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${p(`nginx/${t}`)};`).join('\n')}
  default_type application/octet-stream;
  sendfile on;
  keepalive_requests 100000;
  http2_max_requests 100000;
  server { listen 127.0.0.1:${a}; root ${repo}; }
  server { listen 127.0.0.1:${b} ssl http2; ssl_certificate ${p('server.pem')}; ssl_certificate_key ${p('server.key')}; root ${repo}; }
}
`);
  const child = spawn('nginx', ['-p', p('nginx'), '-c', p('nginx/nginx.conf'), '-g', `daemon off; pid ${p('nginx/nginx.pid')};`], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (spawnSync('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${a}/`]).status === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { plain: `http://127.0.0.1:${a}`, tls: `https://127.0.0.1:${b}`, stop: () => child.kill('SIGQUIT') };
}

const nginx = await startNginx();
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

interface Variant { name: string; base: () => string; workers: number; dispatcher: () => Dispatcher }
const tlsConnect = { ca: [ca] };
const variants: Variant[] = [
  ...[1, 2, 4, 8, 16].map((c) => ({ name: `http/1.1, ${c} connection(s)`, base: () => nginx.plain, workers: c, dispatcher: () => new Agent({ connections: c }) })),
  { name: 'http/1.1, 8 connections, pipelining 4', base: () => nginx.plain, workers: 32, dispatcher: () => new Agent({ connections: 8, pipelining: 4 }) },
  { name: 'TLS http/1.1, 8 connections', base: () => nginx.tls, workers: 8, dispatcher: () => new Agent({ connections: 8, connect: tlsConnect }) },
  { name: 'TLS h2 (allowH2), 1 connection, 8 streams', base: () => nginx.tls, workers: 8, dispatcher: () => new Pool(nginx.tls, { connections: 1, allowH2: true, connect: tlsConnect }) },
  { name: 'TLS h2 (allowH2), 1 connection, 32 streams', base: () => nginx.tls, workers: 32, dispatcher: () => new Pool(nginx.tls, { connections: 1, allowH2: true, connect: tlsConnect }) },
  { name: 'TLS h2 (allowH2), 4 connections, 32 streams', base: () => nginx.tls, workers: 32, dispatcher: () => new Pool(nginx.tls, { connections: 4, allowH2: true, connect: tlsConnect }) },
];
const curls = [
  { name: 'curl --parallel-max 8, http/1.1', base: () => nginx.plain, args: ['--parallel-max', '8'] },
  { name: 'curl --parallel-max 8, TLS http/1.1', base: () => nginx.tls, args: ['--parallel-max', '8', '--http1.1', '--cacert', p('ca.pem')] },
  { name: 'curl --parallel-max 32, TLS --http2 (multiplexed)', base: () => nginx.tls, args: ['--parallel-max', '32', '--http2', '--cacert', p('ca.pem')] },
];

async function ours(v: Variant, set: string): Promise<[number, number]> {
  const dispatcher = v.dispatcher();
  const t = new HttpTransport(v.base(), { env: {}, connections: v.workers, dispatcher });
  const blobs = sets[set];
  await t.read(relOf(set, blobs[0][0])); // a warm connection, as apply's download finds one after planning
  const out = join(work, 'out'); rmSync(out, { recursive: true, force: true }); mkdirSync(out);
  const q = [...blobs];
  const c0 = process.cpuUsage(); const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: v.workers }, async () => { for (let b = q.shift(); b; b = q.shift()) await t.fetchTo(relOf(set, b[0]), join(out, b[0]), { size: b[1], sha256: b[0] }); }));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6; const cpu = process.cpuUsage(c0);
  await t.close();
  return [ms, (cpu.user + cpu.system) / 1000];
}

function curl(c: (typeof curls)[number], set: string): [number, number] {
  const out = join(work, 'out'); rmSync(out, { recursive: true, force: true }); mkdirSync(out);
  writeFileSync(p('curl.cfg'), sets[set].map(([sha]) => `url = "${c.base()}/${relOf(set, sha)}"\noutput = "${join(out, sha)}"\n`).join(''));
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', 'curl', '--parallel', ...c.args, '--fail', '-s', '-K', p('curl.cfg')], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name}: ${r.stderr}`);
  const [u, s] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return [ms, (u + s) * 1000];
}

const results = new Map<string, { wall: number[]; cpu: number[] }>();
const add = (k: string, [w, c]: [number, number]) => { const r = results.get(k) ?? { wall: [], cpu: [] }; r.wall.push(w); r.cpu.push(c); results.set(k, r); };
try {
  for (let r = 0; r < rounds + 1; r++) { // round 0 warms the JIT and the page cache, and is not counted
    for (const set of Object.keys(sets)) {
      for (const v of variants) { const x = await ours(v, set); if (r > 0) add(`${set}|ours, ${v.name}`, x); }
      for (const c of curls) { const x = curl(c, set); if (r > 0) add(`${set}|${c.name}`, x); }
    }
    if (r > 0) console.error(`round ${r}/${rounds} done`);
  }
} finally {
  nginx.stop();
}
for (const set of Object.keys(sets)) {
  const mb = sets[set].reduce((s, b) => s + b[1], 0) / 1048576;
  console.log(`\n${set}: ${sets[set].length} blobs, ${mb.toFixed(1)} MB; medians of ${rounds} rounds\n`);
  console.log('| client | wall | CPU (user + system) |\n|---|---|---|');
  for (const [k, v] of results) if (k.startsWith(`${set}|`)) console.log(`| ${k.slice(set.length + 1)} | ${median(v.wall).toFixed(0)} ms | ${median(v.cpu).toFixed(0)} ms |`);
}
rmSync(work, { recursive: true, force: true });
process.exit(0);
