// A FIFO with a cap: when full, the oldest entry goes first, and is counted.
import { InvalidArgumentError } from '@sandmeter/registry';

export class CappedBuffer<T> {
  readonly cap: number;
  #items: T[] = [];
  #dropped = 0;

  constructor(cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new InvalidArgumentError('bufferSize', 'the buffer holds at least one collection');
    this.cap = cap;
  }

  get size(): number {
    return this.#items.length;
  }

  /** Entries dropped so far to make room. */
  get dropped(): number {
    return this.#dropped;
  }

  push(item: T): void {
    if (this.#items.length >= this.cap) {
      this.#items.shift();
      this.#dropped++;
    }
    this.#items.push(item);
  }

  /** Puts back an entry taken by shift() (a failed export); it is the oldest, so it is the one to drop if full. */
  unshift(item: T): void {
    if (this.#items.length >= this.cap) {
      this.#dropped++;
      return;
    }
    this.#items.unshift(item);
  }

  /** Drops every entry, counted; returns how many. */
  discard(): number {
    const n = this.#items.length;
    this.#items = [];
    this.#dropped += n;
    return n;
  }

  shift(): T | undefined {
    return this.#items.shift();
  }
}
