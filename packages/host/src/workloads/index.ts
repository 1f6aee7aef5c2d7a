// Paths of the demo workloads, as scripts a child Node process runs.
import { fileURLToPath } from 'node:url';

export type WorkloadKind = 'cpu-burn' | 'memory-grow' | 'disk-write';

export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['cpu-burn', 'memory-grow', 'disk-write'];

export function workloadScript(kind: WorkloadKind): string {
  return fileURLToPath(new URL(`./${kind}.js`, import.meta.url));
}
