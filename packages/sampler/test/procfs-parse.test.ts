import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  emptyProcStat,
  parseLeadingUnsigned,
  parseLeadingUnsignedBig,
  parseNetDev,
  parseProcIo,
  parseProcStat,
} from '../src/sources/procfs-parse.js';
import { ioText, netDevText, statLine } from './helpers/proc-fixture.js';

const bytes = (text: string): [Buffer, number] => {
  const buf = Buffer.from(text, 'latin1');
  return [buf, buf.length];
};

describe('parseProcStat', () => {
  test('reads times, start time and rss counted from the last parenthesis', () => {
    const [buf, len] = bytes(statLine(42, { comm: 'evil) (name x', state: 'R', ppid: 7, utime: 11, stime: 22, cutime: 33, cstime: 44, starttime: 5555, rssPages: 66 }));
    const out = emptyProcStat();
    expect(parseProcStat(buf, len, out)).toBe(true);
    expect(out).toEqual({ state: 'R'.charCodeAt(0), ppid: 7, utime: 11, stime: 22, cutime: 33, cstime: 44, starttime: 5555, rssPages: 66 });
  });

  test('agrees with a plain split of this process\'s own stat', () => {
    const text = readFileSync('/proc/self/stat', 'latin1');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const [buf, len] = bytes(text);
    const out = emptyProcStat();
    expect(parseProcStat(buf, len, out)).toBe(true);
    expect(out.ppid).toBe(Number(fields[1]));
    expect(out.starttime).toBe(Number(fields[19]));
    expect(out.rssPages).toBe(Number(fields[21]));
  });

  test('refuses text that is not a stat line', () => {
    const out = emptyProcStat();
    expect(parseProcStat(...bytes(''), out)).toBe(false);
    expect(parseProcStat(...bytes('garbage without paren'), out)).toBe(false);
    expect(parseProcStat(...bytes('1 (short) S 1 2'), out)).toBe(false);
  });
});

describe('parseProcIo', () => {
  test('reads read_bytes and write_bytes, not rchar/wchar', () => {
    const out = { readBytes: 0, writeBytes: 0 };
    expect(parseProcIo(...bytes(ioText(4096, 8192)), out)).toBe(true);
    expect(out).toEqual({ readBytes: 4096, writeBytes: 8192 });
  });

  test('refuses a file without the storage lines', () => {
    expect(parseProcIo(...bytes('rchar: 1\nwchar: 2\n'), { readBytes: 0, writeBytes: 0 })).toBe(false);
  });
});

describe('parseNetDev', () => {
  test('sums every interface but loopback', () => {
    const out = { rxBytes: 0, txBytes: 0 };
    const text = netDevText([['lo', 1_000_000, 1_000_000], ['eth0', 1500, 900], ['veth12ab', 500, 100]]);
    expect(parseNetDev(...bytes(text), out)).toBe(true);
    expect(out).toEqual({ rxBytes: 2000, txBytes: 1000 });
  });

  test('is zero for a namespace with only loopback', () => {
    const out = { rxBytes: 7, txBytes: 7 };
    expect(parseNetDev(...bytes(netDevText([['lo', 10, 10]])), out)).toBe(true);
    expect(out).toEqual({ rxBytes: 0, txBytes: 0 });
  });

  test('agrees with this host\'s own file', () => {
    const text = readFileSync('/proc/self/net/dev', 'latin1');
    let rx = 0;
    let tx = 0;
    for (const line of text.split('\n').slice(2)) {
      const [name, rest] = line.split(':');
      if (rest === undefined || name?.trim() === 'lo') continue;
      const cols = rest.trim().split(/\s+/).map(Number);
      rx += cols[0] ?? 0;
      tx += cols[8] ?? 0;
    }
    const out = { rxBytes: 0, txBytes: 0 };
    expect(parseNetDev(...bytes(text), out)).toBe(true);
    expect(out).toEqual({ rxBytes: rx, txBytes: tx });
  });
});

describe('parseLeadingUnsigned', () => {
  test('reads a number and refuses "max"', () => {
    expect(parseLeadingUnsigned(...bytes('123456\n'))).toBe(123456);
    expect(parseLeadingUnsigned(...bytes('max\n'))).toBeUndefined();
    expect(parseLeadingUnsigned(...bytes(''))).toBeUndefined();
  });

  test('the bigint form keeps u64 values exact', () => {
    expect(parseLeadingUnsignedBig(...bytes('9223372036854771712\n'))).toBe(9223372036854771712n);
    expect(parseLeadingUnsignedBig(...bytes('max\n'))).toBeUndefined();
  });
});
