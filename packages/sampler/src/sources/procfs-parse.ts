// Byte-level parsers for /proc files: no strings, no regexes, no allocation
// beyond the result. They run once per process per tick.

const SPACE = 0x20;
const NEWLINE = 0x0a;
const COLON = 0x3a;
const CLOSE_PAREN = 0x29;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/** The fields of /proc/<pid>/stat the sampler needs. Times in clock ticks, rss in pages. */
export interface ProcStat {
  /** Char code of the state letter ('R', 'S', 'Z', ...). */
  state: number;
  ppid: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  /** Start time after boot, clock ticks: with the pid, it names one process. */
  starttime: number;
  rssPages: number;
  /** Threads in the process; filled only when `out` has the key (the tree walk asks for it). */
  numThreads?: number;
}

export function emptyProcStat(): ProcStat {
  return { state: 0, ppid: 0, utime: 0, stime: 0, cutime: 0, cstime: 0, starttime: 0, rssPages: 0 };
}

export const STATE_ZOMBIE = 0x5a; // 'Z'
export const STATE_DEAD = 0x58; // 'X'
export const STATE_DEAD_OLD = 0x78; // 'x'

/**
 * Parse "pid (comm) S ppid ..." into `out`. The command name may hold
 * spaces and parentheses, so fields are counted from the last ')'.
 * Returns false when the text is not a stat line.
 */
export function parseProcStat(buf: Uint8Array, len: number, out: ProcStat): boolean {
  let i = len - 1;
  while (i >= 0 && buf[i] !== CLOSE_PAREN) i--;
  if (i < 0 || i + 2 >= len) return false;
  i += 2;
  out.state = buf[i] ?? 0;
  i += 2;
  // Field numbers as in proc(5): 3 is the state, 4 the ppid, ... 24 the rss.
  let field = 4;
  while (i < len && field <= 24) {
    let negative = false;
    if (buf[i] === MINUS) {
      negative = true;
      i++;
    }
    let value = 0;
    let c = buf[i] ?? SPACE;
    while (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      c = buf[++i] ?? SPACE;
    }
    if (negative) value = -value;
    switch (field) {
      case 4: out.ppid = value; break;
      case 14: out.utime = value; break;
      case 15: out.stime = value; break;
      case 16: out.cutime = value; break;
      case 17: out.cstime = value; break;
      case 20: if (out.numThreads !== undefined) out.numThreads = value; break;
      case 22: out.starttime = value; break;
      case 24: out.rssPages = value; break;
    }
    // Skip to the next field (tolerates anything that is not a digit).
    while (i < len && buf[i] !== SPACE && buf[i] !== NEWLINE) i++;
    i++;
    field++;
  }
  return field > 24;
}

/** read_bytes and write_bytes of /proc/<pid>/io (the bytes that reached or came from storage). */
export interface ProcIo {
  readBytes: number;
  writeBytes: number;
}

const READ_BYTES = bytesOf('read_bytes');
const WRITE_BYTES = bytesOf('write_bytes');

/** Parse /proc/<pid>/io into `out`. Returns false when either line is missing. */
export function parseProcIo(buf: Uint8Array, len: number, out: ProcIo): boolean {
  let found = 0;
  let lineStart = 0;
  while (lineStart < len) {
    if (startsWith(buf, lineStart, len, READ_BYTES)) {
      out.readBytes = numberAfterColon(buf, lineStart + READ_BYTES.length, len);
      found |= 1;
    } else if (startsWith(buf, lineStart, len, WRITE_BYTES)) {
      out.writeBytes = numberAfterColon(buf, lineStart + WRITE_BYTES.length, len);
      found |= 2;
    }
    lineStart = nextLine(buf, lineStart, len);
  }
  return found === 3;
}

/** Received and transmitted bytes summed over interfaces of /proc/<pid>/net/dev. */
export interface NetDev {
  rxBytes: number;
  txBytes: number;
}

/**
 * Parse /proc/<pid>/net/dev: two header lines, then "iface: rx_bytes
 * rx_packets ... (8 receive columns) tx_bytes ...". Loopback is left out:
 * traffic a sandbox sends itself is not network use.
 */
export function parseNetDev(buf: Uint8Array, len: number, out: NetDev): boolean {
  out.rxBytes = 0;
  out.txBytes = 0;
  if (len === 0) return false;
  let line = nextLine(buf, nextLine(buf, 0, len), len);
  while (line < len) {
    let i = line;
    while (i < len && buf[i] === SPACE) i++;
    const nameStart = i;
    while (i < len && buf[i] !== COLON && buf[i] !== NEWLINE) i++;
    if (buf[i] !== COLON) return false;
    const isLoopback = i - nameStart === 2 && buf[nameStart] === 0x6c && buf[nameStart + 1] === 0x6f; // "lo"
    if (!isLoopback) {
      i++;
      for (let column = 1; column <= 9; column++) {
        while (i < len && buf[i] === SPACE) i++;
        let value = 0;
        let c = buf[i] ?? SPACE;
        while (c >= ZERO && c <= NINE) {
          value = value * 10 + (c - ZERO);
          c = buf[++i] ?? SPACE;
        }
        if (column === 1) out.rxBytes += value;
        else if (column === 9) out.txBytes += value;
      }
    }
    line = nextLine(buf, line, len);
  }
  return true;
}

/** The unsigned integer whose digits start at `at` (spaces before it skipped), or undefined. */
export function unsignedAt(buf: Uint8Array, at: number, len: number): number | undefined {
  let i = at;
  while (i < len && buf[i] === SPACE) i++;
  const start = i;
  let value = 0;
  while (i < len) {
    const c = buf[i] ?? SPACE;
    if (c < ZERO || c > NINE) break;
    value = value * 10 + (c - ZERO);
    i++;
  }
  return i === start ? undefined : value;
}

/** The first unsigned integer in the text, or undefined ("max" and the like). */
export function parseLeadingUnsigned(buf: Uint8Array, len: number): number | undefined {
  let i = 0;
  while (i < len && (buf[i] === SPACE || buf[i] === NEWLINE)) i++;
  return unsignedAt(buf, i, len);
}

/** Same, as an exact bigint (for u64 values such as v1 memory limits). */
export function parseLeadingUnsignedBig(buf: Uint8Array, len: number): bigint | undefined {
  let i = 0;
  while (i < len && (buf[i] === SPACE || buf[i] === NEWLINE)) i++;
  const start = i;
  while (i < len && (buf[i] ?? 0) >= ZERO && (buf[i] ?? 0) <= NINE) i++;
  if (i === start) return undefined;
  return BigInt(Buffer.from(buf.buffer, buf.byteOffset + start, i - start).toString('latin1'));
}

export function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

export function startsWith(buf: Uint8Array, at: number, len: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > len) return false;
  for (let k = 0; k < prefix.length; k++) {
    if (buf[at + k] !== prefix[k]) return false;
  }
  return true;
}

/** Index just past the next newline (or len). */
export function nextLine(buf: Uint8Array, at: number, len: number): number {
  let i = at;
  while (i < len && buf[i] !== NEWLINE) i++;
  return i + 1;
}

function numberAfterColon(buf: Uint8Array, at: number, len: number): number {
  let i = at;
  while (i < len && (buf[i] === COLON || buf[i] === SPACE)) i++;
  let value = 0;
  while (i < len) {
    const c = buf[i] ?? SPACE;
    if (c < ZERO || c > NINE) break;
    value = value * 10 + (c - ZERO);
    i++;
  }
  return value;
}
