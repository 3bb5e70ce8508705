// Where in a YAML or JSON text a problem is: line and column of a syntax error or of the node an ajv error points
// at, and the value's source text ("1.10", not the 1.1 yaml made of it). Used on the error path of validate.ts,
// whose reads of YAML outside yaml-subset.ts's reach also load yaml through the lazy loader here.
import { createRequire } from 'node:module';
import type { Document, LineCounter } from 'yaml';

type Yaml = typeof import('yaml');
let loaded: Yaml | null = null;
/** yaml is loaded at its first use (synchronously, its CommonJS build): apply and JSON reads that pass never need it. */
export const yaml = (): Yaml => (loaded ??= createRequire(import.meta.url)('yaml') as Yaml);

export interface Located {
  line: number;
  col: number;
  /** The scalar as written, or null for a mapping or list. */
  raw: string | null;
}

export interface SourceDoc {
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** YAML 1.2 core schema: dates stay strings, no sexagesimal or yes/no surprises. JSON is read the same way. */
export function parseSource(text: string): SourceDoc {
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { version: '1.2', lineCounter: lines, prettyErrors: true });
  return { text, doc, lines };
}

/** The node at a JSON-pointer path (segments already unescaped); with `key`, the key of that name in the mapping. */
export function locate(src: SourceDoc, segments: string[], key?: string): Located | null {
  const { isMap, isScalar, isSeq } = yaml();
  let node: unknown = src.doc.contents;
  const step = (n: unknown, seg: string, wantKey: boolean): unknown => {
    if (isMap(n)) {
      const pair = n.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === seg);
      return pair ? (wantKey ? pair.key : pair.value) : undefined;
    }
    if (isSeq(n) && !wantKey) return n.items[Number(seg)];
    return undefined;
  };
  for (const seg of segments) {
    const next = step(node, seg, false);
    if (next === undefined || next === null) break; // point at the deepest node that exists
    node = next;
  }
  if (key !== undefined) node = step(node, key, true) ?? node;
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return null;
  const { line, col } = src.lines.linePos(range[0]);
  const raw = isScalar(node) ? src.text.slice(range[0], range[1]) : null;
  return { line, col, raw };
}

/** 1-based line and column of a character offset. */
export function lineColAt(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

/**
 * The offset of a JSON syntax error. V8 names a position in most messages but not in all ("Unexpected token '}',
 * ... is not valid JSON"); then the longest prefix that is still a valid beginning of JSON ends where the error is.
 */
export function jsonErrorOffset(text: string, message: string): number {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  const viable = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return true;
    } catch (err) {
      const msg = (err as Error).message;
      const pos = /at position (\d+)/.exec(msg);
      return pos ? Number(pos[1]) >= n : /Unexpected end of JSON input/.test(msg);
    }
  };
  let lo = 0; // viable
  let hi = text.length; // the whole text is not viable (it failed)
  if (viable(hi)) return hi;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (viable(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
