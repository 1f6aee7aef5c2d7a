import { afterEach, describe, expect, it } from 'vitest';
import { isSandmeterError } from '@sandmeter/registry';
import { computeRates, fleetRates, Reader } from '../src/index.js';
import { cleanupRegistries, freshRegistry, startSandbox } from './helpers.js';

afterEach(cleanupRegistries);

describe('rates', () => {
  it('gives bytes per second between two real samples', () => {
    const reg = freshRegistry();
    const w = startSandbox(reg, 'io');
    const reader = new Reader(reg);
    w.write({ sampledAtMs: 10_000, diskReadBytes: 1000, diskWriteBytes: 0, netRxBytes: 0, netTxBytes: 500 });
    const a = reader.sandbox('io')!.metrics;
    w.write({ sampledAtMs: 12_000, diskReadBytes: 5000, diskWriteBytes: 2048, netRxBytes: 1_000_000, netTxBytes: 500 });
    const b = reader.sandbox('io')!.metrics;
    expect(computeRates(a, b)).toEqual({
      elapsedMs: 2000,
      diskReadBytesPerSec: 2000,
      diskWriteBytesPerSec: 1024,
      netRxBytesPerSec: 500_000,
      netTxBytesPerSec: 0,
      resets: [],
    });
  });

  it('has no rate for a field that is absent', () => {
    const reg = freshRegistry();
    const w = startSandbox(reg, 'nonet');
    const reader = new Reader(reg);
    w.write({ sampledAtMs: 1000, diskReadBytes: 0, diskWriteBytes: 0 });
    const a = reader.sandbox('nonet')!.metrics;
    w.write({ sampledAtMs: 2000, diskReadBytes: 100, diskWriteBytes: 100 });
    const b = reader.sandbox('nonet')!.metrics;
    const r = computeRates(a, b);
    expect(b.netRxBytes).toBeUndefined();
    expect(r.netRxBytesPerSec).toBeUndefined();
    expect(r.netTxBytesPerSec).toBeUndefined();
    expect(r.diskReadBytesPerSec).toBe(100);
  });

  it('treats a counter that went backwards as a reset from zero', () => {
    const base = { sandboxId: 1, runId: 1, diskWriteBytes: 0, netRxBytes: 0, netTxBytes: 0 };
    const r = computeRates({ ...base, sampledAtMs: 0, diskReadBytes: 9000 }, { ...base, sampledAtMs: 1000, diskReadBytes: 300 });
    expect(r.diskReadBytesPerSec).toBe(300);
    expect(r.resets).toEqual(['diskReadBytes']);
  });

  it('treats every counter of a new run as a reset', () => {
    const a = { sandboxId: 1, runId: 1, sampledAtMs: 0, diskReadBytes: 10, diskWriteBytes: 10, netRxBytes: 10, netTxBytes: undefined };
    const b = { sandboxId: 1, runId: 2, sampledAtMs: 2000, diskReadBytes: 20, diskWriteBytes: 20, netRxBytes: 20, netTxBytes: 20 };
    const r = computeRates(a, b);
    expect(r.diskReadBytesPerSec).toBe(10);
    expect(r.netTxBytesPerSec).toBeUndefined();
    expect(r.resets).toEqual(['diskReadBytes', 'diskWriteBytes', 'netRxBytes']);
  });

  it('gives no rate when no time passed', () => {
    const s = { sandboxId: 1, runId: 1, sampledAtMs: 5, diskReadBytes: 1, diskWriteBytes: 1, netRxBytes: 1, netTxBytes: 1 };
    expect(computeRates(s, s).diskReadBytesPerSec).toBeUndefined();
  });

  it('refuses to compare two different sandboxes', () => {
    const s = { sandboxId: 1, runId: 1, sampledAtMs: 5, diskReadBytes: 1, diskWriteBytes: 1, netRxBytes: 1, netTxBytes: 1 };
    let caught: unknown;
    try {
      computeRates(s, { ...s, sandboxId: 2 });
    } catch (err) {
      caught = err;
    }
    expect(isSandmeterError(caught, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
  });

  it('pairs the rows of two fleet snapshots by sandbox', () => {
    const reg = freshRegistry();
    const a = startSandbox(reg, 'a');
    const b = startSandbox(reg, 'b');
    a.write({ sampledAtMs: 1000, netRxBytes: 0, netTxBytes: 0 });
    b.write({ sampledAtMs: 1000, netRxBytes: 0, netTxBytes: 0 });
    const before = reg.snapshot();
    a.write({ sampledAtMs: 2000, netRxBytes: 4096, netTxBytes: 0 });
    startSandbox(reg, 'c').write({ sampledAtMs: 2000 });
    const rates = fleetRates(before, reg.snapshot());
    expect(rates.get('a')?.netRxBytesPerSec).toBe(4096);
    expect(rates.get('b')?.netRxBytesPerSec).toBeUndefined(); // same sample twice: no time passed
    expect(rates.has('c')).toBe(false);
  });
});
