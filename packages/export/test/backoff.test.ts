import { describe, expect, it } from 'vitest';
import { isSandmeterError } from '@sandmeter/registry';
import { Backoff, CappedBuffer } from '../src/index.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the cap, and starts over after reset', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000, jitter: 0 });
    expect([b.next(), b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(b.attempt).toBe(6);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('keeps jittered delays within the band and under the cap', () => {
    const b = new Backoff({ initialMs: 1000, maxMs: 4000, jitter: 0.2 });
    const first = b.next();
    expect(first).toBeGreaterThanOrEqual(800);
    expect(first).toBeLessThanOrEqual(1200);
    for (let i = 0; i < 50; i++) expect(b.next()).toBeLessThanOrEqual(4000);
  });

  it('rejects impossible settings with a typed error', () => {
    for (const bad of [{ initialMs: 0 }, { initialMs: 10, maxMs: 5 }, { jitter: 1 }]) {
      let caught: unknown;
      try {
        new Backoff(bad);
      } catch (err) {
        caught = err;
      }
      expect(isSandmeterError(caught, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('CappedBuffer', () => {
  it('drops the oldest first when full and counts each drop', () => {
    const buf = new CappedBuffer<number>(3);
    for (let i = 1; i <= 5; i++) buf.push(i);
    expect(buf.dropped).toBe(2);
    expect([buf.shift(), buf.shift(), buf.shift(), buf.shift()]).toEqual([3, 4, 5, undefined]);
  });

  it('puts a failed entry back in front, or drops it when the buffer filled meanwhile', () => {
    const buf = new CappedBuffer<string>(2);
    buf.push('a');
    const taken = buf.shift()!;
    buf.push('b');
    buf.unshift(taken);
    expect(buf.size).toBe(2);
    expect(buf.shift()).toBe('a');
    buf.push('c');
    buf.unshift('old');
    expect(buf.dropped).toBe(1);
    expect(buf.discard()).toBe(2);
    expect(buf.dropped).toBe(3);
  });

  it('refuses a cap below one', () => {
    expect(() => new CappedBuffer(0)).toThrow(/at least one/);
  });
});
