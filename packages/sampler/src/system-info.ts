// Facts about the running kernel that turn /proc units into bytes and nanoseconds.

import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';

/** USER_HZ: /proc reports CPU times in these ticks; 100 on every Linux architecture Node runs on. */
export const DEFAULT_CLOCK_TICKS_PER_SEC = 100;

const AT_PAGESZ = 6n;
let pageSizeCache: number | undefined;

/**
 * The kernel page size, from the auxiliary vector the kernel handed this
 * process (AT_PAGESZ); 4096 if that cannot be read. arm64 kernels may use
 * 16 KiB or 64 KiB pages, so it is not assumed.
 */
export function systemPageSize(): number {
  if (pageSizeCache !== undefined) return pageSizeCache;
  pageSizeCache = 4096;
  try {
    const auxv = readFileSync('/proc/self/auxv');
    // Pairs of native words (8 bytes on the 64-bit targets we support).
    for (let at = 0; at + 16 <= auxv.length; at += 16) {
      const key = auxv.readBigUInt64LE(at);
      if (key === 0n) break;
      if (key === AT_PAGESZ) {
        pageSizeCache = Number(auxv.readBigUInt64LE(at + 8));
        break;
      }
    }
  } catch {
    // No /proc/self/auxv (not Linux, or hidden): keep the common default.
  }
  return pageSizeCache;
}

/** CPUs this process may use: the default clamp for CPU percent (count * 100). */
export function systemCpuCount(): number {
  return availableParallelism();
}

/** Clock ticks to nanoseconds; a bigint only when a number would lose precision. */
export function ticksToNs(ticks: number, ticksPerSec: number): number | bigint {
  const ns = ticks * (1e9 / ticksPerSec);
  if (ns <= Number.MAX_SAFE_INTEGER) return ns;
  return (BigInt(ticks) * 1_000_000_000n) / BigInt(ticksPerSec);
}
