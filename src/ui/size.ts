// Byte counts as people read them: MB from 1 MiB up, kB below, bytes under 1 kB. One rule for every line that shows
// a size, so that a small update never reads "0.0 MB of 0.0 MB".
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.ceil(bytes / 1024)} kB`;
  return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
}
