// One row of the fleet as readers hand it out: the metrics plus their state.
import type { SandboxMetrics } from '@sandmeter/registry';
import { sandboxState, type SandboxState } from './state.js';

export interface SandboxReport {
  name: string;
  sandboxId: number;
  state: SandboxState;
  /** How old the last sample is, ms (0 for a sample stamped in the future). */
  ageMs: number;
  metrics: SandboxMetrics;
}

export function toReport(metrics: SandboxMetrics, nowMs: number, intervalMs: number): SandboxReport {
  return {
    name: metrics.name,
    sandboxId: metrics.sandboxId,
    state: sandboxState(metrics, nowMs, intervalMs),
    ageMs: Math.max(0, nowMs - metrics.sampledAtMs),
    metrics,
  };
}

const RANK: Record<SandboxState, number> = { running: 0, stalled: 1, exited: 2 };

/** Which of two reports of the same name the fleet view keeps: the livelier, then the newer. */
export function preferReport(a: SandboxReport, b: SandboxReport): SandboxReport {
  const byState = RANK[a.state] - RANK[b.state];
  if (byState !== 0) return byState < 0 ? a : b;
  return b.metrics.sampledAtMs > a.metrics.sampledAtMs ? b : a;
}
