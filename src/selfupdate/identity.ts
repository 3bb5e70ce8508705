// Is a file in bin/ one of ours? WSO2 ships its own `wso2update_linux` (a Go program) in every pack, under the very
// name our single executable takes, so install and self-update's cleanup must tell the two apart before they replace
// or delete anything: ours is a Node single executable whose SEA fuse postject has flipped, or our code bundle.
import { open } from 'node:fs/promises';

// Joined at run time: the sentinel must not occur as one literal in our own code, which is injected into the very
// binary that postject searches for it (a second occurrence makes the injection fail).
const FUSE = Buffer.from(`${['NODE', 'SEA', 'FUSE', 'fce680ab2cc467b6e072b8b5df1996b2'].join('_')}:1`);
const CODE_HEADER = Buffer.from('// wso2update-code ');

/** True when `file` is a wso2update single executable (fuse flipped) or code bundle; false for anything else or nothing. */
export async function isOurs(file: string): Promise<boolean> {
  const fh = await open(file, 'r').catch(() => null);
  if (fh === null || !(await fh.stat()).isFile()) {
    await fh?.close();
    return false;
  }
  try {
    const chunk = Buffer.alloc(1 << 20);
    let carry = Buffer.alloc(0);
    for (let pos = 0; ; ) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) return false;
      if (pos === 0 && chunk.subarray(0, CODE_HEADER.length).equals(CODE_HEADER)) return true;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (window.includes(FUSE)) return true;
      carry = window.subarray(Math.max(0, window.length - FUSE.length));
      pos += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
