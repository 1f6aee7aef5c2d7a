// Dead-owner detection for readers without a system call per slot per read.
//
// The rule: an active slot whose owner pid no longer exists is demoted to
// stale. Checking with kill(pid, 0) on every read costs one syscall per slot
// (the Rust reader spends ~700 µs per 1024-slot snapshot on it). Instead each
// slot remembers when its pid was last seen alive; a read re-checks only the
// slots whose check is older than `ttlMs`, in one batched native call. So a
// dead owner is reported as running for at most `ttlMs` after it died (plus
// the time until the next read), and a tight read loop pays the syscalls
// once per `ttlMs` instead of once per read.
import { binding } from '@sandmeter/native';

export const DEFAULT_LIVENESS_TTL_MS = 250;

export class LivenessCache {
  readonly ttlMs: number;
  readonly #pid: Int32Array;
  readonly #checkedAt: Float64Array;
  // Batch buffers for one native call per read.
  #duePids: Int32Array;
  #dueSlots: Int32Array;
  #alive: Uint8Array;
  #due = 0;

  constructor(capacity: number, ttlMs: number) {
    this.ttlMs = ttlMs;
    this.#pid = new Int32Array(capacity);
    this.#checkedAt = new Float64Array(capacity);
    this.#duePids = new Int32Array(64);
    this.#dueSlots = new Int32Array(64);
    this.#alive = new Uint8Array(64);
  }

  /** True when the slot's pid was confirmed alive within the TTL. */
  fresh(slot: number, pid: number, now: number): boolean {
    return this.#pid[slot] === pid && now - (this.#checkedAt[slot] as number) < this.ttlMs;
  }

  /** Queues a slot for the next batched check. */
  enqueue(slot: number, pid: number): void {
    if (this.#due === this.#duePids.length) this.#grow();
    this.#duePids[this.#due] = pid;
    this.#dueSlots[this.#due] = slot;
    this.#due++;
  }

  /**
   * Checks every queued pid in one native call; remembers the living and
   * returns the slots whose owner is dead.
   */
  flush(now: number): number[] {
    const n = this.#due;
    this.#due = 0;
    if (n === 0) return [];
    binding.pidsAlive(this.#duePids.subarray(0, n), this.#alive);
    const dead: number[] = [];
    for (let i = 0; i < n; i++) {
      const slot = this.#dueSlots[i] as number;
      if (this.#alive[i] === 1) {
        this.#pid[slot] = this.#duePids[i] as number;
        this.#checkedAt[slot] = now;
      } else {
        this.#pid[slot] = 0;
        dead.push(slot);
      }
    }
    return dead;
  }

  #grow(): void {
    const size = this.#duePids.length * 2;
    const pids = new Int32Array(size);
    pids.set(this.#duePids);
    const slots = new Int32Array(size);
    slots.set(this.#dueSlots);
    this.#duePids = pids;
    this.#dueSlots = slots;
    this.#alive = new Uint8Array(size);
  }
}
