// `wso2update serve`: a small static file server for demos and tests (production uses any static web server). It
// answers GET and HEAD with a strong ETag, single byte ranges (with If-Range) and 304 on If-None-Match, and never
// serves anything outside the repository folder: paths with `..`, NUL or backslashes are refused, and the real path
// (symlinks resolved) must still be inside the folder. No directory listings.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, sep } from 'node:path';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const TYPES: Record<string, string> = { json: 'application/json', yaml: 'application/yaml', md: 'text/markdown' };

function end(res: ServerResponse, status: number, text = ''): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The file a request path names, or null when it is not a plain file inside `root` (a realpath). */
async function resolveInside(root: string, urlPath: string): Promise<{ file: string; size: number; etag: string; mtime: Date } | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const parts = decoded.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))) return null;
  try {
    const file = await realpath(join(root, ...parts));
    if (!file.startsWith(root + sep)) return null;
    const st = await stat(file);
    if (!st.isFile()) return null;
    return { file, size: st.size, etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}-${st.ino.toString(16)}"`, mtime: st.mtime };
  } catch {
    return null;
  }
}

/** A single range of `bytes=a-b`, `bytes=a-` or `bytes=-n`; undefined when unsatisfiable, null when not one range. */
function parseRange(h: string, size: number): { start: number; end: number } | null | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h.trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let last: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    last = size - 1;
  } else {
    start = Number(m[1]);
    last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > last || start >= size ? undefined : { start, end: last };
}

export function createStaticHandler(root: string): Handler {
  const rootReady = realpath(root);
  return (req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return end(res, 405, 'only GET and HEAD\n');
      const path = (req.url ?? '/').split('?')[0];
      const f = await resolveInside(await rootReady, path);
      if (!f) return end(res, 404, 'not found\n');
      const headers: Record<string, string | number> = {
        'content-type': TYPES[f.file.split('.').pop() ?? ''] ?? 'application/octet-stream',
        etag: f.etag, 'last-modified': f.mtime.toUTCString(), 'accept-ranges': 'bytes', 'cache-control': 'no-cache',
      };
      if (req.headers['if-none-match'] === f.etag) {
        res.writeHead(304, headers);
        return res.end();
      }
      const rangeHeader = req.headers.range;
      const ifRange = req.headers['if-range'];
      const range = rangeHeader && (ifRange === undefined || ifRange === f.etag) ? parseRange(rangeHeader, f.size) : null;
      if (range === undefined) {
        res.writeHead(416, { 'content-range': `bytes */${f.size}`, 'content-length': 0 });
        return res.end();
      }
      const { start, end: last } = range ?? { start: 0, end: f.size - 1 };
      if (range) headers['content-range'] = `bytes ${start}-${last}/${f.size}`;
      headers['content-length'] = f.size === 0 ? 0 : last - start + 1;
      res.writeHead(range ? 206 : 200, headers);
      if (req.method === 'HEAD' || f.size === 0) return res.end();
      const stream = createReadStream(f.file, { start, end: last });
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    })().catch(() => res.destroy());
  };
}

export interface RunningServer {
  /** `http://host:port` (no trailing slash). */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0: any free port) and resolves once it accepts connections. */
export async function listen(handler: Handler, host: string, port: number): Promise<RunningServer> {
  const server = createServer({ keepAliveTimeout: 5000 }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const addr = server.address() as AddressInfo;
  const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${h}:${addr.port}`,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
