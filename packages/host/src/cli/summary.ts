// One line about a sandbox that ended: how, after how long, and its last sample.
import type { SandboxMetrics } from '@sandmeter/registry';
import type { SandboxRecord } from '../types.js';
import { formatBytes, formatCores, formatDuration } from './format.js';

export function endSummary(record: SandboxRecord, last: SandboxMetrics | undefined): string {
  const how =
    record.end === null ? record.status
    : record.end.signal !== null ? `was killed by ${record.end.signal}`
    : record.end.exitCode !== null ? `exited with code ${record.end.exitCode}`
    : `ended (${record.end.reason})`;
  const ran = formatDuration((record.end?.atMs ?? Date.now()) - record.startedAtMs);
  const parts = [`${record.name} (id ${record.id}) ${how} after ${ran}`];
  if (last !== undefined) {
    parts.push(
      `last sample: cpu ${formatCores(last.cpuPercent === undefined ? undefined : last.cpuPercent / 100)} cores, memory ${formatBytes(last.memoryBytes)}, disk read ${formatBytes(last.diskReadBytes)} written ${formatBytes(last.diskWriteBytes)}`,
    );
  }
  return parts.join('; ');
}
