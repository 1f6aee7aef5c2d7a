// The publishing hot path: one sample into one slot through Atomics on the
// mapping, no N-API call and no allocation.
//
// Seqlock, writer side (registry-abi.md): spin until seq is even, CAS it odd,
// re-check the generation, store the fields, store seq even again. JS has no
// 64-bit CAS without BigInt, so we CAS the low word of seq: entering never
// carries (even -> odd), and on leaving we bump the high word first when the
// low word wraps, so every intermediate value a 64-bit reader can see is odd.
import {
  GenerationMismatchError,
  InvalidArgumentError,
  RegistryClosedError,
  WriterBusyError,
} from './errors.js';
import {
  FLAG_CPU, FLAG_DISK_UNKNOWN, FLAG_MEMORY, FLAG_MEMORY_AVAILABLE, FLAG_MEMORY_HOST_RESIDENT,
  FLAG_NET_UNKNOWN, FLAG_UPPER_FREE, FLAG_UPPER_HOST_ALLOCATED, FLAG_UPPER_USED, TWO_32,
  W_CPU_PERCENT, W_DISK_READ, W_DISK_WRITE, W_FLAGS, W_GENERATION, W_MEMORY, W_MEMORY_AVAILABLE,
  W_MEMORY_HOST_RESIDENT, W_NET_RX, W_NET_TX, W_SAMPLED_AT, W_SEQ, W_UPPER_FREE,
  W_UPPER_HOST_ALLOCATED, W_UPPER_USED, W_VCPU_TIME, slotBase,
} from './layout.js';
import type { ReleaseMode, SampleInput } from './types.js';
import { storeI64, storeU64 } from './u64.js';
import type { Views } from './views.js';

/** A sample write copies sampled_at and flags, then vcpu_time_ns .. upper_host_allocated. */
const LAST_WORD = W_UPPER_HOST_ALLOCATED + 1;

/**
 * x86-64 is TSO: plain aligned stores are never reordered with each other,
 * and plain loads never pass the locked CAS. So on x64 only the CAS that
 * enters the seqlock is an Atomics call; elsewhere every access is.
 */
const ATOMIC_ACCESS = process.arch !== 'x64';

/** Budget for waiting on another writer inside the seqlock (as the ABI's release). */
const ENTER_BUDGET_MS = 100;

export interface WriterOwner {
  readonly closed: boolean;
  release(slot: number, generation: number, mode: ReleaseMode): number;
}

export class SlotWriter {
  readonly slot: number;
  readonly generation: number;
  readonly #views: Views;
  readonly #owner: WriterOwner;
  readonly #base: number;
  readonly #genLo: number;
  readonly #genHi: number;
  // The encoded sample, laid out with the slot's own word offsets, so
  // validation finishes before the seqlock is entered: a bad field never
  // leaves a half-written sample.
  readonly #scratch = new Uint32Array(128);
  readonly #scratchF32 = new Float32Array(this.#scratch.buffer);
  // vcpu_time_ns .. upper_host_allocated_bytes as one block on both sides,
  // so the copy inside the seqlock is a single memcpy.
  readonly #blockSrc = this.#scratch.subarray(W_VCPU_TIME, LAST_WORD + 1);
  readonly #blockDst: Uint32Array;
  #released = false;

  constructor(views: Views, owner: WriterOwner, slot: number, generation: number) {
    this.#views = views;
    this.#owner = owner;
    this.slot = slot;
    this.generation = generation;
    this.#base = slotBase(slot);
    this.#genLo = generation >>> 0;
    this.#genHi = Math.floor(generation / TWO_32);
    this.#blockDst = views.u32.subarray(this.#base + W_VCPU_TIME, this.#base + LAST_WORD + 1);
  }

  /** True once this writer released its slot. */
  get released(): boolean {
    return this.#released;
  }

