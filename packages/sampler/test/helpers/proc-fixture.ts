// A fake /proc tree in a temp dir, for cases a live system cannot stage on
// demand (a zombie root, pid reuse, a sandbox in its own network namespace).

import { linkSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeProcess {
  comm?: string;
  state?: string;
  ppid?: number;
  utime?: number;
  stime?: number;
  cutime?: number;
  cstime?: number;
  starttime?: number;
  rssPages?: number;
  /** num_threads (default 1). */
  threads?: number;
  io?: { readBytes: number; writeBytes: number } | 'denied';
  netDev?: Array<[iface: string, rx: number, tx: number]>;
  /** Name of the ns file to share (equal names = same namespace). */
  netNs?: string;
}

export function statLine(pid: number, p: FakeProcess): string {
  const f = [
    p.state ?? 'S', p.ppid ?? 1, pid, pid, 0, -1, 4194304, 100, 0, 0, 0,
    p.utime ?? 0, p.stime ?? 0, p.cutime ?? 0, p.cstime ?? 0, 20, 0, p.threads ?? 1, 0,
    p.starttime ?? 1000, 123456789, p.rssPages ?? 0, '18446744073709551615', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 1,
  ];
  return `${pid} (${p.comm ?? 'fake'}) ${f.join(' ')}\n`;
}

export function ioText(readBytes: number, writeBytes: number): string {
  return `rchar: 999\nwchar: 888\nsyscr: 7\nsyscw: 6\nread_bytes: ${readBytes}\nwrite_bytes: ${writeBytes}\ncancelled_write_bytes: 0\n`;
}

export function netDevText(rows: Array<[string, number, number]>): string {
  const head =
    'Inter-|   Receive                                                |  Transmit\n' +
    ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  return head + rows.map(([name, rx, tx]) => `${name.padStart(6)}: ${rx} 10 0 0 0 0 0 0 ${tx} 12 0 0 0 0 0 0\n`).join('');
}

/** Write (or rewrite) /proc/<pid>/task/<tid>/children. */
export function writeTaskChildren(procRoot: string, pid: number, tid: number, children: number[]): void {
  const dir = join(procRoot, String(pid), 'task', String(tid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'children'), children.map((c) => `${c} `).join(''));
}

/** Make procRoot look like a kernel that lists children per task (CONFIG_PROC_CHILDREN). */
export function enableTaskChildren(procRoot: string): void {
  const self = join(procRoot, 'self', 'task', String(process.pid));
  mkdirSync(self, { recursive: true });
  writeFileSync(join(self, 'children'), '');
}

/** Write (or rewrite) one fake process under procRoot. */
export function writeFakeProcess(procRoot: string, pid: number, p: FakeProcess): void {
  const dir = join(procRoot, String(pid));
  mkdirSync(join(dir, 'ns'), { recursive: true });
  writeFileSync(join(dir, 'stat'), statLine(pid, p));
  if (p.io !== 'denied') writeFileSync(join(dir, 'io'), ioText(p.io?.readBytes ?? 0, p.io?.writeBytes ?? 0));
  if (p.netDev) {
    mkdirSync(join(dir, 'net'), { recursive: true });
    writeFileSync(join(dir, 'net', 'dev'), netDevText(p.netDev));
  }
  // Namespaces are compared by inode: every process naming the same
  // namespace gets a hard link to the same file.
  const nsDir = join(procRoot, 'namespaces');
  mkdirSync(nsDir, { recursive: true });
  const ns = join(nsDir, p.netNs ?? 'host');
  writeFileSync(ns, '', { flag: 'a' });
  rmSync(join(dir, 'ns', 'net'), { force: true });
  linkSync(ns, join(dir, 'ns', 'net'));
}
