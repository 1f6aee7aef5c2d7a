// Guards that keep NaN, Infinity and negative counters out of the registry.

import type { U64Input } from '@sandmeter/registry';

/** The number itself when it is finite, else undefined (never publish NaN or Infinity). */
export function finiteOrUndefined(value: number | undefined): number | undefined {
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** A cumulative counter as the registry accepts it: a finite non-negative integer or a non-negative bigint. */
export function counterOrUndefined(value: U64Input | undefined): U64Input | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
}

/**
 * current - previous for u64 counters of either representation, as a number.
 * A counter that went backwards gives 0 (it was reset or a member of a tree left).
 */
export function counterDelta(current: U64Input, previous: U64Input): number {
  if (typeof current === 'number' && typeof previous === 'number') {
    return current > previous ? current - previous : 0;
  }
  const c = BigInt(current);
  const p = BigInt(previous);
  return c > p ? Number(c - p) : 0;
}
