// Timer clocks for the sampler actor (xstate's Clock shape, which xstate does not export).

export interface TimerClock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Timers that do not keep Node alive: a sampler should never be why a finished process hangs on. */
export const unrefClock: TimerClock = {
  setTimeout(fn, timeout) {
    const timer = setTimeout(fn, timeout);
    timer.unref();
    return timer;
  },
  clearTimeout(id) {
    clearTimeout(id as NodeJS.Timeout);
  },
};

/** Plain timers: the sampler keeps the process alive while it runs. */
export const refClock: TimerClock = {
  setTimeout: (fn, timeout) => setTimeout(fn, timeout),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};
