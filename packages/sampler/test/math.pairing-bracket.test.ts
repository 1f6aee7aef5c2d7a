import { describe, expect, test } from 'vitest';
import { bracketIsTrustworthy, pairedCpuPercent, pairedWindowMs, type PairedReading } from '../src/math/pairing-bracket.js';

const at = (ms: number, cpuTimeNs: number, bracketMs = 0): PairedReading => ({ cpuTimeNs, beforeMs: ms, afterMs: ms + bracketMs });

describe('bracketIsTrustworthy', () => {
  test('accepts brackets up to 5% of the window', () => {
    expect(bracketIsTrustworthy(at(0, 0), at(1000, 0, 50))).toBe(true);
    expect(bracketIsTrustworthy(at(0, 0, 20), at(1000, 0, 30))).toBe(true);
  });

  test('refuses a window whose two brackets together exceed 5%', () => {
    expect(bracketIsTrustworthy(at(0, 0), at(1000, 0, 60))).toBe(false);
    expect(bracketIsTrustworthy(at(0, 0, 30), at(1000, 0, 30))).toBe(false);
  });

  test('refuses empty, negative and non-finite windows', () => {
    expect(bracketIsTrustworthy(at(1000, 0), at(1000, 0))).toBe(false);
    expect(bracketIsTrustworthy(at(1000, 0), at(500, 0))).toBe(false);
    expect(bracketIsTrustworthy(at(0, 0), at(Number.NaN, 0))).toBe(false);
  });

  test('honours a custom tolerance', () => {
    expect(bracketIsTrustworthy(at(0, 0), at(1000, 0, 60), 0.1)).toBe(true);
    expect(bracketIsTrustworthy(at(0, 0), at(1000, 0, 60), 0.01)).toBe(false);
  });

  test('measures the window midpoint to midpoint', () => {
    expect(pairedWindowMs(at(0, 0, 10), at(1000, 0, 30))).toBe(1010);
  });
});

describe('pairedCpuPercent', () => {
  test('publishes the window ratio when the bracket is narrow', () => {
    expect(pairedCpuPercent(at(0, 0), at(1000, 1e9, 1))).toEqual({ cpuPercent: expect.closeTo(99.95, 2), trusted: true });
  });

  test('carries the last trustworthy figure over a descheduled read (the 592% case)', () => {
    // The window looks like 5.92 CPUs on a 2-vCPU sandbox because the read sat 200 ms in its bracket.
    const result = pairedCpuPercent(at(0, 0), at(1000, 5.92e9, 200), { maxCpus: 2, lastTrusted: 140 });
    expect(result).toEqual({ cpuPercent: 140, trusted: false });
  });

  test('is undefined when no trustworthy figure exists yet', () => {
    expect(pairedCpuPercent(at(0, 0), at(1000, 1e9, 200))).toEqual({ cpuPercent: undefined, trusted: false });
  });

  test('clamps both fresh and carried figures', () => {
    expect(pairedCpuPercent(at(0, 0), at(1000, 5e9), { maxCpus: 2 }).cpuPercent).toBe(200);
    expect(pairedCpuPercent(at(0, 0), at(1000, 5e9, 500), { maxCpus: 1, lastTrusted: 180 }).cpuPercent).toBe(100);
  });

  test('a missing counter is not trusted', () => {
    const current: PairedReading = { cpuTimeNs: undefined, beforeMs: 1000, afterMs: 1000 };
    expect(pairedCpuPercent(at(0, 0), current, { lastTrusted: 10 })).toEqual({ cpuPercent: undefined, trusted: false });
  });
});
