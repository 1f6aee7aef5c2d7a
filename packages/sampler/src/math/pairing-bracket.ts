// Pair each counter read with the clock, and refuse windows whose timing is unsure.
//
// A reading is taken between two monotonic clock reads. If the sampler was
// descheduled in between, the reading's moment is only known within that
// bracket, and a short window divided into a full counter delta gives
// absurd figures (a 2-vCPU sandbox once read 592%). Such a window does not
// publish its own ratio; the last trustworthy one is carried instead.

import type { U64Input } from '@sandmeter/registry';
import { clampCpuPercent, cpuPercentFromCpuTime } from './cpu-percent.js';

/** Widest bracket, as a share of the window, that still counts as trustworthy. */
export const DEFAULT_BRACKET_TOLERANCE = 0.05;

/** One counter read, bracketed by monotonic clock reads (ms, e.g. performance.now()). */
export interface PairedReading {
  cpuTimeNs: U64Input | undefined;
  beforeMs: number;
  afterMs: number;
}

/**
 * True when the window's timing uncertainty is at most `tolerance` of the
 * window. The uncertainty is the sum of both ends' brackets: each counter
 * read happened somewhere inside its own bracket.
 */
export function bracketIsTrustworthy(
  previous: PairedReading,
  current: PairedReading,
  tolerance: number = DEFAULT_BRACKET_TOLERANCE,
): boolean {
  const windowMs = pairedWindowMs(previous, current);
  if (!(windowMs > 0) || !Number.isFinite(windowMs)) return false;
  const bracketMs = (previous.afterMs - previous.beforeMs) + (current.afterMs - current.beforeMs);
  if (!(bracketMs >= 0)) return false;
  return bracketMs <= windowMs * tolerance;
}

/** Window between two readings, midpoint to midpoint, in ms. */
export function pairedWindowMs(previous: PairedReading, current: PairedReading): number {
  return (current.beforeMs + current.afterMs) / 2 - (previous.beforeMs + previous.afterMs) / 2;
}

export interface PairedCpuResult {
  /** What to publish: this window's ratio when trustworthy, else the carried one. */
  cpuPercent: number | undefined;
  /** Whether this window's own ratio was used. */
  trusted: boolean;
}

/**
 * CPU percent over the window from `previous` to `current`, clamped to
 * maxCpus * 100, or `lastTrusted` when the bracket is too wide.
 */
export function pairedCpuPercent(
  previous: PairedReading,
  current: PairedReading,
  options: { maxCpus?: number; lastTrusted?: number; tolerance?: number } = {},
): PairedCpuResult {
  if (!bracketIsTrustworthy(previous, current, options.tolerance)) {
    return { cpuPercent: clampCpuPercent(options.lastTrusted, options.maxCpus), trusted: false };
  }
  const wallSecs = pairedWindowMs(previous, current) / 1000;
  const raw = cpuPercentFromCpuTime(current.cpuTimeNs, previous.cpuTimeNs, wallSecs);
  return { cpuPercent: clampCpuPercent(raw, options.maxCpus), trusted: raw !== undefined };
}
