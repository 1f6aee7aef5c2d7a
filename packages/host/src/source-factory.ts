// The metric source for a registration: a cgroup when one is named, else the
// process (tree) from /proc. Missing targets are typed 422 errors, so a
// typo never starts a sampler that ends at its first tick.
import { existsSync } from 'node:fs';
import { cgroupSource, procfsSource, type MetricSource } from '@sandmeter/sampler';
import { HostError } from './errors.js';
import { pidExists } from './liveness.actor.js';
import type { SandboxRegistration } from './types.js';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** A cgroup as a path inside the hierarchy ("/system.slice/x.scope"); a full /sys/fs/cgroup path is accepted too. */
export function cgroupPathOf(cgroup: string): string {
  if (cgroup === CGROUP_ROOT) return '/';
  if (cgroup.startsWith(`${CGROUP_ROOT}/`)) return cgroup.slice(CGROUP_ROOT.length);
  return cgroup.startsWith('/') ? cgroup : `/${cgroup}`;
}

export function createSource(reg: SandboxRegistration, cgroupRoot = CGROUP_ROOT): MetricSource {
  if (reg.pid !== undefined && !pidExists(reg.pid)) {
    throw new HostError('SANDMETER_PROCESS_NOT_FOUND', 422, `no process with pid ${reg.pid}; register a running process`);
  }
  if (reg.cgroup !== undefined) {
    const path = cgroupPathOf(reg.cgroup);
    try {
      return cgroupSource({ root: cgroupRoot, path });
    } catch (err) {
      throw new HostError(
        'SANDMETER_CGROUP_NOT_FOUND',
        422,
        `cannot sample cgroup ${reg.cgroup}: ${(err as Error).message}${existsSync(cgroupRoot) ? '' : ` (${cgroupRoot} is not mounted)`}`,
      );
    }
  }
  return procfsSource({ pid: reg.pid as number, tree: reg.processTree ?? true });
}
