// Dead-owner detection for readers without a system call per slot per read.
//
// The rule (registry-abi.md): an active slot whose owner pid no longer exists
// is demoted to stale, so a crashed sandbox never shows as running. Checking
// with kill(pid, 0) on every read costs one syscall per slot (most of the
// Rust reader's ~730 µs per 1024-slot snapshot).
//
// Instead, a reader watches each owner once through a pidfd in an epoll set
// (native PidWatch). A read then costs one epoll_wait for the whole fleet,
// plus one typed-array compare per slot, and a dead owner is noticed by the
// very next read. Where no pidfd can be had (old kernel, seccomp, fd limit),
// that slot falls back to kill(pid, 0), trusted for `ttlMs` after each check
// and batched into one native call per read: then a dead owner is reported
// running for at most `ttlMs`.
import { binding, type PidWatchHandle } from '@sandmeter/native';

export const DEFAULT_LIVENESS_TTL_MS = 250;

const ALIVE = 0;
const DEAD = 1;
const QUEUED = 2;
export type Verdict = typeof ALIVE | typeof DEAD | typeof QUEUED;
export const Verdicts = { ALIVE, DEAD, QUEUED } as const;

/** Passes between two sweeps of watches whose owners left their slots. */
const RETAIN_EVERY = 256;

export class OwnerLiveness {
  readonly ttlMs: number;
  #watch: PidWatchHandle | null;
  /** Per slot: the pid watched through a pidfd (0: none). */
  readonly #watched: Int32Array;
  readonly #exited = new Int32Array(256);
  #passes = 0;
  // Fallback: per slot, when its pid was last confirmed alive by kill().
  readonly #checkedPid: Int32Array;
  readonly #checkedAt: Float64Array;
  #duePids = new Int32Array(64);
  #dueSlots = new Int32Array(64);
  #alive = new Uint8Array(64);
  #due = 0;

  constructor(capacity: number, ttlMs: number, usePidfd = true) {
    this.ttlMs = ttlMs;
    this.#watch = usePidfd ? binding.pidWatchOpen() : null;
    this.#watched = new Int32Array(capacity);
    this.#checkedPid = new Int32Array(capacity);
    this.#checkedAt = new Float64Array(capacity);
  }

  /** Start of a read pass: forget watches of owners that exited since the last one. */
  begin(): void {
    const watch = this.#watch;
    if (watch === null) return;
    if (++this.#passes % RETAIN_EVERY === 0) binding.pidWatchRetain(watch, this.#watched);
    let n = binding.pidWatchTake(watch, this.#exited);
    if (n === 0) return;
    const exited = new Set<number>();
    for (;;) {
      for (let i = 0; i < n; i++) exited.add(this.#exited[i] as number);
      if (n < this.#exited.length) break;
      n = binding.pidWatchTake(watch, this.#exited);
    }
    const watched = this.#watched;
    for (let i = 0; i < watched.length; i++) if (exited.has(watched[i] as number)) watched[i] = 0;
  }

  /** ALIVE, DEAD, or QUEUED for the batched kill() check (see flush). */
  check(slot: number, pid: number, now: number): Verdict {
    if (this.#watched[slot] === pid) return ALIVE;
    if (this.#watch !== null) {
      const r = binding.pidWatchAdd(this.#watch, pid);
      if (r === 1) {
        this.#watched[slot] = pid;
        return ALIVE;
      }
      if (r === 0) return DEAD;
    }
    if (this.#checkedPid[slot] === pid && now - (this.#checkedAt[slot] as number) < this.ttlMs) return ALIVE;
    this.#enqueue(slot, pid);
    return QUEUED;
  }

  /** Checks the queued slots in one native call; returns those whose owner is dead. */
  flush(now: number): number[] {
    const n = this.#due;
    this.#due = 0;
    if (n === 0) return [];
    binding.pidsAlive(this.#duePids.subarray(0, n), this.#alive);
    const dead: number[] = [];
    for (let i = 0; i < n; i++) {
      const slot = this.#dueSlots[i] as number;
      if (this.#alive[i] === 1) {
        this.#checkedPid[slot] = this.#duePids[i] as number;
        this.#checkedAt[slot] = now;
      } else {
        this.#checkedPid[slot] = 0;
        dead.push(slot);
      }
    }
    return dead;
  }

  close(): void {
    if (this.#watch !== null) binding.pidWatchClose(this.#watch);
    this.#watch = null;
  }

  #enqueue(slot: number, pid: number): void {
    if (this.#due === this.#duePids.length) {
      const size = this.#duePids.length * 2;
      const pids = new Int32Array(size);
      pids.set(this.#duePids);
      const slots = new Int32Array(size);
      slots.set(this.#dueSlots);
      this.#duePids = pids;
      this.#dueSlots = slots;
      this.#alive = new Uint8Array(size);
    }
    this.#duePids[this.#due] = pid;
    this.#dueSlots[this.#due] = slot;
    this.#due++;
  }
}
