// What `install` prints: where the executable went and how to run it, where WSO2's own tool was kept and how to put
// it back, and the same as JSON on stdout with --json.
import { jsonIf, type Output } from './output.js';

export interface InstalledView { dest: string; bin: string; name: string; sha256: string; size: number; kept: string | null }

export function renderInstalled(r: InstalledView, json: boolean): Output {
  const lines = [`Installed ${r.dest} (${(r.size / 1_048_576).toFixed(1)} MB, sha256 ${r.sha256.slice(0, 16)}...); run it from there: cd ${r.bin} && ./${r.name} --help\n`];
  if (r.kept) lines.push(`WSO2's own update tool that was there is kept as ${r.kept}; to put it back: mv ${r.kept} ${r.dest}\n`);
  return { stderr: lines.join(''), stdout: jsonIf(json, () => ({ installed: r.dest, sha256: r.sha256, size: r.size, keptWso2Tool: r.kept })) };
}
