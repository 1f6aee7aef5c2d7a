// The coalescing clock: deadlines snap up to the grid, one Node timer per
// grid step, never early, cleared timers never run.
import { describe, expect, it, vi } from 'vitest';
import { CoalescingClock } from '../src/coalescing-clock.js';

describe('the coalescing clock', () => {
  it('runs timers due in the same grid step together, never before their deadline', async () => {
    // A clock whose zero is now, so the grid steps fall at 50, 100, 150 ... ms from the start.
    const t0 = performance.now();
    const clock = new CoalescingClock(50, () => performance.now() - t0);
    const fired: Array<[string, number]> = [];
    clock.setTimeout(() => fired.push(['a', performance.now() - t0]), 60);
    clock.setTimeout(() => fired.push(['b', performance.now() - t0]), 90);
    clock.setTimeout(() => fired.push(['c', performance.now() - t0]), 200);
    expect(clock.pending).toBe(3);
    await new Promise((r) => setTimeout(r, 400));
    expect(fired.map(([k]) => k)).toEqual(['a', 'b', 'c']);
    // Both a (due at 60) and b (due at 90) snap to the step at 100; c stays at 200.
    expect(fired[0]?.[1]).toBeGreaterThanOrEqual(99);
    expect(fired[2]?.[1]).toBeGreaterThanOrEqual(199);
    // a and b ran in one Node timer callback (the same instant, within a ms).
    expect(Math.abs((fired[0]?.[1] ?? 0) - (fired[1]?.[1] ?? 0))).toBeLessThan(1);
    expect(clock.pending).toBe(0);
  });

  it('forgets a cleared timer, and one that throws does not stop the others', async () => {
    const clock = new CoalescingClock(20);
    const ran: string[] = [];
    const id = clock.setTimeout(() => ran.push('cleared'), 10);
    clock.setTimeout(() => ran.push('kept'), 10);
    clock.clearTimeout(id);
    clock.clearTimeout(12345);
    const errors: unknown[] = [];
    const onError = (err: unknown): void => void errors.push(err);
    process.on('uncaughtException', onError);
    try {
      clock.setTimeout(() => {
        throw new Error('boom');
      }, 5);
      clock.setTimeout(() => ran.push('after-throw'), 5);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(ran.sort()).toEqual(['after-throw', 'kept']);
    expect(errors).toHaveLength(1);
  });

  it('keeps an exact cadence for a timer that re-arms itself as it fires', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      // The clock's time runs `lag` ahead of the fake timers: each callback's
      // work takes 7 ms of it. Counting deadlines from "now" would round every
      // 100 ms period up a step (120 ms); counting from the step keeps 100.
      let lag = 0;
      const now = (): number => performance.now() + lag;
      const clock = new CoalescingClock(20, now);
      const fires: number[] = [];
      const arm = (): void => {
        clock.setTimeout(() => {
          fires.push(now());
          lag += 7;
          if (fires.length < 5) arm();
        }, 100);
      };
      arm();
      vi.advanceTimersByTime(1000);
      expect(fires).toEqual([100, 200, 300, 400, 500]);
    } finally {
      vi.useRealTimers();
    }
  });
});
