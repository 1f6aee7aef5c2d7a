// An async iterator that calls `step` at once and then every interval, on
// a fixed-rate schedule. It owns at most one timer and clears it the moment
// the consumer leaves (break, return(), an abort signal) or the step ends
// the stream, so no timer outlives the loop.

/** What a step returns: a value to yield, and whether it is the last one. `undefined` ends the stream. */
export type PollStep<T> = { value: T; last?: boolean } | undefined;

export interface PollOptions {
  intervalMs: number;
  signal?: AbortSignal | undefined;
}

const DONE = { done: true, value: undefined } as const;

export class PollIterator<T> implements AsyncIterableIterator<T> {
  #intervalMs: number;
  #step: () => PollStep<T>;
  #signal: AbortSignal | undefined;
  #nextAt = 0;
  #started = false;
  #finished = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #wake: (() => void) | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #onAbort = (): void => this.#finish();

  constructor(step: () => PollStep<T>, options: PollOptions) {
    this.#step = step;
    this.#intervalMs = options.intervalMs;
    this.#signal = options.signal;
    if (this.#signal?.aborted) this.#finished = true;
    else this.#signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    // Calls are served one after another, like an async generator's.
    const result = this.#queue.then(() => this.#advance());
    this.#queue = result.catch(() => undefined);
    return result;
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.#finish();
    return Promise.resolve(DONE);
  }

  throw(err?: unknown): Promise<IteratorResult<T, undefined>> {
    this.#finish();
    return Promise.reject(err);
  }

  async #advance(): Promise<IteratorResult<T, undefined>> {
    if (this.#finished) return DONE;
    if (this.#started) await this.#sleep();
    else {
      this.#started = true;
      this.#nextAt = Date.now();
    }
    if (this.#finished) return DONE;
    this.#nextAt += this.#intervalMs;
    let step: PollStep<T>;
    try {
      step = this.#step();
    } catch (err) {
      this.#finish();
      throw err;
    }
    if (step === undefined) {
      this.#finish();
      return DONE;
    }
    if (step.last === true) this.#finish();
    return { done: false, value: step.value };
  }

  #sleep(): Promise<void> {
    // A slow consumer does not get a burst of catch-up ticks.
    const now = Date.now();
    if (this.#nextAt < now) this.#nextAt = now;
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#wake = undefined;
        resolve();
      }, this.#nextAt - now);
    });
  }

  #finish(): void {
    if (this.#finished && this.#timer === undefined) return;
    this.#finished = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#signal?.removeEventListener('abort', this.#onAbort);
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
