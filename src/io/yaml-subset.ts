// A fast reader for the plain YAML that `publish` writes (block mappings and lists of one-line scalars), so that
// planning need not load and run the yaml library (~45 ms) for a descriptor. Anything outside that subset, or whose
// meaning needs YAML's rules (numbers other than whole ones, null, booleans, tags, anchors, comments, block or
// multi-line scalars, flow collections other than [] and {}), returns null and the caller uses yaml itself;
// test/io/yaml-subset.test.ts checks against yaml that whatever this accepts, it reads the same.

type Value = string | number | Value[] | { [k: string]: Value };
class NotSubset extends Error {}
const no = (): never => { throw new NotSubset(); };

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: (.*))?$/;
/** Plain scalars that YAML 1.2's core schema reads as something other than text (or as a number we do not read). */
const SPECIAL = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function scalar(s: string): Value {
  if (s === '[]') return [];
  if (s === '{}') return {};
  if (s === '' || s !== s.trim()) return no();
  if (s[0] === '"') {
    // A one-line double-quoted scalar with only JSON's escapes means the same in YAML and JSON.
    try { return JSON.parse(s) as string; } catch { return no(); }
  }
  if (s[0] === "'") {
    const m = /^'((?:[^']|'')*)'$/.exec(s);
    return m ? m[1].replaceAll("''", "'") : no();
  }
  if (/^[-?:,[\]{}#&*!|>'"%@`]/.test(s) || s.includes(': ') || s.includes(' #') || s.endsWith(':')) return no();
  if (/^[0-9]{1,15}$/.test(s)) return Number(s);
  return SPECIAL.test(s) ? no() : s;
}

interface Line { indent: number; text: string }

class Reader {
  i = 0;
  constructor(private readonly lines: Line[]) {}

  /** The block (mapping or list) whose lines start at exactly `indent`. */
  block(indent: number): Value {
    const first = this.lines[this.i];
    if (first === undefined || first.indent !== indent) return no();
    return first.text.startsWith('-') ? this.list(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Value {
    const out: Record<string, Value> = Object.create(null) as Record<string, Value>;
    for (let line = this.lines[this.i]; line !== undefined && line.indent >= indent; line = this.lines[this.i]) {
      const m = line.indent === indent ? KEY.exec(line.text) : null;
      if (!m || m[1] in out || m[1] === '__proto__' || SPECIAL.test(m[1])) return no(); // `null:` is the key ""
      this.i += 1;
      const next = this.lines[this.i];
      out[m[1]] = m[2] !== undefined ? scalar(m[2]) : next !== undefined && next.indent > indent ? this.block(next.indent) : no();
    }
    return { ...out };
  }

  private list(indent: number): Value {
    const out: Value[] = [];
    for (let line = this.lines[this.i]; line !== undefined && line.indent >= indent; line = this.lines[this.i]) {
      if (line.indent !== indent || !line.text.startsWith('- ')) return no();
      const item = line.text.slice(2);
      if (item.startsWith('-') || item.startsWith(' ')) return no();
      if (KEY.test(item)) {
        // "- key: value" opens a mapping whose keys sit two columns in.
        this.lines[this.i] = { indent: indent + 2, text: item };
        out.push(this.block(indent + 2));
      } else {
        this.i += 1;
        out.push(scalar(item));
      }
    }
    return out;
  }
}

/** The document as plain data, or null when it is not in the subset (then parse it with yaml). */
export function parseYamlSubset(text: string): Record<string, Value> | null {
  if (/[\t\r\uFEFF]/.test(text)) return null;
  const lines: Line[] = [];
  for (const raw of text.split('\n')) {
    const text = raw.trimStart();
    if (text === '') continue;
    if (raw.endsWith(' ')) return null;
    lines.push({ indent: raw.length - text.length, text });
  }
  if (lines.length === 0 || lines[0].text.startsWith('---') || lines[0].text.startsWith('%')) return null;
  try {
    const r = new Reader(lines);
    const value = r.block(0);
    return r.i === lines.length && !Array.isArray(value) && typeof value === 'object' ? value : null;
  } catch (err) {
    if (err instanceof NotSubset) return null;
    throw err;
  }
}
