// Finding the descendants of a process.
//
// Kernels built with CONFIG_PROC_CHILDREN list each task's children in
// /proc/<pid>/task/<tid>/children, which is cheap to follow. Without it the
// only way is to read every process's parent pid, an O(processes) scan.

import { existsSync, readdirSync } from 'node:fs';
import { parseProcStat, emptyProcStat } from './procfs-parse.js';
import { procBuffer, readFileOnce } from './proc-file.js';

const SPACE = 0x20;
const ZERO = 0x30;
const NINE = 0x39;

const childrenSupport = new Map<string, boolean>();

/** Whether this kernel lists children per task (cached per proc root). */
export function childrenFilesSupported(procRoot = '/proc'): boolean {
  let supported = childrenSupport.get(procRoot);
  if (supported === undefined) {
    supported = existsSync(`${procRoot}/self/task/${process.pid}/children`);
    childrenSupport.set(procRoot, supported);
  }
  return supported;
}

/** `root` followed by all its live descendants (breadth first). `root` is always first. */
export function processTreeMembers(root: number, procRoot = '/proc'): number[] {
  return childrenFilesSupported(procRoot) ? membersViaChildrenFiles(root, procRoot) : membersViaScan(root, procRoot);
}

function membersViaChildrenFiles(root: number, procRoot: string): number[] {
  const members = [root];
  for (let k = 0; k < members.length; k++) {
    const pid = members[k] as number;
    let tasks: string[];
    try {
      tasks = readdirSync(`${procRoot}/${pid}/task`);
    } catch {
      continue; // Exited while we walked: its children were reparented.
    }
    for (const tid of tasks) {
      const len = readFileOnce(`${procRoot}/${pid}/task/${tid}/children`, true);
      if (len > 0) pushPids(procBuffer(), len, members);
    }
  }
  return members;
}

function membersViaScan(root: number, procRoot: string): number[] {
  const childrenOf = new Map<number, number[]>();
  const stat = emptyProcStat();
  let entries: string[];
  try {
    entries = readdirSync(procRoot);
  } catch {
    return [root];
  }
  for (const name of entries) {
    const first = name.charCodeAt(0);
    if (first < ZERO || first > NINE) continue;
    const len = readFileOnce(`${procRoot}/${name}/stat`);
    if (len <= 0 || !parseProcStat(procBuffer(), len, stat)) continue;
    const pid = Number(name);
    const siblings = childrenOf.get(stat.ppid);
    if (siblings === undefined) childrenOf.set(stat.ppid, [pid]);
    else siblings.push(pid);
  }
  const members = [root];
  for (let k = 0; k < members.length; k++) {
    const children = childrenOf.get(members[k] as number);
    if (children !== undefined) for (const child of children) members.push(child);
  }
  return members;
}

/** Append the space-separated pids in buf[0..len) to `into`. */
export function pushPids(buf: Uint8Array, len: number, into: number[]): void {
  let value = 0;
  let inNumber = false;
  for (let i = 0; i < len; i++) {
    const c = buf[i] ?? SPACE;
    if (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      inNumber = true;
    } else if (inNumber) {
      into.push(value);
      value = 0;
      inNumber = false;
    }
  }
  if (inNumber) into.push(value);
}
