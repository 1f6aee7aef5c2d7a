// Fake cgroupfs trees (v2, v1, hybrid) in a temp dir.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Write `files` (relative path -> content) under root. */
export function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

export function v2Cgroup(dir: string, values: { usageUsec: number; current: number; max: string; io: string; populated?: 0 | 1 }) {
  return {
    [`${dir}/cgroup.procs`]: '',
    [`${dir}/cpu.stat`]: `usage_usec ${values.usageUsec}\nuser_usec 1\nsystem_usec 2\nnr_periods 0\n`,
    [`${dir}/memory.current`]: `${values.current}\n`,
    [`${dir}/memory.max`]: `${values.max}\n`,
    [`${dir}/io.stat`]: values.io,
    [`${dir}/cgroup.events`]: `populated ${values.populated ?? 1}\nfrozen 0\n`,
  };
}
