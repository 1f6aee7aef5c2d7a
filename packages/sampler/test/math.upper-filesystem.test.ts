import { describe, expect, test } from 'vitest';
import { freshUpperFilesystem, upperFilesystemStaleAfterMs, upperSampleIsFresh } from '../src/math/upper-filesystem.js';

const NOW = 1_700_000_000_000;

describe('upperFilesystemStaleAfterMs', () => {
  // The seed's cases.
  test('is never below 3 s', () => {
    expect(upperFilesystemStaleAfterMs(250)).toBe(3000);
  });

  test('scales with the sample interval', () => {
    expect(upperFilesystemStaleAfterMs(10_000)).toBe(30_000);
  });

  test('treats a nonsense interval as the minimum', () => {
    expect(upperFilesystemStaleAfterMs(0)).toBe(3000);
    expect(upperFilesystemStaleAfterMs(Number.NaN)).toBe(3000);
    expect(upperFilesystemStaleAfterMs(-1000)).toBe(3000);
  });
});

describe('upperSampleIsFresh', () => {
  test('fresh up to and including the limit, stale after', () => {
    expect(upperSampleIsFresh(NOW - 3000, 3000, NOW)).toBe(true);
    expect(upperSampleIsFresh(NOW - 3001, 3000, NOW)).toBe(false);
  });

  test('a stamp in the future counts as fresh', () => {
    expect(upperSampleIsFresh(NOW + 60_000, 3000, NOW)).toBe(true);
  });

  test('a negative or non-finite now is never fresh', () => {
    expect(upperSampleIsFresh(0, 3000, -1)).toBe(false);
    expect(upperSampleIsFresh(0, 3000, Number.NaN)).toBe(false);
    expect(upperSampleIsFresh(Number.NaN, 3000, NOW)).toBe(false);
  });
});

describe('freshUpperFilesystem', () => {
  const upper = { usedBytes: 53_248, freeBytes: 450_527_232 };

  test('publishes used and free for a fresh sample', () => {
    expect(freshUpperFilesystem({ ...upper, sampledAtMs: NOW }, 3000, NOW)).toEqual(upper);
  });

  // The seed's case: a 10 s old sample with a 3 s limit.
  test('publishes neither for a stale sample', () => {
    expect(freshUpperFilesystem({ ...upper, sampledAtMs: NOW - 10_000 }, 3000, NOW)).toEqual({});
  });

  test('publishes neither when any of the three values is missing', () => {
    expect(freshUpperFilesystem({ usedBytes: 1, freeBytes: 2 }, 3000, NOW)).toEqual({});
    expect(freshUpperFilesystem({ usedBytes: 1, sampledAtMs: NOW }, 3000, NOW)).toEqual({});
    expect(freshUpperFilesystem({ freeBytes: 2, sampledAtMs: NOW }, 3000, NOW)).toEqual({});
  });
});
