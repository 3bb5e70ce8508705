// One keep-alive connection pool per repository, with the operator's proxies and private CA. The route (a proxy
// from http_proxy / https_proxy / no_proxy, or direct) is chosen here once per repository, as curl chooses it, rather
// than per request inside undici, because what may be sent depends on it: Basic credentials over plain http go only
// to this machine directly, never to a proxy (io/http/transport.ts). The variables are handed in (cli/ owns
// `process.env`), both spellings honoured, lower case first as curl does. Plain http goes through the proxy as an
// absolute-URI request (proxyTunnel false): many forward proxies refuse CONNECT to port 80, and the undici default
// would tunnel (REMOTE-NOTES). https always tunnels, so the proxy never sees the content.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { UpdateError } from '../../core/errors.js';

export interface DispatcherOptions {
  env: Record<string, string | undefined>;
  /** PEM file of a private CA (--ca-file), trusted beside the public roots and NODE_EXTRA_CA_CERTS. */
  caFile?: string;
  /** Connections per origin: the download parallelism. */
  connections: number;
  connectTimeoutMs: number;
}

const envOf = (env: DispatcherOptions['env'], name: string): string =>
  env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '';

function readPem(file: string, flag: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UpdateError('not-found', `${flag} ${file} cannot be read: ${(err as Error).message}`, { hint: 'Give the PEM file of the CA that signed the repository server certificate.', cause: err });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UpdateError('invalid-input', `${flag} ${file} holds no PEM certificate`, { hint: 'The file must contain one or more "-----BEGIN CERTIFICATE-----" blocks.' });
  }
  return text;
}

/** The trusted CAs, or undefined for Node's defaults (which already include NODE_EXTRA_CA_CERTS). */
function trustedCas(o: DispatcherOptions): string[] | undefined {
  if (!o.caFile) return undefined;
  // Passing `ca` replaces Node's store, which held NODE_EXTRA_CA_CERTS: add them back, with the public roots.
  const extra = o.env.NODE_EXTRA_CA_CERTS ? [readPem(o.env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS')] : [];
  return [...rootCertificates, ...extra, readPem(o.caFile, '--ca-file')];
}

export interface ProxyChoice {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

export function proxiesFrom(env: DispatcherOptions['env']): ProxyChoice {
  // https URLs use https_proxy, and http_proxy when that is unset (undici's rule, as npm's).
  const p = { httpProxy: envOf(env, 'http_proxy'), httpsProxy: envOf(env, 'https_proxy'), noProxy: envOf(env, 'no_proxy') };
  for (const [name, value] of [['http_proxy', p.httpProxy], ['https_proxy', p.httpsProxy]] as const) {
    if (value && !/^https?:\/\/[^/]/i.test(value)) {
      throw new UpdateError('usage', `${name} must be a URL such as http://proxy.example.com:3128`, { hint: `Fix or unset ${name} (and ${name.toUpperCase()}).` });
    }
  }
  return p;
}

/** A no_proxy entry names this host: `*`, the host, a parent domain (`example.com`, `.example.com`, `*.example.com`), optionally with `:port`. */
function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.toLowerCase().split(/[,\s]+/)) {
    if (raw === '*') return true;
    const m = /^\[(.+)\](?::(\d+))?$/.exec(raw) ?? (raw.split(':').length > 2 ? [raw, raw, undefined] : /^([^:]+)(?::(\d+))?$/.exec(raw));
    if (!m) continue;
    const entry = m[1].replace(/^\*?\./, '');
    if (entry && (m[2] === undefined || m[2] === port) && (host === entry || host.endsWith(`.${entry}`))) return true;
  }
  return false;
}

/**
 * The proxy every request to `base` goes through, or undefined for a direct connection: decided once per
 * repository, so that what is sent (credentials above all) is judged by the route it really takes.
 */
export function proxyFor(base: URL, p: ProxyChoice): string | undefined {
  const proxy = base.protocol === 'https:' ? p.httpsProxy || p.httpProxy : p.httpProxy;
  return proxy && !bypassed(base, p.noProxy) ? proxy : undefined;
}

/** `host:port` of a proxy URL, for messages (its user name and password stay out of them). */
export function proxyHost(proxy: string): string {
  return new URL(proxy).host;
}

export function createDispatcher(o: DispatcherOptions & { base: URL; proxy: string | undefined }): Dispatcher {
  const ca = trustedCas(o);
  const connect = { timeout: o.connectTimeoutMs, ...(ca ? { ca } : {}) };
  const common = { connections: o.connections, connect, keepAliveTimeout: 10_000 };
  if (!o.proxy) return new Agent(common);
  return new ProxyAgent({
    ...common,
    uri: o.proxy,
    proxyTunnel: o.base.protocol === 'https:',
    ...(ca ? { requestTls: { ca } } : {}),
  });
}
