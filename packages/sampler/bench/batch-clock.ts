// A timer clock for benchmarks: fire() runs every pending timer at once, in
// O(1) per timer, so a figure shows the sampler's cost and not the cost of
// a test clock (SimulatedClock re-sorts its queue on every new timer).

export class BatchClock {
  private timers = new Map<number, () => void>();
  private nextId = 1;

  setTimeout(fn: (...args: unknown[]) => void, _timeout: number): number {
    const id = this.nextId++;
    this.timers.set(id, fn as () => void);
    return id;
  }

  clearTimeout(id: unknown): void {
    this.timers.delete(id as number);
  }

  /** Run every timer pending now (timers they set wait for the next fire()). */
  fire(): void {
    const due = this.timers;
    this.timers = new Map();
    for (const fn of due.values()) fn();
  }
}
