// Byte-level parsers for cgroup v1 and v2 files.

import { bytesOf, nextLine, startsWith, unsignedAt } from './procfs-parse.js';

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;

/** Value of the "key N" line of a flat-keyed file (cpu.stat, memory.stat), or undefined. */
export function keyedValue(buf: Uint8Array, len: number, key: Uint8Array): number | undefined {
  let line = 0;
  while (line < len) {
    const after = line + key.length;
    if (startsWith(buf, line, len, key) && (buf[after] === SPACE || buf[after] === TAB)) {
      return unsignedAt(buf, after + 1, len);
    }
    line = nextLine(buf, line, len);
  }
  return undefined;
}

const RBYTES = bytesOf('rbytes=');
const WBYTES = bytesOf('wbytes=');

/** Sum of rbytes= and wbytes= over the devices of a v2 io.stat. */
export function parseIoStat(buf: Uint8Array, len: number): { readBytes: number; writeBytes: number } {
  let readBytes = 0;
  let writeBytes = 0;
  for (let i = 0; i < len; i++) {
    // Tokens start after a space; a device line is "MAJ:MIN key=value ...".
    if (i > 0 && buf[i - 1] !== SPACE) continue;
    if (startsWith(buf, i, len, RBYTES)) readBytes += unsignedAt(buf, i + RBYTES.length, len) ?? 0;
    else if (startsWith(buf, i, len, WBYTES)) writeBytes += unsignedAt(buf, i + WBYTES.length, len) ?? 0;
  }
  return { readBytes, writeBytes };
}

const READ = bytesOf('Read ');
const WRITE = bytesOf('Write ');

/**
 * Sum of the Read and Write rows of a v1 blkio.*io_service_bytes file
 * ("MAJ:MIN Read N" per device, then a "Total N" line that is skipped).
 */
export function parseBlkioServiceBytes(buf: Uint8Array, len: number): { readBytes: number; writeBytes: number } {
  let readBytes = 0;
  let writeBytes = 0;
  let line = 0;
  while (line < len) {
    let i = line;
    while (i < len && buf[i] !== SPACE && buf[i] !== NEWLINE) i++;
    if (buf[i] === SPACE) {
      i++;
      if (startsWith(buf, i, len, READ)) readBytes += unsignedAt(buf, i + READ.length, len) ?? 0;
      else if (startsWith(buf, i, len, WRITE)) writeBytes += unsignedAt(buf, i + WRITE.length, len) ?? 0;
    }
    line = nextLine(buf, line, len);
  }
  return { readBytes, writeBytes };
}

/** cgroup v2 cgroup.events: false when "populated 0" says no process is left. */
export function cgroupPopulated(buf: Uint8Array, len: number): boolean {
  const populated = keyedValue(buf, len, POPULATED);
  return populated === undefined || populated !== 0;
}
const POPULATED = bytesOf('populated');
