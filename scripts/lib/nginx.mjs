// A private nginx on 127.0.0.1 serving a folder (the update channel) for the fleet test and `npm run fleet`: its
// own prefix, config, logs and temp paths, `user root` when run as root (else workers run as nobody and get 403 in a
// 0700 temp folder), stopped by the pid in its pid file. The access log records each response's body bytes, which
// is what the fleet benchmark counts against 50 x the update's size.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? 'nginx';

/** A free TCP port on 127.0.0.1 (asked of the kernel, then released for nginx to take). */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitUntil(ok, ms, what) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx: ${what} within ${ms} ms`);
}

/** Starts nginx serving `docroot`; resolves with its URL, access log path and a stop(). */
export async function startNginx(prefix, docroot) {
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const port = await freePort();
  const pidFile = join(prefix, 'nginx.pid');
  const accessLog = join(prefix, 'logs', 'access.log');
  const asRoot = process.getuid?.() === 0;
  writeFileSync(join(prefix, 'nginx.conf'), [
    asRoot ? 'user root;' : '',
    'worker_processes 1;',
    `error_log ${join(prefix, 'logs', 'error.log')} warn;`,
    'events { worker_connections 512; }',
    'http {',
    "  log_format fleet '$remote_addr \"$request\" $status $body_bytes_sent $bytes_sent';",
    `  access_log ${accessLog} fleet;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${join(prefix, `${t}_temp`)};`),
    '  types { application/json json; text/yaml yaml; }',
    '  default_type application/octet-stream;',
    '  sendfile on;',
    '  keepalive_requests 10000;',
    '  server {',
    `    listen 127.0.0.1:${port};`,
    `    root ${docroot};`,
    '    location / { try_files $uri =404; }',
    '  }',
    '}',
    '',
  ].join('\n'));
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-g', `daemon off; pid ${pidFile};`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((r) => child.on('exit', r));
  await waitUntil(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited ${child.exitCode}: ${stderr}`);
    return existsSync(pidFile) && (await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false));
  }, 10_000, 'not answering');
  return {
    url: `http://127.0.0.1:${port}`,
    accessLog,
    async stop() {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try { process.kill(pid, 'SIGQUIT'); } catch { /* already gone */ }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    },
  };
}

/** Requests and body bytes in the access log, in all and for the paths `match` selects. */
export function servedBytes(accessLog, match = () => true) {
  let requests = 0;
  let bytes = 0;
  let all = 0;
  for (const line of readFileSync(accessLog, 'utf8').split('\n')) {
    const m = /"[A-Z]+ (\S+) [^"]*" (\d{3}) (\d+) (\d+)$/.exec(line);
    if (!m) continue;
    all += Number(m[3]);
    if (!match(m[1], Number(m[2]))) continue;
    requests += 1;
    bytes += Number(m[3]);
  }
  return { requests, bytes, all };
}
