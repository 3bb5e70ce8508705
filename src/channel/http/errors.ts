// How an HTTP failure is told apart: worth another try (a dropped connection, a timeout, a 5xx), or final (a 404,
// refused credentials, an untrusted certificate, more bytes than signed). Messages name the URL and what to do,
// never a header value: the Authorization header holds the password.
import { UpdateError } from '../../core/errors.js';

/** A failure the retry loop may try again (after a pause). */
export class Retryable extends Error {
  constructor(message: string, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const TRANSIENT = new Set([
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT',
  'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN',
]);

const TLS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO/;

const codeOf = (err: unknown): string => String((err as { code?: unknown })?.code ?? '');

function describe(err: unknown): string {
  switch (codeOf(err)) {
    case 'UND_ERR_CONNECT_TIMEOUT': return 'no connection within the connect timeout';
    case 'UND_ERR_HEADERS_TIMEOUT': return 'no answer within the read timeout';
    case 'UND_ERR_BODY_TIMEOUT': return 'the download stalled longer than the read timeout';
    case 'ECONNREFUSED': return 'connection refused';
    case 'UND_ERR_SOCKET': case 'ECONNRESET': return 'the server closed the connection';
    default: return (err as Error)?.message ?? String(err);
  }
}

/**
 * A socket failure whatever its code: Node's net errors carry the syscall and the address they tried. Codes not in
 * TRANSIENT (Wine gives UNKNOWN for a refused loopback connect) are still connection failures, never a disk error to
 * pass on (which would reach the trust layer and read as metadata its publisher did not sign, exit 7).
 * Disk errors of a download (ENOSPC on write) carry neither an address nor a connect-side syscall.
 */
function socketFailure(err: unknown): string | null {
  const e = err as { syscall?: unknown; address?: unknown; port?: unknown; path?: unknown } | null;
  if (!e || typeof e.syscall !== 'string' || e.path !== undefined) return null;
  const connectSide = e.syscall === 'connect' || e.syscall === 'getaddrinfo' || e.syscall === 'getnameinfo';
  if (!connectSide && typeof e.address !== 'string') return null;
  const where = typeof e.address === 'string' ? ` ${e.address}${typeof e.port === 'number' ? `:${e.port}` : ''}` : '';
  return `${e.syscall} failed${where} (${codeOf(err) || 'no error code'})`;
}

/** Classifies an error thrown by undici or the body stream: Retryable, or a final UpdateError (or the error itself). */
export function classify(err: unknown, url: URL): unknown {
  if (err instanceof UpdateError || err instanceof Retryable) return err;
  const code = codeOf(err);
  if (TRANSIENT.has(code)) return new Retryable(describe(err), undefined, { cause: err });
  const socket = socketFailure(err);
  if (socket) return new Retryable(socket, undefined, { cause: err });
  if (TLS.test(code) || TLS.test((err as Error)?.message ?? '')) {
    return new UpdateError('network', `the TLS certificate of ${url.host} is not trusted: ${(err as Error).message}`, {
      hint: 'If the repository uses a private CA, pass --ca-file CA.pem (or set NODE_EXTRA_CA_CERTS); nothing was changed.', cause: err,
    });
  }
  if (code === 'ENOTFOUND') {
    return new UpdateError('network', `the host ${url.hostname} is unknown (DNS)`, { hint: 'Check --repo, the DNS settings, or the proxy variables (https_proxy, no_proxy).', cause: err });
  }
  if (code.startsWith('UND_ERR')) {
    return new UpdateError('network', `fetching ${url.href} failed: ${describe(err)}`, { hint: 'Check the repository URL and proxy settings; nothing was changed.', cause: err });
  }
  return err; // a disk error while writing (ENOSPC, EIO) or a bug: as it is
}

export function exhausted(last: Retryable, url: URL, attempts: number): UpdateError {
  return new UpdateError('network', `cannot fetch ${url.href}: ${last.message} (${attempts} attempts)`, {
    hint: 'Check that the repository server is reachable (and the proxy variables http_proxy, https_proxy, no_proxy), then run the command again; nothing was changed.',
    cause: last.cause,
  });
}

export function statusError(status: number, url: URL, hadCredentials: boolean): UpdateError | Retryable {
  if (status === 401) {
    return new UpdateError('network', hadCredentials ? `the repository server refused the credentials (401) for ${url.href}` : `the repository server asks for credentials (401): ${url.href}`, {
      hint: 'Give them with -u/--username and -p/--password, or UPDATE_TOOL_USERNAME and UPDATE_TOOL_PASSWORD (or run on a terminal to be asked).',
    });
  }
  if (status === 403) return new UpdateError('network', `the repository server forbids ${url.href} (403)`, { hint: 'Check the account\'s access to this repository and the URL.', status });
  if (status === 407) return new UpdateError('network', `the proxy asks for credentials (407) for ${url.href}`, { hint: 'Put them in the proxy URL: http_proxy=http://user:password@proxy:3128.', status });
  if (status >= 500 || status === 429 || status === 408) return new Retryable(`the server answered ${status}`);
  if (status >= 300 && status < 400) {
    return new UpdateError('network', `the repository server redirects ${url.href} (${status}); redirects are not followed`, { hint: 'Give --repo the final URL of the repository.' });
  }
  return new UpdateError('network', `the repository server answered ${status} for ${url.href}`, { hint: 'Check --repo; nothing was changed.', status });
}
