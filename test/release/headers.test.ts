// What `npm run dist` builds for each platform, read from the files' own headers (issue 18: the README said they
// were "checked to be Mach-O x86_64, PE32+ and ELF aarch64", and nothing checked it): the format, the CPU, that it
// is an executable (not a library), and that the SEA blob was injected (postject flips the fuse to ":1"; for darwin
// into a NODE_SEA segment). macOS cannot run here: this and the README's ad-hoc codesign step are all it gets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seaRelease } from '../helpers/sea.js';

const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

interface Header { format: string; cpu: string; kind: string }

function elf(b: Buffer): Header {
  assert.is(b.readUInt8(4), 2, 'ELFCLASS64');
  assert.is(b.readUInt8(5), 1, 'little-endian');
  const kind = { 2: 'executable', 3: 'position-independent executable' }[b.readUInt16LE(16)] ?? `type ${b.readUInt16LE(16)}`;
  const cpu = { 0x3e: 'x86_64', 0xb7: 'aarch64' }[b.readUInt16LE(18)] ?? `machine ${b.readUInt16LE(18)}`;
  return { format: 'ELF64', cpu, kind };
}

function pe(b: Buffer): Header {
  const at = b.readUInt32LE(0x3c);
  assert.is(b.toString('latin1', at, at + 4), 'PE\0\0');
  const cpu = b.readUInt16LE(at + 4) === 0x8664 ? 'x86_64' : `machine 0x${b.readUInt16LE(at + 4).toString(16)}`;
  const characteristics = b.readUInt16LE(at + 22);
  const optional = at + 24;
  const format = b.readUInt16LE(optional) === 0x20b ? 'PE32+' : 'PE32';
  const subsystem = b.readUInt16LE(optional + 68);
  const kind = characteristics & 0x2000 ? 'dll' : subsystem === 3 ? 'console executable' : `subsystem ${subsystem}`;
  return { format, cpu, kind };
}

function macho(b: Buffer): Header {
  const cpu = b.readUInt32LE(4) === 0x01000007 ? 'x86_64' : b.readUInt32LE(4) === 0x0100000c ? 'arm64' : `cputype 0x${b.readUInt32LE(4).toString(16)}`;
  const kind = b.readUInt32LE(12) === 2 ? 'executable' : `filetype ${b.readUInt32LE(12)}`;
  // The load commands name the segment postject added for the blob.
  const commands = b.subarray(32, 32 + b.readUInt32LE(20)).toString('latin1');
  assert.ok(commands.includes('NODE_SEA'), 'a NODE_SEA segment');
  return { format: 'Mach-O 64', cpu, kind };
}

function header(file: string): Header {
  const b = readFileSync(file);
  const magic = b.readUInt32BE(0);
  if (magic === 0x7f454c46) return elf(b);
  if (b.toString('latin1', 0, 2) === 'MZ') return pe(b);
  if (magic === 0xcffaedfe) return macho(b);
  throw new Error(`${file}: unknown format (magic 0x${magic.toString(16)})`);
}

const CASES: [platform: string, name: string, want: Header][] = [
  ['linux-x64', 'wso2update_linux', { format: 'ELF64', cpu: 'x86_64', kind: 'executable' }],
  ['linux-arm64', 'wso2update_linux_arm64', { format: 'ELF64', cpu: 'aarch64', kind: 'executable' }],
  ['win32-x64', 'wso2update_windows.exe', { format: 'PE32+', cpu: 'x86_64', kind: 'console executable' }],
  ['darwin-x64', 'wso2update_darwin', { format: 'Mach-O 64', cpu: 'x86_64', kind: 'executable' }],
];

for (const [platform, name, want] of CASES) {
  test(`${name} (${platform}) is ${want.format} ${want.cpu}, an ${want.kind}, with the SEA blob injected`, () => {
    const file = join(seaRelease('0.1.0', false, platform), name);
    assert.equal(header(file), want);
    const bytes = readFileSync(file);
    assert.ok(bytes.includes(`${FUSE}:1`), 'the fuse is flipped: postject injected the blob');
    assert.not.ok(bytes.includes(`${FUSE}:0`), 'no unflipped fuse left');
    const release = JSON.parse(readFileSync(join(seaRelease('0.1.0', false, platform), 'release.json'), 'utf8'));
    assert.is(release.files[name].platform, platform);
  });
}

test.run();
