// What a folder holds, as comparable text per path (content hash, mode, symlink text, directories), so the demo
// and the benchmark can check "byte-identical to before" without trusting the tool under test.
// `updates/` is left out: it is the tool's own record, which an apply and a revert rightly change.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

function walk(root, rel, visit) {
  for (const name of readdirSync(join(root, rel)).sort()) {
    const p = rel ? `${rel}/${name}` : name;
    if (p === 'updates') continue;
    const st = lstatSync(join(root, p));
    visit(p, st);
    if (st.isDirectory()) walk(root, p, visit);
  }
}

/** path -> "file 0644 <sha256>" | "link <target>" | "dir 0755". */
export function snapshot(root) {
  const out = new Map();
  walk(root, '', (p, st) => {
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    if (st.isSymbolicLink()) out.set(p, `link ${readlinkSync(join(root, p))}`);
    else if (st.isDirectory()) out.set(p, `dir ${mode}`);
    else out.set(p, `file ${mode} ${createHash('sha256').update(readFileSync(join(root, p))).digest('hex')}`);
  });
  return out;
}

/** Lines naming every path that differs between two snapshots. */
export function diffSnapshots(a, b) {
  const lines = [];
  for (const [p, v] of a) if (b.get(p) !== v) lines.push(`  ${p}: ${v} -> ${b.get(p) ?? 'absent'}`);
  for (const [p, v] of b) if (!a.has(p)) lines.push(`  ${p}: absent -> ${v}`);
  return lines;
}

/** The conflict helper files (`.original`, `.new`, `.final`) under `root`, outside updates/. */
export function findHelpers(root) {
  const out = [];
  walk(root, '', (p, st) => {
    if (!st.isDirectory() && /\.(original|new|final)$/.test(p)) out.push(p);
  });
  return out;
}
