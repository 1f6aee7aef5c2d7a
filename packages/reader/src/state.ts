// The state of one row as a person reads it, from the slot state and the
// age of its last sample.
import type { SandboxMetrics } from '@sandmeter/registry';

export type SandboxState = 'running' | 'stalled' | 'exited';

export const DEFAULT_INTERVAL_MS = 1000;

/** A live owner that has not sampled for this many intervals is stalled. */
export const STALL_INTERVALS = 3;

export function sandboxState(
  metrics: Pick<SandboxMetrics, 'state' | 'sampledAtMs'>,
  nowMs: number,
  intervalMs: number = DEFAULT_INTERVAL_MS,
): SandboxState {
  if (metrics.state === 'stale') return 'exited';
  // A sample stamped in the future (clock step) counts as fresh.
  return nowMs - metrics.sampledAtMs > STALL_INTERVALS * intervalMs ? 'stalled' : 'running';
}
