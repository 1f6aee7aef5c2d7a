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

/**
 * On x86-64 (TSO) plain aligned loads are never reordered with each other,
 * so between the two Atomics loads of seq, plain loads suffice; other
 * architectures load every field atomically.
 */
const ATOMIC_LOADS = process.arch !== 'x64';

/** u64 fields as [word index, name]. */
const U64_FIELDS: ReadonlyArray<readonly [number, keyof SandboxMetrics]> = [
  [W_MEMORY_LIMIT, 'memoryLimitBytes'],
  [W_VCPU_TIME, 'vcpuTimeNs'],
  [W_MEMORY, 'memoryBytes'],
  [W_MEMORY_AVAILABLE, 'memoryAvailableBytes'],
  [W_MEMORY_HOST_RESIDENT, 'memoryHostResidentBytes'],
  [W_DISK_READ, 'diskReadBytes'],
  [W_DISK_WRITE, 'diskWriteBytes'],
  [W_NET_RX, 'netRxBytes'],
  [W_NET_TX, 'netTxBytes'],
  [W_UPPER_USED, 'upperUsedBytes'],
  [W_UPPER_FREE, 'upperFreeBytes'],
  [W_UPPER_HOST_ALLOCATED, 'upperHostAllocatedBytes'],
];

const u64 = (u32: Uint32Array, i: number): number => (u32[i + 1] as number) * TWO_32 + (u32[i] as number);

function inexactFields(m: SandboxMetrics, u32: Uint32Array, b: number): string[] {
  const out: string[] = [];
  for (const [i, field] of U64_FIELDS) {
    if (m[field] !== undefined && (u32[b + i + 1] as number) >= 0x200000) out.push(field);
  }
  return out;
}


export class SlotReader {
  readonly #v: Views;
  // Name cache: a slot's name is fixed for the life of its generation.
  readonly #nameGen: Float64Array;
  readonly #names: string[];
  readonly #nameBytes = new Uint8Array(MAX_NAME_LEN);

  constructor(views: Views) {
    this.#v = views;
    this.#nameGen = new Float64Array(views.capacity);
    this.#names = new Array<string>(views.capacity).fill('');
  }

