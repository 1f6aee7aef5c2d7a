// Network counters belong to a sandbox only when it has a network namespace
// of its own: in the host's namespace, /proc/<pid>/net/dev shows the
// host's totals, which would be a lie attributed to one sandbox.

import { statSync } from 'node:fs';

/** Inode of the network namespace of `pid` ("self" allowed), or undefined if unreadable. */
export function netNamespaceInode(pid: number | 'self', procRoot = '/proc'): number | undefined {
  try {
    return statSync(`${procRoot}/${pid}/ns/net`).ino;
  } catch {
    return undefined;
  }
}

/**
 * The host's network namespace: PID 1's when we may read it, else our own
 * (in a locked-down VM or container only our own is visible).
 */
export function hostNetNamespaceInode(procRoot = '/proc'): number | undefined {
  return netNamespaceInode(1, procRoot) ?? netNamespaceInode('self', procRoot);
}

/** True when `pid` is in a readable network namespace that differs from the host's. */
export function hasOwnNetNamespace(pid: number, hostInode: number | undefined, procRoot = '/proc'): boolean {
  if (hostInode === undefined) return false;
  const inode = netNamespaceInode(pid, procRoot);
  return inode !== undefined && inode !== hostInode;
}
