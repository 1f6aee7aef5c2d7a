// Exporters read through anything with snapshot(): a Registry or a Reader.
import { InvalidArgumentError } from '@sandmeter/registry';
import type { SandboxMetrics } from '@sandmeter/registry';

export interface SnapshotSource {
  snapshot(): SandboxMetrics[];
}

export function checkSource(source: unknown): SnapshotSource {
  if (source === null || typeof source !== 'object' || typeof (source as SnapshotSource).snapshot !== 'function') {
    throw new InvalidArgumentError('source', 'pass an open Registry or a Reader from @sandmeter/reader');
  }
  return source as SnapshotSource;
}
