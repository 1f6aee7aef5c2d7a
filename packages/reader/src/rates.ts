// Disk and network throughput from two samples of the same sandbox.
import { InvalidArgumentError } from '@sandmeter/registry';
import type { SandboxMetrics } from '@sandmeter/registry';

export type RateField = 'diskReadBytes' | 'diskWriteBytes' | 'netRxBytes' | 'netTxBytes';

export const RATE_FIELDS: readonly RateField[] = ['diskReadBytes', 'diskWriteBytes', 'netRxBytes', 'netTxBytes'];

export interface SandboxRates {
  /** Time between the two samples, ms. */
  elapsedMs: number;
  diskReadBytesPerSec: number | undefined;
  diskWriteBytesPerSec: number | undefined;
  netRxBytesPerSec: number | undefined;
  netTxBytesPerSec: number | undefined;
  /** Counters that went backwards (or a new run began); their rate counts from zero. */
  resets: readonly RateField[];
}

type Sample = Pick<SandboxMetrics, 'sandboxId' | 'runId' | 'sampledAtMs' | RateField>;

/**
 * Bytes per second between `previous` and `current`. A field absent in
 * either sample has no rate. A counter that went backwards, or a sample
 * from a later run, is a reset: the counter restarted from zero, so the
 * whole current value happened within the window (the rule Prometheus'
 * rate() uses). No time between the samples gives no rates.
 */
export function computeRates(previous: Sample, current: Sample): SandboxRates {
  if (previous.sandboxId !== current.sandboxId) {
    throw new InvalidArgumentError(
      'previous',
      `samples of sandbox ${previous.sandboxId} and ${current.sandboxId} cannot be compared; pass two samples of one sandbox`,
    );
  }
  const elapsedMs = current.sampledAtMs - previous.sampledAtMs;
  const newRun = previous.runId !== current.runId;
  const resets: RateField[] = [];
  const rate = (field: RateField): number | undefined => {
    const before = previous[field];
    const now = current[field];
    if (before === undefined || now === undefined || elapsedMs <= 0) return undefined;
    let delta = now - before;
    if (newRun || delta < 0) {
      resets.push(field);
      delta = now;
    }
    return (delta * 1000) / elapsedMs;
  };
  return {
    elapsedMs,
    diskReadBytesPerSec: rate('diskReadBytes'),
    diskWriteBytesPerSec: rate('diskWriteBytes'),
    netRxBytesPerSec: rate('netRxBytes'),
    netTxBytesPerSec: rate('netTxBytes'),
    resets,
  };
}

/** Rates of every sandbox present in both snapshots (same slot, sandbox id, run and name), keyed by name. */
export function fleetRates(
  previous: readonly SandboxMetrics[],
  current: readonly SandboxMetrics[],
): Map<string, SandboxRates> {
  const bySlot = new Map<number, SandboxMetrics>();
  for (const row of previous) bySlot.set(row.slot, row);
  const out = new Map<string, SandboxRates>();
  for (const row of current) {
    const prev = bySlot.get(row.slot);
    if (prev === undefined || prev.sandboxId !== row.sandboxId || prev.runId !== row.runId || prev.name !== row.name) continue;
    if (!out.has(row.name) || row.state === 'active') out.set(row.name, computeRates(prev, row));
  }
  return out;
}
