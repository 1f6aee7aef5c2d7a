// Where a cgroup lives: its path in the unified (v2) hierarchy and in each v1 controller's.

import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface CgroupLocation {
  /** Path in the unified v2 hierarchy, e.g. "/system.slice/foo.scope". */
  unified?: string;
  /** Path per v1 controller, e.g. { memory: "/docker/abc", cpuacct: "/docker/abc" }. */
  controllers?: Readonly<Record<string, string>>;
}

/** The same path in every hierarchy: what a container runtime usually sets up. */
export function cgroupLocationFromPath(path: string): CgroupLocation {
  const p = path.startsWith('/') ? path : `/${path}`;
  return { unified: p, controllers: { cpuacct: p, cpu: p, memory: p, blkio: p } };
}

/**
 * Parse /proc/<pid>/cgroup: "0::/path" is the unified hierarchy,
 * "N:ctrl1,ctrl2:/path" a v1 hierarchy; named ones (name=systemd) are skipped.
 */
export function parseProcCgroup(text: string): CgroupLocation {
  const controllers: Record<string, string> = {};
  let unified: string | undefined;
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const names = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (names === '') unified = path;
    else for (const name of names.split(',')) if (!name.startsWith('name=')) controllers[name] = path;
  }
  return unified === undefined ? { controllers } : { unified, controllers };
}

/** The cgroup location of a process, or undefined when it is gone or has none. */
export function cgroupLocationOfPid(pid: number, procRoot = '/proc'): CgroupLocation | undefined {
  try {
    return parseProcCgroup(readFileSync(`${procRoot}/${pid}/cgroup`, 'latin1'));
  } catch {
    return undefined;
  }
}

/**
 * Mount directory of the unified hierarchy under `root`: root itself on a
 * pure v2 host, root/unified on a hybrid one, undefined on pure v1.
 */
export function unifiedMount(root: string): string | undefined {
  if (existsSync(`${root}/cgroup.controllers`)) return root;
  if (existsSync(`${root}/unified/cgroup.controllers`)) return `${root}/unified`;
  return undefined;
}

/** Mount directory of a v1 controller under `root` ("cpuacct" may live in "cpu,cpuacct"). */
export function v1ControllerMount(root: string, controller: string): string | undefined {
  if (existsSync(`${root}/${controller}/cgroup.procs`)) return `${root}/${controller}`;
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (entry.split(',').includes(controller) && existsSync(`${root}/${entry}/cgroup.procs`)) return `${root}/${entry}`;
  }
  return undefined;
}

/** Join a mount and a cgroup path ("/" is the mount itself). */
export function joinCgroup(mount: string, path: string): string {
  if (path === '/' || path === '') return mount;
  return `${mount}${path.startsWith('/') ? '' : '/'}${path.replace(/\/+$/, '')}`;
}
