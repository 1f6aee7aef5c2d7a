// The reading hot path: seqlock reads of slots through Atomics on the
// mapping. One object per reported slot, no N-API call, no BigInt (unless
// asked), and sandbox names decoded once per slot generation.
import {
  B_NAME, B_NAME_LEN, FLAG_CPU, FLAG_DISK_UNKNOWN, FLAG_MEMORY, FLAG_MEMORY_AVAILABLE,
  FLAG_MEMORY_HOST_RESIDENT, FLAG_NET_UNKNOWN, FLAG_UPPER_FREE, FLAG_UPPER_HOST_ALLOCATED,
  FLAG_UPPER_USED, MAX_NAME_LEN, SLOT_ACTIVE, SLOT_LEN, SLOT_STALE, TWO_32, W_CPU_PERCENT,
  W_DISK_READ, W_DISK_WRITE, W_FLAGS, W_GENERATION, W_MEMORY, W_MEMORY_AVAILABLE,
  W_MEMORY_HOST_RESIDENT, W_MEMORY_LIMIT, W_NET_RX, W_NET_TX, W_PID, W_RUN_ID, W_SAMPLED_AT,
  W_SANDBOX_ID, W_SEQ, W_STARTED_AT, W_STATE, W_UPPER_FREE, W_UPPER_HOST_ALLOCATED,
  W_UPPER_USED, W_VCPU_TIME, HEADER_LEN, slotBase,
} from './layout.js';
import type { SandboxMetrics } from './types.js';
import type { Views } from './views.js';

/** Retries for one slot before it is skipped as contended (ABI: thousands). */
const READ_RETRIES = 4096;
const NO_INEXACT: readonly string[] = Object.freeze([]);
const decoder = new TextDecoder();

/** Words of a slot that a read copies (sampled_at .. upper_host_allocated). */
const COPY_FIRST = W_STARTED_AT;
const COPY_LAST = W_UPPER_HOST_ALLOCATED + 1;

export class SlotReader {
  readonly #v: Views;
  // Name cache: a slot's name is fixed for the life of its generation.
  readonly #nameGenLo: Uint32Array;
  readonly #nameGenHi: Uint32Array;
  readonly #names: string[];
  // Scratch copy of one slot's words, validated by the seqlock before use.
  readonly #w = new Uint32Array(SLOT_LEN / 4);
  readonly #wi = new Int32Array(this.#w.buffer);
  readonly #wf = new Float32Array(this.#w.buffer);
  readonly #nameBytes = new Uint8Array(MAX_NAME_LEN);
  #nameLen = 0;
  #state = 0;
  #genLo = 0;
  #genHi = 0;

  constructor(views: Views) {
    this.#v = views;
    this.#nameGenLo = new Uint32Array(views.capacity);
    this.#nameGenHi = new Uint32Array(views.capacity);
    this.#names = new Array<string>(views.capacity).fill('');
  }

