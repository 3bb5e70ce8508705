// Masks the values of secret-looking keys (password, secret, token, passphrase, private key, *_key) in the text
// that review output shows: diffs, merged files and conflict markers of toml, properties, xml and yaml files.
// Line by line and format by file name; it errs on the side of masking, since plans end up in tickets and CI logs.

export const MASK = '********';

export type SecretFormat = 'toml' | 'properties' | 'xml' | 'yaml' | 'json' | 'unknown';

const SECRET_WORDS = new Set(['password', 'passwd', 'secret', 'token', 'passphrase']);

/**
 * Whether a key (a dotted/quoted toml key, a property name, an element or attribute name) names a secret: its last
 * word is one of SECRET_WORDS, or it is a compound ending in "key" (`api_key`, `privateKey`, `private key`).
 * Judging the last word keeps `allow_refresh_tokens = true` or `token_endpoint = "https://..."` readable.
 */
export function isSecretKey(key: string): boolean {
  const words = key.replace(/^["']|["']$/g, '').split(/[\s._-]+|(?<=[a-z0-9])(?=[A-Z])/).filter(Boolean).map((w) => w.toLowerCase());
  const last = words[words.length - 1] ?? '';
  return SECRET_WORDS.has(last) || (last === 'key' && words.length > 1);
}

export function formatOf(path: string): SecretFormat {
  const name = path.toLowerCase().replace(/\.(j2|template|tmpl|orig|original|new|final)$/, '');
  if (name.endsWith('.toml')) return 'toml';
  if (name.endsWith('.properties')) return 'properties';
  if (/\.(xml|xsd|wsdl|xslt?)$/.test(name)) return 'xml';
  if (/\.ya?ml$/.test(name)) return 'yaml';
  if (name.endsWith('.json')) return 'json';
  return 'unknown';
}

/** A quoted value keeps its quotes so that the masked line still reads as the format it came from. */
const maskValue = (v: string): string => (/^(["']).*\1$/s.test(v) && v.length >= 2 ? `${v[0]}${MASK}${v[0]}` : MASK);

function maskToml(line: string): string {
  // key = value pairs, also inside inline tables; a comment or the next pair ends a bare value.
  return line.replace(
    /((?:"[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[^,}\s#][^,}#]*?)(?=\s*(?:[,}#]|$))/g,
    (all, lhs: string, value: string) => (isSecretKey(lhs.replace(/\s*=\s*$/, '').split('.').pop() ?? '') ? `${lhs}${maskValue(value)}` : all),
  );
}

function maskProperties(line: string): string {
  if (/^\s*[#!]/.test(line)) return line;
  const m = /^(\s*)((?:\\.|[^=:\s])+)(\s*[=:]\s*|\s+)(.*?)(\s*)$/.exec(line);
  if (!m || m[4] === '' || !isSecretKey(m[2])) return line;
  return `${m[1]}${m[2]}${m[3]}${MASK}${m[5]}`;
}

function maskXml(line: string): string {
  // Attributes named like secrets: password="...".
  let out = line.replace(/([\w.:-]+)(\s*=\s*)(["'])([^"']*)\3/g, (all, name: string, eq: string, q: string, v: string) =>
    isSecretKey(name) && v !== '' ? `${name}${eq}${q}${MASK}${q}` : all);
  // A value attribute of an element named like a secret: <Property name="ConnectionPassword" value="x"/>.
  out = out.replace(/<[A-Za-z_][\w.:-]*\s[^>]*>/g, (tag) => {
    const named = /\bname\s*=\s*(["'])([^"']*)\1/.exec(tag);
    if (named === null || !isSecretKey(named[2])) return tag;
    return tag.replace(/(\bvalue\s*=\s*)(["'])([^"']+)\2/, (_all, lhs: string, q: string) => `${lhs}${q}${MASK}${q}`);
  });
  // Element text: <Password>x</Password>, and WSO2's <Property name="ConnectionPassword">x</Property>.
  out = out.replace(/<([A-Za-z_][\w.:-]*)(\s[^>]*)?>([^<]+)<\/\1\s*>/g, (all, tag: string, attrs: string | undefined, text: string) => {
    const named = /\bname\s*=\s*(["'])([^"']*)\1/.exec(attrs ?? '');
    return (isSecretKey(tag) || (named !== null && isSecretKey(named[2]))) && text.trim() !== '' ? all.replace(`>${text}<`, `>${MASK}<`) : all;
  });
  return out;
}

function maskYaml(line: string): string {
  const m = /^(\s*(?:-\s+)?)("[^"]*"|'[^']*'|[^\s:#][^:#]*?)(\s*:\s+)(.*?)(\s+#.*)?$/.exec(line);
  if (!m || m[4] === '' || /^[|>&*]/.test(m[4]) || !isSecretKey(m[2])) return line;
  return `${m[1]}${m[2]}${m[3]}${maskValue(m[4])}${m[5] ?? ''}`;
}

/** JSON pairs anywhere on the line, compact or not: {"user":"admin","password":"x"}. */
function maskJson(line: string): string {
  return line.replace(/("(?:[^"\\]|\\.)*")(\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)/g, (all, key: string, colon: string, value: string) =>
    isSecretKey(key) && value !== '""' ? `${key}${colon}${maskValue(value)}` : all);
}

const MASKERS: Record<SecretFormat, (line: string) => string> = {
  toml: maskToml,
  properties: maskProperties,
  xml: maskXml,
  yaml: maskYaml,
  json: maskJson,
  // Unknown formats (scripts, .conf): xml, then key=value anywhere, then "key": value, then key: value. Over-masking beats a leak.
  unknown: (line) => maskYaml(maskJson(maskToml(maskXml(line)))),
};

/** Masks one line of file content in the given format. */
export function maskLine(line: string, format: SecretFormat): string {
  // A CRLF file's lines end in \r: mask without it and put it back, so line endings survive masking.
  if (line.endsWith('\r')) return `${MASKERS[format](line.slice(0, -1))}\r`;
  return MASKERS[format](line);
}

/** Masks a whole file text (merged output, diff3 markers). Marker lines themselves are left alone. */
export function maskText(text: string, path: string): string {
  const format = formatOf(path);
  return text
    .split('\n')
    .map((l) => (/^(<{7}|\|{7}|={7}|>{7})( |$)/.test(l) ? l : maskLine(l, format)))
    .join('\n');
}

/** Masks the content lines of a unified diff (` `, `+`, `-` prefixed), leaving headers and hunk lines alone. */
export function maskDiff(diff: string, path: string): string {
  const format = formatOf(path);
  return diff
    .split('\n')
    .map((l) => (/^(---|\+\+\+|@@) /.test(l) || !/^[ +-]/.test(l) ? l : l[0] + maskLine(l.slice(1), format)))
    .join('\n');
}
