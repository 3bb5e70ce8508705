// Hostile archives built in code, byte by byte: each case is a tar (or compressed) file that a strict reader must
// refuse, with a pattern its refusal names. Headers are encoded by node-tar's Header so that only the hostile part
// differs from a good archive; `wrap` turns a list of entries into an archive. Shared by the bundle module's tests
// and the CLI's apply-update corpus (and by the hotfix archive's tests).
import { gzipSync } from 'node:zlib';
import { Header, Pax } from 'tar';

const BLOCK = 512;
const END = Buffer.alloc(2 * BLOCK);

export interface RawEntry {
  path: string;
  type?: string;
  data?: Buffer | string;
  /** Declared size, when it should differ from the data's. */
  size?: number;
  linkpath?: string;
  /** A pax extended header carrying these fields, before the entry. */
  pax?: Record<string, string>;
}

function pad(b: Buffer): Buffer {
  return Buffer.concat([b, Buffer.alloc((BLOCK - (b.length % BLOCK)) % BLOCK)]);
}

/** One header block (node-tar's encoding) and its padded data. */
export function entryBytes(e: RawEntry): Buffer {
  const data = Buffer.from(e.data ?? '');
  const parts: Buffer[] = [];
  if (e.pax) {
    const body = Buffer.from(Object.entries(e.pax).map(([k, v]) => {
      const rec = ` ${k}=${v}\n`;
      let len = rec.length + 1;
      while (String(len).length + rec.length !== len) len = String(len).length + rec.length;
      return `${len}${rec}`;
    }).join(''));
    parts.push(headerBlock({ path: 'PaxHeader/x', type: 'x', size: body.length }), pad(body));
  }
  parts.push(headerBlock({ path: e.path, type: e.type ?? '0', size: e.size ?? data.length, linkpath: e.linkpath }), pad(data));
  return Buffer.concat(parts);
}

