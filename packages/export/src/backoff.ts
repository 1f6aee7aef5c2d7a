// Capped exponential backoff with jitter, so a fleet of collectors does not
// retry a recovering backend in lockstep.
import { InvalidArgumentError } from '@sandmeter/registry';

export interface BackoffOptions {
  /** First delay, ms (default 1000). */
  initialMs?: number;
  /** Largest delay, ms (default 30000). */
  maxMs?: number;
  /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter] (default 0.2). */
  jitter?: number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly jitter: number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = options.maxMs ?? 30_000;
    this.jitter = options.jitter ?? 0.2;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs) || !(this.jitter >= 0 && this.jitter < 1)) {
      throw new InvalidArgumentError('backoff', 'need 0 < initialMs <= maxMs and 0 <= jitter < 1');
    }
  }

  /** Failures in a row so far. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next try, ms; grows with each call until reset(). */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    const factor = 1 + this.jitter * (2 * Math.random() - 1);
    return Math.min(this.maxMs, Math.round(base * factor));
  }

  reset(): void {
    this.#attempt = 0;
  }
}