  /**
   * Publishes one sample. Throws GenerationMismatchError when the slot was
   * released or reused (stop writing), InvalidArgumentError for a bad field
   * (nothing is written), WriterBusyError when another writer held the
   * seqlock for 100 ms.
   */
  write(sample: SampleInput): void {
    if (this.#owner.closed) throw new RegistryClosedError();
    const sc = this.#scratch;
    const flags = this.#encode(sample, sc);
    const u32 = this.#views.u32;
    const b = this.#base;
    this.#checkGeneration(u32, b);

    let seq = Atomics.load(u32, b + W_SEQ);
    if ((seq & 1) !== 0 || Atomics.compareExchange(u32, b + W_SEQ, seq, seq + 1) !== seq) {
      seq = this.#enterSlow(u32, b);
    }
    const lo = ATOMIC_ACCESS ? Atomics.load(u32, b + W_GENERATION) : (u32[b + W_GENERATION] as number);
    const hi = ATOMIC_ACCESS ? Atomics.load(u32, b + W_GENERATION + 1) : (u32[b + W_GENERATION + 1] as number);
    if (lo !== this.#genLo || hi !== this.#genHi) {
      // Released or reused while we waited: leave without writing.
      this.#leave(u32, b, seq);
      throw new GenerationMismatchError(this.generation, hi * TWO_32 + lo);
    }
    if (ATOMIC_ACCESS) {
      Atomics.store(u32, b + W_SAMPLED_AT, sc[W_SAMPLED_AT] as number);
      Atomics.store(u32, b + W_SAMPLED_AT + 1, sc[W_SAMPLED_AT + 1] as number);
      Atomics.store(u32, b + W_FLAGS, flags);
      for (let w = W_VCPU_TIME; w <= LAST_WORD; w++) Atomics.store(u32, b + w, sc[w] as number);
    } else {
      u32[b + W_SAMPLED_AT] = sc[W_SAMPLED_AT] as number;
      u32[b + W_SAMPLED_AT + 1] = sc[W_SAMPLED_AT + 1] as number;
      u32[b + W_FLAGS] = flags;
      this.#blockDst.set(this.#blockSrc);
    }
    this.#leave(u32, b, seq);
  }

  /** Releases the slot ('stale' keeps the last sample readable). Idempotent. */
  release(mode: ReleaseMode = 'stale'): void {
    if (this.#released) return;
    this.#owner.release(this.slot, this.generation, mode);
    this.#released = true;
  }

  #encode(s: SampleInput, sc: Uint32Array): number {
    if (typeof s !== 'object' || s === null) throw new InvalidArgumentError('sample', 'expected an object');
    let flags = 0;
    const at = s.sampledAtMs ?? Date.now();
    if (!Number.isSafeInteger(at)) throw new InvalidArgumentError('sampledAtMs', 'expected an integer unix time in ms');
    storeI64(sc, W_SAMPLED_AT, at);

    const cpu = s.cpuPercent;
    const vcpu = s.vcpuTimeNs;
    if (vcpu !== undefined) storeU64(sc, W_VCPU_TIME, vcpu, 'vcpuTimeNs');
    else sc[W_VCPU_TIME] = sc[W_VCPU_TIME + 1] = 0;
    if (cpu !== undefined) {
      if (typeof cpu !== 'number' || !(cpu >= 0 && cpu <= 3.4e38)) {
        throw new InvalidArgumentError('cpuPercent', `expected a finite number >= 0, got ${String(cpu)}`);
      }
      this.#scratchF32[W_CPU_PERCENT] = cpu;
      if (vcpu !== undefined) flags |= FLAG_CPU;
    } else {
      sc[W_CPU_PERCENT] = 0;
    }
    sc[W_CPU_PERCENT + 1] = 0;

    flags |= opt(sc, W_MEMORY, s.memoryBytes, 'memoryBytes', FLAG_MEMORY);
    flags |= opt(sc, W_MEMORY_AVAILABLE, s.memoryAvailableBytes, 'memoryAvailableBytes', FLAG_MEMORY_AVAILABLE);
    flags |= opt(sc, W_MEMORY_HOST_RESIDENT, s.memoryHostResidentBytes, 'memoryHostResidentBytes', FLAG_MEMORY_HOST_RESIDENT);
    flags |= opt(sc, W_UPPER_USED, s.upperUsedBytes, 'upperUsedBytes', FLAG_UPPER_USED);
    flags |= opt(sc, W_UPPER_FREE, s.upperFreeBytes, 'upperFreeBytes', FLAG_UPPER_FREE);
    flags |= opt(sc, W_UPPER_HOST_ALLOCATED, s.upperHostAllocatedBytes, 'upperHostAllocatedBytes', FLAG_UPPER_HOST_ALLOCATED);

    const dr = s.diskReadBytes;
    const dw = s.diskWriteBytes;
    if (dr === undefined && dw === undefined) flags |= FLAG_DISK_UNKNOWN;
    opt(sc, W_DISK_READ, dr, 'diskReadBytes', 0);
    opt(sc, W_DISK_WRITE, dw, 'diskWriteBytes', 0);
    const rx = s.netRxBytes;
    const tx = s.netTxBytes;
    if (rx === undefined && tx === undefined) flags |= FLAG_NET_UNKNOWN;
    opt(sc, W_NET_RX, rx, 'netRxBytes', 0);
    opt(sc, W_NET_TX, tx, 'netTxBytes', 0);
    return flags;
  }

  #checkGeneration(u32: Uint32Array, b: number): void {
    const lo = ATOMIC_ACCESS ? Atomics.load(u32, b + W_GENERATION) : (u32[b + W_GENERATION] as number);
    const hi = ATOMIC_ACCESS ? Atomics.load(u32, b + W_GENERATION + 1) : (u32[b + W_GENERATION + 1] as number);
    if (lo !== this.#genLo || hi !== this.#genHi) {
      throw new GenerationMismatchError(this.generation, hi * TWO_32 + lo);
    }
  }

  #enterSlow(u32: Uint32Array, b: number): number {
    const deadline = performance.now() + ENTER_BUDGET_MS;
    for (let spins = 0; ; spins++) {
      const seq = Atomics.load(u32, b + W_SEQ);
      if ((seq & 1) === 0 && Atomics.compareExchange(u32, b + W_SEQ, seq, seq + 1) === seq) return seq;
      if ((spins & 63) === 63 && performance.now() > deadline) {
        throw new WriterBusyError(`slot ${this.slot}: another writer stayed inside the seqlock for ${ENTER_BUDGET_MS} ms`);
      }
    }
  }

  #leave(u32: Uint32Array, b: number, enteredAt: number): void {
    if (enteredAt === 0xfffffffe) {
      Atomics.store(u32, b + W_SEQ + 1, (Atomics.load(u32, b + W_SEQ + 1) + 1) >>> 0);
      Atomics.store(u32, b + W_SEQ, 0);
    } else if (ATOMIC_ACCESS) {
      Atomics.store(u32, b + W_SEQ, enteredAt + 2);
    } else {
      u32[b + W_SEQ] = enteredAt + 2;
    }
  }
}

function opt(sc: Uint32Array, w: number, v: number | bigint | undefined, field: string, flag: number): number {
  if (v === undefined) {
    sc[w] = 0;
    sc[w + 1] = 0;
    return 0;
  }
  storeU64(sc, w, v, field);
  return flag;
}
