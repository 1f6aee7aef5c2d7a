// A timer clock for the actor system that snaps every deadline up to a
// grid (default 100 ms) and runs all timers due in one grid step from one
// Node timer. A thousand samplers at 1 Hz then wake the process ~10 times a
// second instead of a thousand. Timers are unref'd: sampling alone never
// keeps a process alive.
//
// A timer set while a step fires counts from that step's nominal time, not
// from the moment its callback happened to run: a sampler that re-arms
// itself every second then keeps an exact 1 s cadence (counting from "now"
// would round every period up by up to one step: 0.91 Hz on a 100 ms grid),
// and timers re-armed in one step stay together in one step. Such a timer
// may fire early by the time its step took to run; any other timer fires at
// most one step late and never early.

export interface ClockLike {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

export const DEFAULT_GRID_MS = 100;

export class CoalescingClock implements ClockLike {
  readonly gridMs: number;
  readonly #now: () => number;
  /** Grid step -> the timers due in it, by id. */
  readonly #steps = new Map<number, Map<number, () => void>>();
  readonly #nodeTimers = new Map<number, NodeJS.Timeout>();
  /** Timer id -> its grid step. */
  readonly #stepOf = new Map<number, number>();
  #nextId = 1;
  /** Nominal time of the step being fired, while its callbacks run. */
  #firing: number | undefined;

  constructor(gridMs = DEFAULT_GRID_MS, now: () => number = () => performance.now()) {
    if (!(gridMs >= 1)) throw new RangeError('gridMs must be at least 1');
    this.gridMs = gridMs;
    this.#now = now;
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.#stepOf.size;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id = this.#nextId++;
    const base = this.#firing ?? this.#now();
    const step = Math.ceil((base + Math.max(0, timeout)) / this.gridMs);
    let due = this.#steps.get(step);
    if (due === undefined) {
      due = new Map();
      this.#steps.set(step, due);
      const timer = setTimeout(() => this.#fire(step), Math.max(0, step * this.gridMs - this.#now()));
      timer.unref();
      this.#nodeTimers.set(step, timer);
    }
    due.set(id, fn as () => void);
    this.#stepOf.set(id, step);
    return id;
  }

  clearTimeout(id: unknown): void {
    const step = this.#stepOf.get(id as number);
    if (step === undefined) return;
    this.#stepOf.delete(id as number);
    const due = this.#steps.get(step);
    due?.delete(id as number);
    if (due !== undefined && due.size === 0) {
      clearTimeout(this.#nodeTimers.get(step));
      this.#steps.delete(step);
      this.#nodeTimers.delete(step);
    }
  }

  #fire(step: number): void {
    const due = this.#steps.get(step);
    this.#steps.delete(step);
    this.#nodeTimers.delete(step);
    if (due === undefined) return;
    this.#firing = step * this.gridMs;
    try {
      this.#run(due);
    } finally {
      this.#firing = undefined;
    }
  }

  #run(due: Map<number, () => void>): void {
    for (const [id, fn] of due) {
      this.#stepOf.delete(id);
      try {
        fn();
      } catch (err) {
        // One failing timer must not starve the others in its step.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }
}
