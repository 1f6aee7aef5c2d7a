// Public value types of @sandmeter/registry.

/**
 * A u64 counter as JavaScript sees it. Writes accept a non-negative safe
 * integer (up to 2^53 - 1) or a bigint (the full u64 range). Reads give a
 * number by default; see {@link SandboxMetrics.inexact} and the `bigint`
 * snapshot option for values above 2^53.
 */
export type U64Input = number | bigint;

export type SlotState = 'active' | 'stale';

/** One sample as a writer publishes it. Omitted optional fields are absent. */
export interface SampleInput {
  /** Wall clock of the reading, unix ms. Default: Date.now(). */
  sampledAtMs?: number;
  /** CPU percent of one core (100 = one core busy). Published only with vcpuTimeNs. */
  cpuPercent?: number;
  /** Cumulative CPU time of all vCPUs / threads, ns. */
  vcpuTimeNs?: U64Input;
  memoryBytes?: U64Input;
  memoryAvailableBytes?: U64Input;
  memoryHostResidentBytes?: U64Input;
  /** Cumulative. Absent means "unknown" (see README: unknown-disk flag). */
  diskReadBytes?: U64Input;
  diskWriteBytes?: U64Input;
  /** Cumulative. Absent means "unknown" (see README: unknown-network flag). */
  netRxBytes?: U64Input;
  netTxBytes?: U64Input;
  upperUsedBytes?: U64Input;
  upperFreeBytes?: U64Input;
  upperHostAllocatedBytes?: U64Input;
}

/** The metrics of one slot, read coherently (never torn) from shared memory. */
export interface SandboxMetrics<N = number> {
  slot: number;
  generation: number;
  /** active: the owner is publishing; stale: the preserved last sample of a released or dead owner. */
  state: SlotState;
  sandboxId: number;
  runId: number;
  pid: number;
  name: string;
  startedAtMs: number;
  sampledAtMs: number;
  /** sampledAtMs - startedAtMs: how long the sandbox had run at this sample. */
  uptimeMs: number;
  memoryLimitBytes: N;
  cpuPercent: number | undefined;
  vcpuTimeNs: N | undefined;
  memoryBytes: N | undefined;
  memoryAvailableBytes: N | undefined;
  memoryHostResidentBytes: N | undefined;
  diskReadBytes: N | undefined;
  diskWriteBytes: N | undefined;
  netRxBytes: N | undefined;
  netTxBytes: N | undefined;
  upperUsedBytes: N | undefined;
  upperFreeBytes: N | undefined;
  upperHostAllocatedBytes: N | undefined;
  /**
   * Names of number fields whose true value is above 2^53 and was rounded
   * to the nearest double. Empty when every number is exact. Read with
   * `{ bigint: true }` for exact values.
   */
  inexact: readonly string[];
}

export interface ReserveOptions {
  sandboxId: number;
  /** UTF-8, at most 128 bytes, no NUL. */
  name: string;
  memoryLimitBytes?: U64Input;
}

export interface Reservation {
  slot: number;
  generation: number;
}

export interface ActivateOptions extends Reservation {
  runId: number;
  /** The process that owns the sandbox; readers demote the slot when it dies. Default: process.pid. */
  pid?: number;
  /** Default: Date.now(). */
  startedAtMs?: number;
}

export type ReleaseMode = 'stale' | 'free';

export interface SnapshotOptions {
  /** Include stale slots (default true for snapshot(), false for activeSnapshot()). */
  includeStale?: boolean;
}