  /** The raw slot state word, no seqlock (a hint for scans). */
  stateOf(slot: number): number {
    return Atomics.load(this.#v.u32, slotBase(slot) + W_STATE);
  }

  /**
   * One coherent read of `slot` into the scratch words. Returns false when the
   * slot is not active (or stale, when accepted), was never sampled, or stayed
   * contended for the whole retry budget.
   */
  #read(slot: number, acceptStale: boolean): boolean {
    const u32 = this.#v.u32;
    const b = slotBase(slot);
    const w = this.#w;
    for (let attempt = 0; attempt < READ_RETRIES; attempt++) {
      const state = Atomics.load(u32, b + W_STATE);
      if (state !== SLOT_ACTIVE && (state !== SLOT_STALE || !acceptStale)) return false;
      const genLo = Atomics.load(u32, b + W_GENERATION);
      const genHi = Atomics.load(u32, b + W_GENERATION + 1);
      const seq = Atomics.load(u32, b + W_SEQ);
      if ((seq & 1) !== 0) continue;
      for (let i = COPY_FIRST; i <= COPY_LAST; i++) w[i] = u32[b + i] as number;
      w[W_SANDBOX_ID] = u32[b + W_SANDBOX_ID] as number;
      w[W_RUN_ID] = u32[b + W_RUN_ID] as number;
      w[W_PID] = u32[b + W_PID] as number;
      const nameCached = this.#nameGenLo[slot] === genLo && this.#nameGenHi[slot] === genHi && genLo + genHi !== 0;
      if (!nameCached) {
        const len = Math.min(this.#v.u16[(HEADER_LEN + slot * SLOT_LEN + B_NAME_LEN) >>> 1] as number, MAX_NAME_LEN);
        const at = HEADER_LEN + slot * SLOT_LEN + B_NAME;
        for (let i = 0; i < len; i++) this.#nameBytes[i] = this.#v.u8[at + i] as number;
        this.#nameLen = len;
      }
      if (Atomics.load(u32, b + W_SEQ) !== seq) continue;
      if (Atomics.load(u32, b + W_GENERATION) !== genLo || Atomics.load(u32, b + W_GENERATION + 1) !== genHi) continue;
      const stateAfter = Atomics.load(u32, b + W_STATE);
      if (stateAfter !== SLOT_ACTIVE && (stateAfter !== SLOT_STALE || !acceptStale)) return false;
      if (w[W_SAMPLED_AT] === 0 && w[W_SAMPLED_AT + 1] === 0) return false;
      if (!nameCached) {
        this.#names[slot] = decoder.decode(this.#nameBytes.subarray(0, this.#nameLen));
        this.#nameGenLo[slot] = genLo;
        this.#nameGenHi[slot] = genHi;
      }
      this.#state = stateAfter;
      this.#genLo = genLo;
      this.#genHi = genHi;
      return true;
    }
    return false;
  }

  /** Reads one slot as numbers; undefined when not readable. */
  read(slot: number, acceptStale: boolean): SandboxMetrics | undefined {
    if (!this.#read(slot, acceptStale)) return undefined;
    const w = this.#w;
    const flags = w[W_FLAGS] as number;
    let inexact: string[] | undefined;
    // u64 as a double: exact below 2^53; beyond it the field is named in
    // `inexact` rather than silently rounded.
    const u = (i: number, field: string): number => {
      const hi = w[i + 1] as number;
      if (hi >= 0x200000) (inexact ??= []).push(field);
      return hi * TWO_32 + (w[i] as number);
    };
    const startedAtMs = (this.#wi[W_STARTED_AT + 1] as number) * TWO_32 + (w[W_STARTED_AT] as number);
    const sampledAtMs = (this.#wi[W_SAMPLED_AT + 1] as number) * TWO_32 + (w[W_SAMPLED_AT] as number);
    const cpu = (flags & FLAG_CPU) !== 0;
    const disk = (flags & FLAG_DISK_UNKNOWN) === 0;
    const net = (flags & FLAG_NET_UNKNOWN) === 0;
    const m: SandboxMetrics = {
      slot,
      generation: this.#genHi * TWO_32 + this.#genLo,
      state: this.#state === SLOT_ACTIVE ? 'active' : 'stale',
      sandboxId: this.#wi[W_SANDBOX_ID] as number,
      runId: this.#wi[W_RUN_ID] as number,
      pid: this.#wi[W_PID] as number,
      name: this.#names[slot] as string,
      startedAtMs,
      sampledAtMs,
      uptimeMs: startedAtMs > 0 ? Math.max(0, sampledAtMs - startedAtMs) : 0,
      memoryLimitBytes: u(W_MEMORY_LIMIT, 'memoryLimitBytes'),
      cpuPercent: cpu ? (this.#wf[W_CPU_PERCENT] as number) : undefined,
      vcpuTimeNs: cpu ? u(W_VCPU_TIME, 'vcpuTimeNs') : undefined,
      memoryBytes: (flags & FLAG_MEMORY) !== 0 ? u(W_MEMORY, 'memoryBytes') : undefined,
      memoryAvailableBytes: (flags & FLAG_MEMORY_AVAILABLE) !== 0 ? u(W_MEMORY_AVAILABLE, 'memoryAvailableBytes') : undefined,
      memoryHostResidentBytes: (flags & FLAG_MEMORY_HOST_RESIDENT) !== 0 ? u(W_MEMORY_HOST_RESIDENT, 'memoryHostResidentBytes') : undefined,
      diskReadBytes: disk ? u(W_DISK_READ, 'diskReadBytes') : undefined,
      diskWriteBytes: disk ? u(W_DISK_WRITE, 'diskWriteBytes') : undefined,
      netRxBytes: net ? u(W_NET_RX, 'netRxBytes') : undefined,
      netTxBytes: net ? u(W_NET_TX, 'netTxBytes') : undefined,
      upperUsedBytes: (flags & FLAG_UPPER_USED) !== 0 ? u(W_UPPER_USED, 'upperUsedBytes') : undefined,
      upperFreeBytes: (flags & FLAG_UPPER_FREE) !== 0 ? u(W_UPPER_FREE, 'upperFreeBytes') : undefined,
      upperHostAllocatedBytes: (flags & FLAG_UPPER_HOST_ALLOCATED) !== 0 ? u(W_UPPER_HOST_ALLOCATED, 'upperHostAllocatedBytes') : undefined,
      inexact: NO_INEXACT,
    };
    if (inexact !== undefined) m.inexact = inexact;
    return m;
  }

  /** Reads one slot with every u64 field as an exact bigint. */
  readExact(slot: number, acceptStale: boolean): SandboxMetrics<bigint> | undefined {
    const m = this.read(slot, acceptStale);
    if (m === undefined) return undefined;
    const w = this.#w;
    const big = (i: number): bigint => (BigInt(w[i + 1] as number) << 32n) | BigInt(w[i] as number);
    const opt = (present: boolean, i: number): bigint | undefined => (present ? big(i) : undefined);
    return {
      ...m,
      memoryLimitBytes: big(W_MEMORY_LIMIT),
      vcpuTimeNs: opt(m.vcpuTimeNs !== undefined, W_VCPU_TIME),
      memoryBytes: opt(m.memoryBytes !== undefined, W_MEMORY),
      memoryAvailableBytes: opt(m.memoryAvailableBytes !== undefined, W_MEMORY_AVAILABLE),
      memoryHostResidentBytes: opt(m.memoryHostResidentBytes !== undefined, W_MEMORY_HOST_RESIDENT),
      diskReadBytes: opt(m.diskReadBytes !== undefined, W_DISK_READ),
      diskWriteBytes: opt(m.diskWriteBytes !== undefined, W_DISK_WRITE),
      netRxBytes: opt(m.netRxBytes !== undefined, W_NET_RX),
      netTxBytes: opt(m.netTxBytes !== undefined, W_NET_TX),
      upperUsedBytes: opt(m.upperUsedBytes !== undefined, W_UPPER_USED),
      upperFreeBytes: opt(m.upperFreeBytes !== undefined, W_UPPER_FREE),
      upperHostAllocatedBytes: opt(m.upperHostAllocatedBytes !== undefined, W_UPPER_HOST_ALLOCATED),
      inexact: NO_INEXACT,
    };
  }
}
