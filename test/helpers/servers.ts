// Real HTTP servers on 127.0.0.1 for the transport, CLI and attack tests (issue 10). Every helper resolves to
// { url, stop } and keeps what it saw (requests, ranges) for assertions:
//   serveCli(dir)                 `wso2update serve` as a child process of the built CLI (dist/)
//   startNginx(dir, {tls, limitRate}) a private nginx (the Debian package), optionally https with a test CA, or slow
//   startFaultServer(dir, faults) the static handler in process, with injected faults: drop a blob mid-body,
//                                 answer 503 first, stall, drip, require Basic auth, answer other bytes
//   startProxy()                  a forward proxy (absolute-URI GET and CONNECT) that counts what passed
//   makeTestCa(dir)               a CA and a 127.0.0.1 server certificate made with openssl
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createStaticHandler, listen } from '../../src/publish/serve.js';
import { spawnCli, tmpDir } from './tmp.js';

export interface Seen {
  method: string;
  url: string;
  range?: string;
  ifRange?: string;
  authorization?: string;
}

export interface TestServer {
  url: string;
  /** TCP connections accepted (in-process servers only). */
  connections?: () => number;
  /** Requests in arrival order (not filled for nginx: see accessLog). */
  seen: Seen[];
  stop(): Promise<void>;
}

const seenOf = (req: IncomingMessage): Seen => ({
  method: req.method ?? '', url: req.url ?? '', range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined,
  authorization: req.headers.authorization,
});

