// The loader and the typed surface of the native binding. The TypeScript
// layer (@sandmeter/registry) validates arguments and owns lifetime; this
// interface is the whole contract with the C++ side.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Exact slot contents as read by the C++ seqlock reader (u64 as bigint). */
export interface NativeSlotRead {
  state: number;
  generation: bigint;
  sandboxId: number;
  runId: number;
  pid: number;
  startedAtMs: bigint;
  sampledAtMs: bigint;
  flags: number;
  cpuPercent: number;
  memoryLimitBytes: bigint;
  vcpuTimeNs: bigint;
  memoryBytes: bigint;
  memoryAvailableBytes: bigint;
  memoryHostResidentBytes: bigint;
  diskReadBytes: bigint;
  diskWriteBytes: bigint;
  netRxBytes: bigint;
  netTxBytes: bigint;
  upperUsedBytes: bigint;
  upperFreeBytes: bigint;
  upperHostAllocatedBytes: bigint;
  name: Uint8Array;
}

/**
 * Errors thrown by the binding carry `code` (a stable SANDMETER_* string)
 * and, depending on the code, `field`, `expected`, `actual`, `errno`.
 */
export interface NativeError extends Error {
  code: string;
  field?: string;
  expected?: bigint;
  actual?: bigint;
  errno?: number;
}

/** Opaque handle of a native pid watch. */
export type PidWatchHandle = { readonly __brand: 'PidWatch' };

export interface NativeBinding {
  openOrCreate(name: string, capacity: number): { buffer: ArrayBuffer; created: boolean };
  create(name: string, capacity: number): ArrayBuffer;
  /** expectedCapacity 0 accepts the capacity in the header. */
  open(name: string, expectedCapacity: number): ArrayBuffer;
  unlink(name: string): void;
  /** Lets go of the shm object (the buffer then reads zeros); idempotent. */
  close(buffer: ArrayBuffer): void;
  /** Returns [slot, generation]. */
  reserve(buffer: ArrayBuffer, sandboxId: number, name: Uint8Array, memoryLimitBytes: number | bigint): [number, number];
  activate(buffer: ArrayBuffer, slot: number, generation: number, runId: number, pid: number, startedAtMs: number): void;
  /** values: see SAMPLE_VALUE_ORDER. */
  writeSample(buffer: ArrayBuffer, slot: number, generation: number, values: Float64Array): void;
  /** mode 3 = stale, 0 = free. Returns the slot's new generation. */
  release(buffer: ArrayBuffer, slot: number, generation: number, mode: 0 | 3): number;
  releaseReserved(buffer: ArrayBuffer, slot: number, generation: number): void;
  demoteIfOwnerDead(buffer: ArrayBuffer, slot: number, generation: number): boolean;
  readSlot(buffer: ArrayBuffer, slot: number, acceptStale: boolean): NativeSlotRead | null;
  pidAlive(pid: number): boolean;
  pidsAlive(pids: Int32Array, alive: Uint8Array): void;
  /** An epoll set of pidfds; null when the kernel gives no epoll. */
  pidWatchOpen(): PidWatchHandle | null;
  /** 0 dead, 1 watched, 2 unsupported (no pidfd: fall back to pidAlive). */
  pidWatchAdd(watch: PidWatchHandle, pid: number): 0 | 1 | 2;
  /** Writes pids that exited since the last call into `out`; returns the count. */
  pidWatchTake(watch: PidWatchHandle, out: Int32Array): number;
  /** Stops watching pids not in `keep`; returns how many stay watched. */
  pidWatchRetain(watch: PidWatchHandle, keep: Int32Array): number;
  pidWatchClose(watch: PidWatchHandle): void;
  /** Digest of the C++ sources this binary was built from. */
  sourceHash: string;
}

/** Order of the values array taken by NativeBinding.writeSample. */
export const SAMPLE_VALUE_ORDER = [
  'sampledAtMs', 'flags', 'cpuPercent', 'vcpuTimeNs', 'memoryBytes', 'memoryAvailableBytes',
  'memoryHostResidentBytes', 'diskReadBytes', 'diskWriteBytes', 'netRxBytes', 'netTxBytes',
  'upperUsedBytes', 'upperFreeBytes', 'upperHostAllocatedBytes',
] as const;

/** The package root: where binding.gyp, build/ and prebuilds/ live. */
export const nativeRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

const require = createRequire(import.meta.url);
const load = require('node-gyp-build') as (dir: string) => unknown;

export const binding = load(nativeRoot) as NativeBinding;
