// Quoting a value that came from outside (a path, a key, a mode) into a message: JSON-quoted so that control
// characters and spaces show, and cut to QUOTE_MAX characters so that a hostile 5,000-character path cannot take over
// the headline (the length is said instead).

export const QUOTE_MAX = 200;

export function quote(value: unknown, max = QUOTE_MAX): string {
  const s = typeof value === 'string' ? value : String(value);
  if (s.length <= max) return JSON.stringify(s);
  return `${JSON.stringify(s.slice(0, max))}... (${s.length} characters)`;
}

/** Cuts free text (a summary, a listed path) to `max` characters, saying how long it was. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}... (${s.length} characters)`;
}
