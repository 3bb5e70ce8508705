// One keep-alive connection pool for a whole run, with the operator's proxies and private CA. undici's
// EnvHttpProxyAgent picks a proxy per request from http_proxy / https_proxy / no_proxy; the variables are handed in
// (cli/ owns `process.env`), both spellings honoured, lower case first as curl does. Plain http goes through the
// proxy as an absolute-URI request (proxyTunnel false): many forward proxies refuse CONNECT to port 80, and the
// undici default would tunnel (REMOTE-NOTES). https always tunnels, so the proxy never sees the content.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
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
  return { httpProxy: envOf(env, 'http_proxy'), httpsProxy: envOf(env, 'https_proxy'), noProxy: envOf(env, 'no_proxy') };
}

export function createDispatcher(o: DispatcherOptions): Dispatcher {
  const ca = trustedCas(o);
  const connect = { timeout: o.connectTimeoutMs, ...(ca ? { ca } : {}) };
  const common = { connections: o.connections, connect, keepAliveTimeout: 10_000 };
  const p = proxiesFrom(o.env);
  if (!p.httpProxy && !p.httpsProxy) return new Agent(common);
  for (const [name, value] of [['http_proxy', p.httpProxy], ['https_proxy', p.httpsProxy]] as const) {
    if (value && !/^https?:\/\/[^/]/i.test(value)) {
      throw new UpdateError('usage', `${name} must be a URL such as http://proxy.example.com:3128`, { hint: `Fix or unset ${name} (and ${name.toUpperCase()}).` });
    }
  }
  return new EnvHttpProxyAgent({
    ...common,
    // Explicit values (empty when unset), so that EnvHttpProxyAgent never reads process.env behind our back.
    httpProxy: p.httpProxy,
    httpsProxy: p.httpsProxy,
    noProxy: p.noProxy,
    proxyTunnel: false,
    ...(ca ? { requestTls: { ca } } : {}),
  });
}
