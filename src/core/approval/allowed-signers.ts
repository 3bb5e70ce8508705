// The OpenSSH allowed_signers file (ssh-keygen(1) "ALLOWED SIGNERS", the format git uses for SSH commit signing):
// `principals [options] keytype base64-key [comment]` per line. Parsed strictly: a line that cannot be read fails
// the whole file with its line number, because a trust file that silently drops (or keeps) a line is worse than none.
import { UpdateError } from '../errors.js';
import { fingerprint, parsePublicKey, type SshPublicKey } from './ssh-keys.js';

export const MAX_ALLOWED_SIGNERS = 1024 * 1024;

/** A wall-clock time as written (YYYYMMDD[HHMM[SS]][Z]); without Z it is the verifying node's local time. */
export interface WallTime { year: number; month: number; day: number; hour: number; minute: number; second: number; utc: boolean }

export interface SignerLine {
  line: number;
  /** The principals pattern-list exactly as written (unquoted). */
  principals: string;
  /** The namespaces= pattern-list, or undefined (any namespace). */
  namespaces?: string;
  validAfter?: WallTime;
  validBefore?: WallTime;
  key: SshPublicKey;
  fingerprint: string;
}

const fail = (source: string, line: number, why: string, hint?: string): UpdateError =>
  new UpdateError('invalid-input', `${source} line ${line}: ${why}`, {
    hint: hint ?? 'Each line is: principals [options] key-type base64-key [comment] (see "ALLOWED SIGNERS" in ssh-keygen(1)).',
  });

/** Reads one field: a double-quoted string (quotes kept out), or up to whitespace. Returns [field, rest]. */
function field(s: string): [string, string] | null {
  if (s.startsWith('"')) {
    const end = s.indexOf('"', 1);
    return end < 0 ? null : [s.slice(1, end), s.slice(end + 1)];
  }
  const m = /^\S+/.exec(s);
  return m ? [m[0], s.slice(m[0].length)] : null;
}

/** Options: comma-separated, no spaces except inside double quotes. Returns [options, rest]. */
function optionsField(s: string): [string, string] {
  let i = 0;
  let quoted = false;
  while (i < s.length && (quoted || !/\s/.test(s[i]))) {
    if (s[i] === '"') quoted = !quoted;
    i++;
  }
  return [s.slice(0, i), s.slice(i)];
}

export function parseWallTime(s: string): WallTime | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?(Z?)$/.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second, utc: m[7] === 'Z' };
}

function splitOptions(opts: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of opts) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function applyOption(entry: Partial<SignerLine>, opt: string, source: string, n: number): void {
  const m = /^([A-Za-z-]+)(?:="([^"]*)")?$/.exec(opt);
  if (!m) throw fail(source, n, `cannot read option ${JSON.stringify(opt)} (values are double-quoted: namespaces="wso2update-plan")`);
  const name = m[1].toLowerCase();
  const value = m[2];
  if (name === 'cert-authority') {
    throw fail(source, n, 'cert-authority lines (approvals by SSH certificates) are not supported',
      'List each approver\'s own public key on a line of its own instead of a certificate authority.');
  }
  if (value === undefined) throw fail(source, n, `option ${name} needs a value (${name}="...")`);
  if (name === 'namespaces') {
    if (value === '' || value.split(',').some((p) => p === '' || p === '!')) throw fail(source, n, `namespaces="${value}" is not a pattern-list`);
    entry.namespaces = value;
  } else if (name === 'valid-after' || name === 'valid-before') {
    const t = parseWallTime(value);
    if (!t) throw fail(source, n, `${name}="${value}" is not a time (YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z])`);
    if (name === 'valid-after') entry.validAfter = t;
    else entry.validBefore = t;
  } else throw fail(source, n, `unknown option ${JSON.stringify(name)} (known: namespaces, valid-after, valid-before)`);
}

function parseKey(rest: string): { key: SshPublicKey } | { error: string } | null {
  const m = /^\s*(\S+)\s+([A-Za-z0-9+/]+={0,2})(?:\s.*)?$/.exec(rest);
  if (!m) return null;
  const blob = Buffer.from(m[2], 'base64');
  try {
    const key = parsePublicKey(blob, 'key');
    return key.type === m[1] ? { key } : { error: `the key is a ${key.type} key but the line says ${m[1]}` };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Parses a whole allowed_signers text; `source` names it in messages. */
export function parseAllowedSigners(text: string, source = 'allowed_signers'): SignerLine[] {
  if (text.length > MAX_ALLOWED_SIGNERS) throw new UpdateError('invalid-input', `${source}: ${text.length} bytes is too large for an allowed signers file (at most ${MAX_ALLOWED_SIGNERS})`);
  const out: SignerLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const n = i + 1;
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const p = field(line);
    if (!p || p[0] === '') throw fail(source, n, 'no principals');
    const [principals, afterPrincipals] = p;
    if (principals.split(',').some((x) => x === '' || x === '!' || /\s/.test(x))) throw fail(source, n, `principals "${principals}" is not a comma-separated list`);
    const entry: Partial<SignerLine> = { line: n, principals };
    // The key follows the principals directly, or after one options field (as OpenSSH tries it: key first).
    // Every key type has a '-', which base64 has not, so an options field never reads as a key.
    let key = parseKey(afterPrincipals);
    if (key === null) {
      const [opts, rest] = optionsField(afterPrincipals.trimStart());
      if (opts === '') throw fail(source, n, 'no public key (key-type base64-key) after the principals');
      for (const opt of splitOptions(opts)) applyOption(entry, opt, source, n);
      key = parseKey(rest);
    }
    if (key === null) throw fail(source, n, 'no public key (key-type base64-key) after the principals');
    if ('error' in key) throw fail(source, n, key.error);
    out.push({ ...entry, key: key.key, fingerprint: fingerprint(key.key.blob) } as SignerLine);
  });
  return out;
}
