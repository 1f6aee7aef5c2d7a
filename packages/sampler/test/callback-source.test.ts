import { describe, expect, test } from 'vitest';
import { isSandmeterError } from '@sandmeter/registry';
import { callbackSource, SANDBOX_GONE } from '../src/sources/callback.js';
import type { MetricField, Metrics } from '../src/sources/types.js';

describe('callbackSource', () => {
  test('declares exactly the fields it was given', () => {
    const source = callbackSource({ fields: ['cpuTimeNs', 'memoryBytes'], read: () => ({}) });
    expect([...source.fields].sort()).toEqual(['cpuTimeNs', 'memoryBytes']);
    expect(source.kind).toBe('callback');
  });

  test('passes declared values and drops undeclared ones', () => {
    const source = callbackSource({
      fields: ['cpuTimeNs', 'diskWriteBytes'],
      read: () => ({ cpuTimeNs: 5n, diskWriteBytes: 10, memoryBytes: 99, netRxBytes: 1 }),
    });
    expect(source.read()).toEqual({ status: 'ok', metrics: { cpuTimeNs: 5n, diskWriteBytes: 10 } });
  });

  test('leaves out NaN, Infinity and negative values instead of publishing them', () => {
    const source = callbackSource({
      fields: ['cpuTimeNs', 'memoryBytes', 'netTxBytes', 'upperSampledAtMs', 'diskReadBytes'],
      read: () => ({ cpuTimeNs: Number.NaN, memoryBytes: Number.POSITIVE_INFINITY, netTxBytes: -1, upperSampledAtMs: Number.NaN, diskReadBytes: -5n }),
    });
    expect(source.read()).toEqual({ status: 'ok', metrics: {} });
  });

  test('reports gone when the callback says so', () => {
    const source = callbackSource({ fields: ['cpuTimeNs'], read: () => SANDBOX_GONE });
    expect(source.read()).toEqual({ status: 'gone', reason: 'the callback reported the sandbox gone' });
  });

  test('a throwing callback throws from read (the sampler logs it and retries)', () => {
    const source = callbackSource({ fields: ['cpuTimeNs'], read: () => { throw new Error('device busy'); } });
    expect(() => source.read()).toThrow('device busy');
  });

  test('refuses unknown fields and a missing callback with a typed error', () => {
    const bad = [
      () => callbackSource({ fields: ['cpuTime' as MetricField], read: () => ({}) }),
      () => callbackSource({ fields: ['cpuTimeNs'], read: 42 as unknown as () => Metrics }),
    ];
    for (const make of bad) {
      try {
        make();
        expect.unreachable();
      } catch (error) {
        expect(isSandmeterError(error, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
      }
    }
  });
});