export function headerBlock(h: { path: string; type: string; size: number; linkpath?: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  new Header({ path: h.path, mode: 0o644, size: h.size, mtime: new Date(946684800000), type: h.type as never, linkpath: h.linkpath }).encode(block, 0);
  return block;
}

export const wrap = (entries: RawEntry[], end: Buffer = END): Buffer => Buffer.concat([...entries.map(entryBytes), end]);
const ok: RawEntry = { path: 'index.json', data: '{}' };

export interface HostileCase {
  name: string;
  bytes: () => Buffer;
  refusal: RegExp;
}

const named = (path: string, refusal: RegExp): HostileCase => ({ name: `name ${JSON.stringify(path)}`, bytes: () => wrap([ok, { path, data: 'x' }]), refusal });
const typed = (type: string, label: string, extra: Partial<RawEntry> = {}): HostileCase => ({
  name: `${label} entry`, bytes: () => wrap([ok, { path: 'lib/evil', type, ...extra }]), refusal: new RegExp(`is a \\w+ entry: only regular files`),
});

/** The structural corpus: every case is refused by the archive walk, before any entry is read. */
export function hostileArchives(): HostileCase[] {
  const good = wrap([ok, { path: 'blobs/a', data: 'hello' }]);
  // A declared size of 9 GiB (beyond the 8 GiB per-entry cap) over a sparse 9 GiB of data is built by the tests that
  // need it; here the size lies about data that is not there.
  return [
    named('../evil', /"\.\." segment/),
    named('a/../../evil', /"\.\." segment/),
    named('products/..', /"\.\." segment/),
    named('/etc/passwd', /is absolute/),
    named('C:/Windows/evil', /drive path/),
    named('..\\evil', /backslash/),
    named('./index.json', /"\." segment/),
    named('a//b', /empty segment/),
    named('dir/', /ends with \/|is a Directory entry/),
    { name: 'pax path absolute', bytes: () => wrap([ok, { path: 'innocent', pax: { path: '/tmp/evil' }, data: 'x' }]), refusal: /is absolute/ },
    { name: 'pax path traversal', bytes: () => wrap([ok, { path: 'innocent', pax: { path: 'x/../../y' }, data: 'x' }]), refusal: /"\.\." segment/ },
    { name: 'pax path with NUL', bytes: () => wrap([ok, { path: 'innocent', pax: { path: 'a\0b' }, data: 'x' }]), refusal: /containing a NUL/ },
    typed('2', 'symlink', { linkpath: '/etc/passwd' }),
    typed('1', 'hardlink', { linkpath: 'index.json' }),
    typed('3', 'character device'),
    typed('4', 'block device'),
    typed('6', 'FIFO'),
    typed('5', 'directory'),
    typed('7', 'contiguous file'),
    typed('L', 'GNU long name', { data: 'x'.repeat(200) }),
    typed('K', 'GNU long link name', { data: 'x'.repeat(200) }),
    typed('S', 'GNU sparse file'),
    { name: 'global pax header', bytes: () => wrap([ok, { path: 'PaxHeader/g', type: 'g', data: '18 path=evil/name\n' }, { path: 'blobs/b', data: 'x' }]), refusal: /GlobalExtendedHeader entry/ },
    { name: 'pax header naming a link target', bytes: () => wrap([ok, { path: 'blobs/c', pax: { linkpath: '/etc/shadow' }, data: 'x' }]), refusal: /link target/ },
    { name: 'two pax headers in a row', bytes: () => wrap([ok, { path: 'PaxHeader/a', type: 'x', data: '13 path=a/b\n' }, { path: 'blobs/c', pax: { path: 'z' }, data: 'x' }]), refusal: /two extended headers/ },
    { name: 'pax header describing nothing', bytes: () => wrap([ok, { path: 'PaxHeader/a', type: 'x', data: '13 path=a/b\n' }]), refusal: /describes no entry/ },
    { name: 'oversized pax header', bytes: () => wrap([ok, { path: 'PaxHeader/a', type: 'x', data: `${'9'.repeat(6)} comment=${'y'.repeat(70000)}\n` }, { path: 'blobs/c', data: 'x' }]), refusal: /extended header of \d+ bytes/ },
    { name: 'duplicate name', bytes: () => wrap([ok, { path: 'blobs/a', data: 'one' }, { path: 'blobs/a', data: 'two' }]), refusal: /holds "blobs\/a" twice/ },
    { name: 'duplicate of the index', bytes: () => wrap([ok, ok]), refusal: /twice/ },
    { name: 'names differing only in case', bytes: () => wrap([ok, { path: 'Index.JSON', data: '{}' }]), refusal: /differ only in case/ },
    { name: 'names differing only in Unicode normalization', bytes: () => wrap([ok, { path: 'caf\u00e9', data: '1' }, { path: 'cafe\u0301', data: '2' }]), refusal: /differ only in case/ },
    { name: 'declared size larger than the data', bytes: () => Buffer.concat([entryBytes(ok), headerBlock({ path: 'blobs/big', type: '0', size: 1 << 20 }), Buffer.from('only a little')]), refusal: /declares 1048576 bytes but the archive ends/ },
    { name: 'truncated inside a header', bytes: () => good.subarray(0, 700), refusal: /truncated/ },
    { name: 'truncated inside data', bytes: () => good.subarray(0, BLOCK * 3 + 3), refusal: /truncated|data is missing/ },
    { name: 'truncated: no end-of-archive marker', bytes: () => good.subarray(0, good.length - 2 * BLOCK), refusal: /without the end-of-archive marker/ },
    { name: 'truncated: half an end marker', bytes: () => good.subarray(0, good.length - BLOCK), refusal: /inside its end-of-archive marker/ },
    { name: 'empty file', bytes: () => Buffer.alloc(0), refusal: /is empty/ },
    { name: 'not a tar archive', bytes: () => Buffer.from('this is a shell script, not a bundle\n'.repeat(40)), refusal: /not a tar archive/ },
    { name: 'damaged header checksum', bytes: () => { const b = Buffer.from(good); b[BLOCK * 2 + 10] ^= 0x20; return b; }, refusal: /bad checksum/ },
    { name: 'junk after the end marker', bytes: () => Buffer.concat([good, Buffer.from('appended payload')]), refusal: /after its end-of-archive marker/ },
    { name: 'a lone zero block, then more entries', bytes: () => Buffer.concat([entryBytes(ok), Buffer.alloc(BLOCK), entryBytes({ path: 'blobs/x', data: 'x' }), END]), refusal: /lone zero block/ },
    { name: 'negative size (base-256)', bytes: () => { const b = headerBlock({ path: 'blobs/n', type: '0', size: 0 }); b.fill(0xff, 124, 136); fixChecksum(b); return Buffer.concat([entryBytes(ok), b, END]); }, refusal: /invalid size/ },
    { name: 'gzip bomb', bytes: () => gzipSync(Buffer.alloc(64 << 20), { level: 9 }), refusal: /gzip bomb/ },
    { name: 'truncated gzip', bytes: () => { const z = gzipSync(good); return z.subarray(0, z.length - 12); }, refusal: /not valid gzip data/ },
    { name: 'corrupt gzip', bytes: () => { const z = Buffer.from(gzipSync(good)); z.fill(0x55, 20, 40); return z; }, refusal: /not valid gzip data/ },
    { name: 'bzip2-compressed', bytes: () => Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(600)]), refusal: /compressed with bzip2/ },
    { name: 'xz-compressed', bytes: () => Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(600)]), refusal: /compressed with xz/ },
    { name: 'zstd-compressed', bytes: () => Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(600)]), refusal: /compressed with zstd/ },
    { name: 'gzip of a hostile archive', bytes: () => gzipSync(wrap([ok, { path: '../../etc/cron.d/x', data: 'x' }])), refusal: /"\.\." segment/ },
  ];
}

/** Recomputes a header's checksum after a raw edit (the sum of its bytes, the checksum field counted as spaces). */
export function fixChecksum(block: Buffer): void {
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}

/**
 * Rewrites a bundle with `edit` applied to its files (path -> bytes): a re-signed timestamp, a changed bundle.json,
 * a flipped blob byte. The result is a well-formed archive, so only the trust checks can refuse it.
 */
export async function rebundle(src: string, out: string, edit: (files: Map<string, Buffer>) => void): Promise<void> {
  const { openBundle } = await import('../../src/channel/bundle/transport.js');
  const { writeBundle } = await import('../../src/publish/bundle/write.js');
  const b = await openBundle(src);
  const files = new Map<string, Buffer>();
  try {
    for (const e of b.entries()) files.set(e.path, await b.read(e.path));
  } finally {
    await b.close();
  }
  edit(files);
  await writeBundle({ repoDir: '/nonexistent', paths: [], extra: Object.fromEntries(files), out });
}
