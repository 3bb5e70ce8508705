// The SSH wire encoding (RFC 4251 section 5: uint32, string, mpint) that SSHSIG blobs and SSH public keys use.
// Every read is bounds-checked and capped: a signature file is hostile input, so a length field can never make us
// read past the buffer or allocate what it claims.
import { UpdateError } from '../errors.js';

/** No field of an SSH signature or public key comes near this (an RSA-16384 modulus is 2 KiB). */
export const MAX_FIELD = 16 * 1024;

export class WireReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array, private readonly what: string) {}

  private fail(why: string): never {
    throw new UpdateError('verification', `${this.what}: ${why}`, { hint: 'The file is damaged or not what it claims to be: get it again from its author.' });
  }

  bytes(n: number): Uint8Array {
    if (n > this.buf.length - this.pos) this.fail(`truncated (wanted ${n} bytes at offset ${this.pos}, ${this.buf.length - this.pos} left)`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  u32(): number {
    const b = this.bytes(4);
    return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
  }

  /** A length-prefixed string; `cap` bounds the length before anything is sliced. */
  string(field: string, cap = MAX_FIELD): Uint8Array {
    const n = this.u32();
    if (n > cap) this.fail(`field ${field} claims ${n} bytes (at most ${cap} allowed)`);
    return this.bytes(n);
  }

  /** A string that must be printable ASCII (algorithm and namespace names). */
  text(field: string, cap = 256): string {
    const b = this.string(field, cap);
    for (const c of b) if (c < 0x20 || c > 0x7e) this.fail(`field ${field} is not printable text`);
    return Buffer.from(b).toString('latin1');
  }

  /** An mpint as unsigned big-endian magnitude; negative values are refused (no SSH key or signature has one). */
  mpint(field: string): Uint8Array {
    const b = this.string(field);
    if (b.length > 0 && (b[0] & 0x80) !== 0) this.fail(`field ${field} is a negative number`);
    let i = 0;
    while (i < b.length && b[i] === 0) i++;
    return b.subarray(i);
  }

  /** Refuses bytes left over: a blob with trailing data is not the blob that was signed or shown. */
  end(): void {
    if (this.pos !== this.buf.length) this.fail(`${this.buf.length - this.pos} unexpected trailing bytes`);
  }
}

export function u32be(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

export const sshString = (data: Uint8Array | string): Buffer => {
  const b = typeof data === 'string' ? Buffer.from(data, 'latin1') : Buffer.from(data);
  return Buffer.concat([u32be(b.length), b]);
};

/** An unsigned magnitude as an mpint: no leading zeros, one zero byte added when the top bit is set. */
export function sshMpint(magnitude: Uint8Array): Buffer {
  let i = 0;
  while (i < magnitude.length && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return sshString(m.length > 0 && (m[0] & 0x80) !== 0 ? Buffer.concat([Buffer.of(0), m]) : m);
}
