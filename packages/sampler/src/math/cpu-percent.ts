// CPU percent from two cumulative CPU-time readings (the seed's formula).

import type { U64Input } from '@sandmeter/registry';
import { counterDelta, finiteOrUndefined } from './finite.js';

const NS_PER_SEC = 1e9;

/**
 * (cpu_ns_delta / 1e9) / wallSecs * 100. 100 means one core fully busy.
 * A counter that went backwards gives 0; a missing counter, or no wall time
 * (zero, negative or not finite), gives undefined ("absent").
 */
export function cpuPercentFromCpuTime(
  currentNs: U64Input | undefined,
  previousNs: U64Input | undefined,
  wallSecs: number,
): number | undefined {
  if (currentNs === undefined || previousNs === undefined) return undefined;
  if (!(wallSecs > 0) || !Number.isFinite(wallSecs)) return undefined;
  const deltaNs = counterDelta(currentNs, previousNs);
  return finiteOrUndefined((deltaNs / NS_PER_SEC / wallSecs) * 100);
}

/**
 * Clamp to what maxCpus cores can do (maxCpus * 100). Without a known
 * maxCpus the value passes unclamped; negatives become 0; NaN and Infinity
 * become undefined.
 */
export function clampCpuPercent(percent: number | undefined, maxCpus?: number): number | undefined {
  const value = finiteOrUndefined(percent);
  if (value === undefined) return undefined;
  if (value < 0) return 0;
  if (maxCpus !== undefined && Number.isFinite(maxCpus) && maxCpus > 0) {
    return Math.min(value, maxCpus * 100);
  }
  return value;
}
