// Freshness of the guest's own upper-filesystem sample.

import type { U64Input } from '@sandmeter/registry';

/** The guest's upper filesystem is stale after at least this long, whatever the interval. */
export const MIN_UPPER_STALE_AFTER_MS = 3000;

/** max(3 * interval, 3 s): a slow sampler must not call every guest sample stale. */
export function upperFilesystemStaleAfterMs(intervalMs: number): number {
  const scaled = Number.isFinite(intervalMs) && intervalMs > 0 ? intervalMs * 3 : 0;
  return Math.max(scaled, MIN_UPPER_STALE_AFTER_MS);
}

/**
 * Whether a sample stamped `sampledAtMs` (unix ms) is fresh at `nowMs`.
 * A stamp in the future counts as fresh (clocks of guest and host differ);
 * a negative or non-finite now is never fresh.
 */
export function upperSampleIsFresh(sampledAtMs: number, staleAfterMs: number, nowMs: number): boolean {
  if (!Number.isFinite(nowMs) || nowMs < 0 || !Number.isFinite(sampledAtMs)) return false;
  if (sampledAtMs >= nowMs) return true;
  return nowMs - sampledAtMs <= staleAfterMs;
}

export interface UpperFilesystem {
  usedBytes?: U64Input | undefined;
  freeBytes?: U64Input | undefined;
  sampledAtMs?: number | undefined;
}

/**
 * Used and free bytes to publish: both when all three values are known and
 * the sample is fresh, otherwise neither.
 */
export function freshUpperFilesystem(
  upper: UpperFilesystem,
  staleAfterMs: number,
  nowMs: number,
): { usedBytes?: U64Input; freeBytes?: U64Input } {
  const { usedBytes, freeBytes, sampledAtMs } = upper;
  if (usedBytes === undefined || freeBytes === undefined || sampledAtMs === undefined) return {};
  if (!upperSampleIsFresh(sampledAtMs, staleAfterMs, nowMs)) return {};
  return { usedBytes, freeBytes };
}
