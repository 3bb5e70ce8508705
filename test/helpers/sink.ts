// A Writable that keeps what was written, for the ui/ tests: the renderers take streams, never process.stdout.
import { Writable } from 'node:stream';

export function sink(): Writable & { text(): string } {
  const chunks: string[] = [];
  const w = new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } });
  return Object.assign(w, { text: () => chunks.join('') });
}
