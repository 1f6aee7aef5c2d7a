import { describe, expect, test } from 'vitest';
import { clampCpuPercent, cpuPercentFromCpuTime } from '../src/math/cpu-percent.js';

describe('cpuPercentFromCpuTime', () => {
  // The seed's cases.
  test('uses CPU seconds over wall seconds', () => {
    expect(cpuPercentFromCpuTime(2_000_000_000, 1_000_000_000, 1.0)).toBe(100);
    expect(cpuPercentFromCpuTime(3_000_000_000, 1_000_000_000, 1.0)).toBe(200);
  });

  test('a counter that went backwards gives 0', () => {
    expect(cpuPercentFromCpuTime(1_000_000_000, 2_000_000_000, 1.0)).toBe(0);
  });

  test('a missing counter gives undefined', () => {
    expect(cpuPercentFromCpuTime(undefined, 0, 1.0)).toBeUndefined();
    expect(cpuPercentFromCpuTime(0, undefined, 1.0)).toBeUndefined();
  });

  test('no wall time gives undefined', () => {
    expect(cpuPercentFromCpuTime(0, 0, 0)).toBeUndefined();
    expect(cpuPercentFromCpuTime(2e9, 1e9, -1)).toBeUndefined();
    expect(cpuPercentFromCpuTime(2e9, 1e9, Number.NaN)).toBeUndefined();
    expect(cpuPercentFromCpuTime(2e9, 1e9, Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  // And more.
  test('scales with the window', () => {
    expect(cpuPercentFromCpuTime(1_250_000_000, 1_000_000_000, 0.5)).toBe(50);
    expect(cpuPercentFromCpuTime(10_000_000_000, 0, 4)).toBe(250);
  });

  test('an idle window gives 0, not undefined', () => {
    expect(cpuPercentFromCpuTime(5e9, 5e9, 1)).toBe(0);
  });

  test('accepts bigint counters beyond 2^53 without losing the delta', () => {
    const base = 2n ** 62n;
    expect(cpuPercentFromCpuTime(base + 1_500_000_000n, base, 1)).toBe(150);
    expect(cpuPercentFromCpuTime(base, base + 1n, 1)).toBe(0);
    // Mixed representations, as when a counter crosses 2^53 between ticks.
    expect(cpuPercentFromCpuTime(BigInt(Number.MAX_SAFE_INTEGER) + 1_000_000_000n, Number.MAX_SAFE_INTEGER, 1)).toBe(100);
  });

  test('never returns NaN or Infinity', () => {
    const tiny = Number.MIN_VALUE;
    expect(cpuPercentFromCpuTime(Number.MAX_SAFE_INTEGER, 0, tiny)).toBeUndefined();
  });
});

describe('clampCpuPercent', () => {
  test('caps at maxCpus * 100', () => {
    expect(clampCpuPercent(592, 2)).toBe(200);
    expect(clampCpuPercent(150, 2)).toBe(150);
    expect(clampCpuPercent(150, 1)).toBe(100);
  });

  test('passes through without a usable maxCpus', () => {
    expect(clampCpuPercent(592)).toBe(592);
    expect(clampCpuPercent(592, 0)).toBe(592);
    expect(clampCpuPercent(592, Number.NaN)).toBe(592);
  });

  test('turns negatives into 0 and non-finite values into undefined', () => {
    expect(clampCpuPercent(-3, 2)).toBe(0);
    expect(clampCpuPercent(Number.NaN, 2)).toBeUndefined();
    expect(clampCpuPercent(Number.POSITIVE_INFINITY, 2)).toBeUndefined();
    expect(clampCpuPercent(undefined, 2)).toBeUndefined();
  });
});