/** A free TCP port on 127.0.0.1 (for servers that take a port number, such as nginx). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited ${child.exitCode} before listening`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = netConnect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port}`);
}

/** `wso2update serve --repo dir --port 0`: reads the URL it prints. */
export async function serveCli(dir: string): Promise<TestServer & { child: ChildProcess }> {
  const child = spawnCli(['serve', '--repo', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^(http:\/\/\S+)\n/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    url, child, seen: [],
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

export const hasNginx = (): boolean => spawnSync('sh', ['-c', 'command -v nginx || test -x /usr/sbin/nginx']).status === 0;
const nginxBin = (): string => (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

export interface Ca {
  caCert: string;
  serverCert: string;
  serverKey: string;
}

/** A throw-away CA and a certificate for 127.0.0.1 and localhost signed by it. */
export function makeTestCa(dir = tmpDir('wso2update-ca-')): Ca {
  const p = (n: string) => join(dir, n);
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=wso2update test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/CN=127.0.0.1']);
  writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-out', p('server.pem'), '-days', '2', '-extfile', p('ext.cnf')]);
  return { caCert: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key') };
}

export interface Nginx extends TestServer {
  /** The request lines nginx logged: `METHOD /path STATUS bytes "range"`. */
  accessLog(): string[];
}

/** A private nginx serving `dir` on 127.0.0.1 (REMOTE-NOTES: every path inside its own folder, `user root` as root). */
export async function startNginx(dir: string, opts: { tls?: Ca; limitRate?: string } = {}): Promise<Nginx> {
  if (!hasNginx()) throw new Error('nginx is not installed: apt-get update && apt-get install -y nginx (.ci/run does this)');
  const prefix = tmpDir('wso2update-nginx-');
  for (const d of ['tmp', 'logs']) mkdirSync(join(prefix, d), { recursive: true });
  const port = await freePort();
  const tls = opts.tls
    ? `listen 127.0.0.1:${port} ssl;\n    ssl_certificate ${opts.tls.serverCert};\n    ssl_certificate_key ${opts.tls.serverKey};`
    : `listen 127.0.0.1:${port};`;
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(prefix, 'tmp', t)};`).join('\n');
  writeFileSync(join(prefix, 'nginx.conf'), `${process.getuid?.() === 0 ? 'user root;\n' : ''}worker_processes 1;
error_log ${join(prefix, 'logs', 'error.log')};
events { worker_connections 512; }
http {
  log_format t '$request_method $uri $status $body_bytes_sent "$http_range"';
  access_log ${join(prefix, 'logs', 'access.log')} t;
${temp}
  types { application/json json; application/yaml yaml; }
  default_type application/octet-stream;
  sendfile on;
  keepalive_requests 100000;
  server {
    ${tls}
    root ${dir};
    ${opts.limitRate ? `limit_rate ${opts.limitRate};` : ''}
    location / { autoindex off; }
  }
}
`);
  const pid = join(prefix, 'nginx.pid');
  const child = spawn(nginxBin(), ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${pid};`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  await waitForPort(port, child, `nginx (${err})`);
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen: [],
    accessLog: () => (existsSync(join(prefix, 'logs', 'access.log')) ? readFileSync(join(prefix, 'logs', 'access.log'), 'utf8').split('\n').filter(Boolean) : []),
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGQUIT');
      await gone;
    },
  };
}

export interface Faults {
  /** Which requests the faults apply to (default: blobs). */
  match?: RegExp;
  /** Send the headers and this many body bytes of a full (200 or 206) answer, then cut the connection... */
  dropAfterBytes?: number;
  /** ...this many times (default 1). */
  dropTimes?: number;
  /** Answer 503 to the first N matching requests. */
  fail503?: number;
  /** Never answer matching requests (the connection stays open and silent). */
  stall?: boolean;
  /** Require Basic auth with these credentials (every path). */
  auth?: { username: string; password: string };
  /** Ignore Range headers (answer 200 with the whole file). */
  noRanges?: boolean;
  /** Endless data: answer the file and then this many more bytes, chunked (no content-length to refuse early). */
  extraBytes?: number;
  /** Slow drip: answer matching requests one body byte every this many ms (chunked, so no size to refuse early). */
  dripMs?: number;
  /**
   * Answer a request differently (any path; `n` counts the requests for that path, from 1): a status with no
   * body, other bytes, or `endless` bytes (chunked). Undefined: the normal answer.
   */
  override?: (path: string, n: number) => { status: number } | { body: Buffer } | { endless: number } | undefined;
}

/** The static handler in this process, with the faults asked for. */
export async function startFaultServer(dir: string, faults: Faults = {}): Promise<TestServer> {
  const seen: Seen[] = [];
  const inner = createStaticHandler(dir);
  const match = faults.match ?? /\/blobs\//;
  let drops = faults.dropTimes ?? 1;
  let fails = faults.fail503 ?? 0;
  const stalled: ServerResponse[] = [];
  const counts = new Map<string, number>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    seen.push(seenOf(req));
    if (faults.auth) {
      const want = `Basic ${Buffer.from(`${faults.auth.username}:${faults.auth.password}`).toString('base64')}`;
      if (req.headers.authorization !== want) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="updates"', 'content-length': 0 });
        return res.end();
      }
    }
    const path = decodeURIComponent((req.url ?? '').split('?')[0]);
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const other = faults.override?.(path, counts.get(path) ?? 0);
    if (other && 'status' in other) {
      res.writeHead(other.status, { 'content-length': 0 });
      return res.end();
    }
    if (other && 'body' in other) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': other.body.length });
      return res.end(other.body);
    }
    if (other && 'endless' in other) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(1 << 16, 0x41);
      let left = other.endless;
      const pump = () => {
        while (left > 0 && !res.destroyed) {
          left -= chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      return pump();
    }
    const hit = match.test(req.url ?? '');
    if (hit && faults.dripMs !== undefined) {
      const bytes = readFileSync(join(dir, path));
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let i = 0;
      const timer = setInterval(() => {
        if (res.destroyed || i >= bytes.length) {
          clearInterval(timer);
          return void res.end();
        }
        res.write(bytes.subarray(i, i + 1));
        i += 1;
      }, faults.dripMs);
      stalled.push(res);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (hit && faults.stall) {
      stalled.push(res);
      return;
    }
    if (hit && fails > 0) {
      fails -= 1;
      res.writeHead(503, { 'content-length': 0, 'retry-after': '0' });
      return res.end();
    }
    if (faults.noRanges) delete req.headers.range;
    if (hit && faults.extraBytes !== undefined) {
      const file = join(dir, decodeURIComponent((req.url ?? '').split('?')[0]));
      res.writeHead(200, { 'content-type': 'application/octet-stream', etag: '"endless"' });
      res.write(readFileSync(file));
      res.end(Buffer.alloc(faults.extraBytes, 0x41));
      return;
    }
    if (hit && faults.dropAfterBytes !== undefined && drops > 0) {
      drops -= 1;
      const cut = faults.dropAfterBytes;
      let sent = 0;
      // Let the real handler write headers and body, and cut the socket once `cut` body bytes went out.
      const write = res.write.bind(res) as (chunk: Buffer) => boolean;
      res.write = ((chunk: Buffer) => {
        const buf = Buffer.from(chunk);
        const room = cut - sent;
        if (room <= 0) return false;
        sent += Math.min(room, buf.length);
        if (buf.length >= room) {
          write(buf.subarray(0, room));
          setImmediate(() => res.socket?.destroy());
          return false;
        }
        return write(buf);
      }) as typeof res.write;
    }
    inner(req, res);
  };
  const s = await listen(handler, '127.0.0.1', 0);
  let conns = 0;
  s.server.on('connection', () => { conns += 1; });
  return {
    url: s.url, seen, connections: () => conns,
    stop: async () => {
      for (const r of stalled) r.socket?.destroy();
      await s.close();
    },
  };
}

export interface Proxy extends TestServer {
  /** Absolute-URI requests forwarded (plain http through the proxy). */
  forwarded: string[];
  /** CONNECT tunnels opened (https through the proxy), as host:port. */
  tunnels: string[];
}

/** A forward proxy on 127.0.0.1 that forwards absolute-URI requests and CONNECT tunnels, and counts both. */
export async function startProxy(): Promise<Proxy> {
  const forwarded: string[] = [];
  const tunnels: string[] = [];
  const server: Server = createServer((req, res) => {
    const target = new URL(req.url ?? '');
    forwarded.push(target.href);
    const up = httpRequest({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const up = netConnect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`, seen: [], forwarded, tunnels,
    stop: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
