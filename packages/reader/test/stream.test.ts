import { afterEach, describe, expect, it } from 'vitest';
import { isSandmeterError } from '@sandmeter/registry';
import type { SlotWriter } from '@sandmeter/registry';
import { Reader } from '../src/index.js';
import type { StreamedReport } from '../src/index.js';
import { cleanupRegistries, freshRegistry, startSandbox, timeouts } from './helpers.js';

afterEach(cleanupRegistries);

/** Writes a growing sample every `ms` until stopped; the timer is ours to clear. */
function feed(w: SlotWriter, ms: number) {
  let bytes = 0;
  const t = setInterval(() => {
    bytes += 1000;
    w.write({ diskReadBytes: bytes, diskWriteBytes: 0, netRxBytes: bytes, netTxBytes: 0 });
  }, ms);
  return () => clearInterval(t);
}

describe('streams', () => {
  it('a sandbox stream ends on its own after the sandbox exits, leaving no timer', async () => {
    const reg = freshRegistry();
    const w = startSandbox(reg, 'short');
    w.write({ diskReadBytes: 0, diskWriteBytes: 0, netRxBytes: 0, netTxBytes: 0 });
    const stop = feed(w, 20);
    const before = timeouts();
    const seen: StreamedReport[] = [];
    const exitAfter = setTimeout(() => {
      stop();
      w.release('stale');
    }, 300);
    for await (const report of new Reader(reg, { intervalMs: 20 }).watch('short', { intervalMs: 25 })) {
      seen.push(report);
      expect(seen.length).toBeLessThan(2000); // the loop must end by itself
    }
    clearTimeout(exitAfter);
    expect(seen.at(-1)?.state).toBe('exited');
    expect(seen.slice(0, -1).every((r) => r.state !== 'exited')).toBe(true);
    expect(seen.some((r) => (r.rates?.diskReadBytesPerSec ?? 0) > 0)).toBe(true);
    expect(timeouts()).toBeLessThanOrEqual(before - 1); // the feed and exit timers are gone, and no stream timer is left
  });

  it('breaking out of a fleet stream releases its timer', async () => {
    const reg = freshRegistry();
    const w = startSandbox(reg, 'busy');
    w.write({ netRxBytes: 0, netTxBytes: 0 });
    const stop = feed(w, 10);
    try {
      const before = timeouts();
      let frames = 0;
      for await (const frame of new Reader(reg).watchFleet({ intervalMs: 30 })) {
        expect(frame.sandboxes.get('busy')?.state).toBe('running');
        if (++frames === 4) {
          expect(frame.rates.get('busy')?.netRxBytesPerSec).toBeGreaterThan(0);
          break;
        }
      }
      expect(frames).toBe(4);
      expect(timeouts()).toBeLessThanOrEqual(before);
    } finally {
      stop();
    }
  });

  it('return() while a tick is pending ends the wait at once and clears the timer', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'idle').write({});
    const before = timeouts();
    const it = new Reader(reg).watch('idle', { intervalMs: 60_000 });
    expect((await it.next()).done).toBe(false);
    const pending = it.next(); // waits a minute unless ended
    await new Promise((resolve) => setImmediate(resolve));
    const during = timeouts();
    expect(during).toBeGreaterThan(before);
    await it.return!();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(timeouts()).toBeLessThan(during);
    expect(timeouts()).toBeLessThanOrEqual(before);
    expect((await it.next()).done).toBe(true);
  });

  it('an abort signal ends a stream', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'a').write({});
    const ac = new AbortController();
    const before = timeouts();
    let n = 0;
    for await (const _ of new Reader(reg).watchFleet({ intervalMs: 5, signal: ac.signal })) {
      if (++n === 3) ac.abort();
    }
    expect(n).toBe(3);
    expect(timeouts()).toBeLessThanOrEqual(before);
  });

  it('ends when the slot is freed and taken by another sandbox', async () => {
    const reg = freshRegistry(1);
    const w = startSandbox(reg, 'first');
    w.write({});
    const it = new Reader(reg).watch('first', { intervalMs: 5 });
    expect((await it.next()).value?.name).toBe('first');
    w.release('free');
    startSandbox(reg, 'second').write({});
    expect((await it.next()).done).toBe(true);
  });

  it('throws NotFoundError at once for an unknown sandbox', () => {
    const reader = new Reader(freshRegistry());
    let caught: unknown;
    try {
      reader.watch('ghost');
    } catch (err) {
      caught = err;
    }
    expect(isSandmeterError(caught, 'SANDMETER_NOT_FOUND')).toBe(true);
    expect(() => reader.watchFleet({ intervalMs: -1 })).toThrow(/interval/);
  });
});