  /** The raw slot state word, no seqlock (a hint for scans). */
  stateOf(slot: number): number {
    return Atomics.load(this.#v.u32, slotBase(slot) + W_STATE);
  }

  /**
   * One coherent seqlock read of `slot`, as numbers. Undefined when the slot
   * is not active (or stale, when accepted), was never sampled, or stayed
   * contended for the whole retry budget.
   *
   * Fields are read straight from the mapping into the result object; the
   * object is thrown away when the second seq load shows a writer was inside.
   */
  read(slot: number, acceptStale: boolean): SandboxMetrics | undefined {
    const { u32, i32, f32 } = this.#v;
    const nameGen = this.#nameGen;
    const names = this.#names;
    const b = slotBase(slot);
    for (let attempt = 0; attempt < READ_RETRIES; attempt++) {
      // Only the two seq loads need to be Atomics: they order the plain loads
      // between them (x86-64 keeps loads in order; elsewhere every load is
      // atomic, see ATOMIC_LOADS). The high generation word is not compared:
      // generations are unique, and the low word would have to wrap 2^32
      // times during one read to fool us.
      const state = ATOMIC_LOADS ? Atomics.load(u32, b + W_STATE) : (u32[b + W_STATE] as number);
      if (state !== SLOT_ACTIVE && (state !== SLOT_STALE || !acceptStale)) return undefined;
      const genLo = ATOMIC_LOADS ? Atomics.load(u32, b + W_GENERATION) : (u32[b + W_GENERATION] as number);
      const seq = Atomics.load(u32, b + W_SEQ);
      if ((seq & 1) !== 0) continue;
      const genHi = u32[b + W_GENERATION + 1] as number;
      const flags = u32[b + W_FLAGS] as number;
      const cpu = (flags & FLAG_CPU) !== 0;
      const disk = (flags & FLAG_DISK_UNKNOWN) === 0;
      const net = (flags & FLAG_NET_UNKNOWN) === 0;
      const startedAtMs = (i32[b + W_STARTED_AT + 1] as number) * TWO_32 + (u32[b + W_STARTED_AT] as number);
      const sampledAtMs = (i32[b + W_SAMPLED_AT + 1] as number) * TWO_32 + (u32[b + W_SAMPLED_AT] as number);
      const generation = genHi * TWO_32 + genLo;
      // A cached name belongs to this very generation, so it is right even
      // before the seqlock validates the rest; a miss is decoded below.
      const nameCached = nameGen[slot] === generation && generation !== 0;
      const m: SandboxMetrics = {
        slot,
        generation,
        state: state === SLOT_ACTIVE ? 'active' : 'stale',
        sandboxId: i32[b + W_SANDBOX_ID] as number,
        runId: i32[b + W_RUN_ID] as number,
        pid: i32[b + W_PID] as number,
        name: nameCached ? (names[slot] as string) : '',
        startedAtMs,
        sampledAtMs,
        uptimeMs: startedAtMs > 0 && sampledAtMs > startedAtMs ? sampledAtMs - startedAtMs : 0,
        memoryLimitBytes: u64(u32, b + W_MEMORY_LIMIT),
        cpuPercent: cpu ? (f32[b + W_CPU_PERCENT] as number) : undefined,
        vcpuTimeNs: cpu ? u64(u32, b + W_VCPU_TIME) : undefined,
        memoryBytes: (flags & FLAG_MEMORY) !== 0 ? u64(u32, b + W_MEMORY) : undefined,
        memoryAvailableBytes: (flags & FLAG_MEMORY_AVAILABLE) !== 0 ? u64(u32, b + W_MEMORY_AVAILABLE) : undefined,
        memoryHostResidentBytes: (flags & FLAG_MEMORY_HOST_RESIDENT) !== 0 ? u64(u32, b + W_MEMORY_HOST_RESIDENT) : undefined,
        diskReadBytes: disk ? u64(u32, b + W_DISK_READ) : undefined,
        diskWriteBytes: disk ? u64(u32, b + W_DISK_WRITE) : undefined,
        netRxBytes: net ? u64(u32, b + W_NET_RX) : undefined,
        netTxBytes: net ? u64(u32, b + W_NET_TX) : undefined,
        upperUsedBytes: (flags & FLAG_UPPER_USED) !== 0 ? u64(u32, b + W_UPPER_USED) : undefined,
        upperFreeBytes: (flags & FLAG_UPPER_FREE) !== 0 ? u64(u32, b + W_UPPER_FREE) : undefined,
        upperHostAllocatedBytes: (flags & FLAG_UPPER_HOST_ALLOCATED) !== 0 ? u64(u32, b + W_UPPER_HOST_ALLOCATED) : undefined,
        inexact: NO_INEXACT,
      };
      // Any high word >= 2^21 means a value >= 2^53: name the rounded
      // fields rather than round silently (one OR keeps the common case cheap).
      const hi =
        (u32[b + W_MEMORY_LIMIT + 1] as number) | (u32[b + W_VCPU_TIME + 1] as number) |
        (u32[b + W_MEMORY + 1] as number) | (u32[b + W_MEMORY_AVAILABLE + 1] as number) |
        (u32[b + W_MEMORY_HOST_RESIDENT + 1] as number) | (u32[b + W_DISK_READ + 1] as number) |
        (u32[b + W_DISK_WRITE + 1] as number) | (u32[b + W_NET_RX + 1] as number) |
        (u32[b + W_NET_TX + 1] as number) | (u32[b + W_UPPER_USED + 1] as number) |
        (u32[b + W_UPPER_FREE + 1] as number) | (u32[b + W_UPPER_HOST_ALLOCATED + 1] as number);
      let nameLen = 0;
      if (!nameCached) {
        const v = this.#v;
        nameLen = Math.min(v.u16[(HEADER_LEN + slot * SLOT_LEN + B_NAME_LEN) >>> 1] as number, MAX_NAME_LEN);
        const at = HEADER_LEN + slot * SLOT_LEN + B_NAME;
        for (let i = 0; i < nameLen; i++) this.#nameBytes[i] = v.u8[at + i] as number;
      }
      const rounded = hi >>> 21 !== 0 ? inexactFields(m, u32, b) : undefined;

      if (Atomics.load(u32, b + W_SEQ) !== seq) continue;
      if ((ATOMIC_LOADS ? Atomics.load(u32, b + W_GENERATION) : u32[b + W_GENERATION]) !== genLo) continue;
      const stateAfter = ATOMIC_LOADS ? Atomics.load(u32, b + W_STATE) : (u32[b + W_STATE] as number);
      if (stateAfter !== SLOT_ACTIVE && (stateAfter !== SLOT_STALE || !acceptStale)) return undefined;
      if (sampledAtMs === 0) return undefined;
      if (stateAfter !== state) m.state = stateAfter === SLOT_ACTIVE ? 'active' : 'stale';
      if (!nameCached) {
        m.name = names[slot] = decoder.decode(this.#nameBytes.subarray(0, nameLen));
        nameGen[slot] = generation;
      }
      if (rounded !== undefined && rounded.length > 0) m.inexact = rounded;
      return m;
    }
    return undefined;
  }

  /** Reads one slot with every u64 field as an exact bigint. */
  readExact(slot: number, acceptStale: boolean): SandboxMetrics<bigint> | undefined {
    const u32 = this.#v.u32;
    const b = slotBase(slot);
    for (let attempt = 0; attempt < READ_RETRIES; attempt++) {
      const seq = Atomics.load(u32, b + W_SEQ);
      if ((seq & 1) !== 0) continue;
      const m = this.read(slot, acceptStale);
      if (m === undefined) return undefined;
      const big = (i: number): bigint => (BigInt(u32[b + i + 1] as number) << 32n) | BigInt(u32[b + i] as number);
      const opt = (present: boolean, i: number): bigint | undefined => (present ? big(i) : undefined);
      const exact: SandboxMetrics<bigint> = {
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
      // The same seq on both sides of both reads: the bigints belong to the
      // sample that read() returned.
      if (Atomics.load(u32, b + W_SEQ) === seq) return exact;
    }
    return undefined;
  }
}
