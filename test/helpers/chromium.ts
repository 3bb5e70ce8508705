// Debian's chromium, headless, for the review page tests: the DOM as the browser built it, and a screenshot.
// Every run goes through a proxy on 127.0.0.1 that records and refuses each request, and resolves no name, so a
// page that tries to fetch anything is seen (and nothing reaches a network).
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { tmpDir } from './tmp.js';

/** `requests`: the request lines the proxy saw, minus Chromium's own background calls (see BROWSER_OWN). */
export interface BrowserRun { dom: string; stderr: string; requests: string[] }

/**
 * Chromium calls its time and update services at start even with --disable-background-networking; those go to the
 * proxy (which refuses them) and are not the page's, so they are left out of `requests`.
 */
const BROWSER_OWN = /^(GET|POST|CONNECT) (https?:\/\/)?[^/\s]*\b(google\.com|googleapis\.com|gvt1\.com)(:443)?[/\s]/;

async function countingProxy(): Promise<{ port: number; seen: () => string[]; stop: () => Promise<void> }> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    let head = '';
    s.on('data', (d: Buffer) => {
      if (head.includes('\r\n')) return;
      head += d.toString('latin1');
      if (!head.includes('\r\n')) return;
      seen.push(head.split('\r\n')[0]);
      s.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen: () => seen,
    stop: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Loads `file` in headless chromium; `--dump-dom` or `--screenshot=PNG` (then `dom` is empty). */
export async function chromium(file: string, opts: { screenshot?: string; width?: number; height?: number } = {}): Promise<BrowserRun> {
  const proxy = await countingProxy();
  const profile = tmpDir('chromium-profile-');
  const args = [
    '--headless', '--no-sandbox', '--disable-gpu', `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-default-apps', '--disable-extensions', '--metrics-recording-only',
    `--proxy-server=http://127.0.0.1:${proxy.port}`, '--proxy-bypass-list=<-loopback>', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ...(opts.screenshot ? [`--screenshot=${opts.screenshot}`, `--window-size=${opts.width ?? 1200},${opts.height ?? 2400}`, '--hide-scrollbars'] : ['--dump-dom']),
    `file://${file}`,
  ];
  const child = spawn('chromium', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: join(profile, 'home') } });
  let dom = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { dom += d.toString('utf8'); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  // Requests in flight when the page finished still reached the proxy's accept queue: give them a moment to land.
  await new Promise((r) => setTimeout(r, 200));
  const requests = proxy.seen().filter((l) => !BROWSER_OWN.test(l));
  await proxy.stop();
  if (code !== 0) throw new Error(`chromium exited ${code}: ${stderr.slice(-2000)}`);
  return { dom, stderr, requests };
}

/** The visible text of a dumped DOM, roughly as a reader sees it: tags dropped, entities decoded, spaces folded. */
export function visibleText(dom: string): string {
  return dom.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}
