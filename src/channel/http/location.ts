// Where an HTTP(S) repository is and what may be sent to it, decided once at the boundary: the URL's scheme, plain
// http only to this machine unless the operator says otherwise, no credentials inside the URL (a location is
// recorded in plans and state, so a password there would be written to disk), and repository paths that cannot
// climb out of the repository's base path.
import { UpdateError } from '../../core/errors.js';

export const isHttpLocation = (location: string): boolean => /^https?:\/\//i.test(location);

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

export interface HttpLocation {
  /** As recorded: scheme, host, port and path, without a trailing slash, query or fragment. */
  location: string;
  /** The base every repository path is resolved against (ends with `/`). */
  base: URL;
  secure: boolean;
  loopback: boolean;
}

export function parseHttpLocation(raw: string, allowHttp: boolean): HttpLocation {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UpdateError('usage', `--repo ${JSON.stringify(raw)} is not a valid URL`, { hint: 'Write it as https://host/path (or a folder path).' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UpdateError('usage', `--repo ${url.protocol} URLs are not supported`, { hint: 'Use https://, http:// (this machine only) or a folder.' });
  }
  if (url.username || url.password) {
    throw new UpdateError('usage', 'the repository URL must not contain a user name or password', {
      hint: 'The URL is recorded in plans and state. Give credentials with -u/--username and -p/--password, or UPDATE_TOOL_USERNAME and UPDATE_TOOL_PASSWORD.',
    });
  }
  if (url.search || url.hash) {
    throw new UpdateError('usage', 'the repository URL must not have a query (?...) or fragment (#...)', { hint: 'Give the folder URL the repository is served at, e.g. https://updates.example.com/wso2.' });
  }
  const secure = url.protocol === 'https:';
  const loopback = isLoopbackHost(url.hostname);
  if (!secure && !loopback && !allowHttp) {
    throw new UpdateError('usage', `plain http to ${url.host} is refused: anyone on the path could read or change what is fetched`, {
      hint: 'Use https://, or pass --allow-http if this network is trusted (metadata and blobs are still verified by their sha256).',
    });
  }
  const path = url.pathname.replace(/\/+$/, '');
  const location = `${url.protocol}//${url.host}${path}`;
  return { location, base: new URL(`${location}/`), secure, loopback };
}

/** One part of an already percent-encoded path: URL-safe characters and escapes only (no ":", no "/" unescaped). */
const ENCODED_PART = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=@]|%[0-9A-Fa-f]{2})+$/;

const PLAIN_HINT = 'This is a bug or a hostile index: repository paths are relative, with no empty, . or .. parts.';
const ENCODED_HINT = 'The signed metadata names a role that cannot be asked for safely (a raw ? # : or a . or .. part): nothing was changed. Tell the publisher.';

function notARepositoryPath(rel: string, hint = PLAIN_HINT): UpdateError {
  return new UpdateError('hostile-path', `${JSON.stringify(rel)} is not a repository path`, { hint });
}

/**
 * A repository-relative path (`products/x/levels/0001/manifest.json`) as a URL below `base`; nothing else.
 * `encoded`: the path is already percent-encoded (TUF role names, see ReadOptions.encoded) and is sent as it is,
 * so that role "/x" is asked for as `1.%2Fx.json`, never as `1./x.json`.
 */
export function urlOf(base: URL, rel: string, encoded = false): URL {
  const parts = rel.split('/');
  if (rel === '' || parts.some((p) => p === '' || p === '.' || p === '..' || p.includes('\\') || /[\0-\x1f]/.test(p))) throw notARepositoryPath(rel, encoded ? ENCODED_HINT : PLAIN_HINT);
  if (!encoded) return new URL(parts.map(encodeURIComponent).join('/'), base);
  for (const p of parts) {
    if (!ENCODED_PART.test(p)) throw notARepositoryPath(rel, ENCODED_HINT);
    const plain = decodeURIComponent(p);
    if (plain === '.' || plain === '..') throw notARepositoryPath(rel, ENCODED_HINT);
  }
  return new URL(`./${rel}`, base);
}
