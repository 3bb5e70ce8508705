// One pass over JSON text before JSON.parse sees it, for what JSON.parse silently accepts or dies on: a duplicate key
// (the last one would silently win, so a reviewer and apply could read different values), nesting deep enough to
// exhaust the stack, and containers with more members than any of our formats holds. Pure: text in, a problem out.

export const LIMITS = {
  /** Our formats nest 6 deep at most (a plan's action entries); WSO2's config.json a few more. */
  depth: 64,
  /** Members of one object or array: a manifest of the largest packs holds ~30,000 paths. */
  entries: 500_000,
} as const;

export interface JsonProblem {
  /** Offset in the text where the problem is. */
  offset: number;
  message: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** End (index after the closing quote) of the string literal opening at `i`; -1 when unterminated. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  for (;;) {
    const q = text.indexOf('"', j);
    if (q < 0) return -1;
    let back = 0;
    for (let k = q - 1; text.charCodeAt(k) === BACKSLASH; k--) back += 1;
    if (back % 2 === 0) return q + 1;
    j = q + 1;
  }
}

interface Frame {
  /** In an object: its keys so far, in order, while each came after the one before (canonical JSON sorts keys). */
  sorted: string[] | null;
  /** In an object whose keys came out of order: every key so far (then each new key is looked up here). */
  keys: Set<string> | null;
  count: number;
  /** In an object: the next string is a key. */
  expectKey: boolean;
}

/**
 * Whether `key` repeats a key of the object `f`. While keys arrive in increasing order (as in every file we write:
 * canonical JSON), a key after the last one is new without any lookup: a manifest's 200,000 keys cost no hashing
 * (issue 22). The first key out of order moves the object to a set of all its keys.
 */
function repeats(f: Frame, key: string): boolean {
  if (f.sorted !== null) {
    if (f.sorted.length === 0 || key > f.sorted[f.sorted.length - 1]) {
      f.sorted.push(key);
      return false;
    }
    f.keys = new Set(f.sorted);
    f.sorted = null;
  }
  const keys = f.keys as Set<string>;
  if (keys.has(key)) return true;
  keys.add(key);
  return false;
}

/**
 * The first duplicate key, over-deep nesting or over-long container in `text`, or null. Text that is not valid JSON
 * is left for JSON.parse to report (this scan only has to be right about valid JSON).
 */
export function scanJson(text: string, limits: { depth: number; entries: number } = LIMITS): JsonProblem | null {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end < 0) return null;
      const top = stack[stack.length - 1];
      if (top?.expectKey) {
        const raw = text.slice(i + 1, end - 1);
        let key = raw;
        if (raw.includes('\\')) {
          try { key = JSON.parse(text.slice(i, end)) as string; } catch { return null; }
        }
        if (repeats(top, key)) return { offset: i, message: `duplicate key ${JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}...` : key)} (JSON keeps only the last; refused so that nobody reads the other)` };
        top.expectKey = false;
      }
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      // { or [
      if (stack.length >= limits.depth) return { offset: i, message: `nested more than ${limits.depth} levels deep` };
      stack.push({ sorted: c === 0x7b ? [] : null, keys: null, count: 0, expectKey: c === 0x7b });
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
    } else if (c === 0x2c) {
      // ,
      const top = stack[stack.length - 1];
      if (!top) continue;
      top.count += 1;
      if (top.count >= limits.entries) return { offset: i, message: `an object or list with more than ${limits.entries} entries` };
      if (top.sorted !== null || top.keys !== null) top.expectKey = true;
    }
  }
  return null;
}

/**
 * The same limits for a value already parsed (YAML, whose parser has no such checks): depth and members per
 * container, walked without recursion. Aliases can make a small text a huge value, so this walks what they expand to.
 */
export function valueShapeProblem(value: unknown, limits: { depth: number; entries: number } = LIMITS): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  let visited = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limits.depth) return `nested more than ${limits.depth} levels deep`;
    const members = Array.isArray(v) ? v : Object.values(v);
    if (members.length > limits.entries) return `an object or list with more than ${limits.entries} entries`;
    visited += members.length;
    if (visited > limits.entries * 4) return `more than ${limits.entries * 4} values in all (aliases expanded)`;
    for (const m of members) stack.push([m, depth + 1]);
  }
  return null;
}
