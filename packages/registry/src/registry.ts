// Registry: one mapping of a shared-memory registry, and everything a
// process does with it. Control-plane operations (create, open, reserve,
// activate, release) go through the C++ binding; the hot paths (sample
// writes, snapshots) run in JS over the same mapping with Atomics.
import { binding } from '@sandmeter/native';
import { InvalidArgumentError, RegistryClosedError, fromNative } from './errors.js';
import { DEFAULT_CAPACITY, HEADER_LEN, MAX_CAPACITY, SLOT_ACTIVE, SLOT_FREE, SLOT_LEN, SLOT_RESERVED, SLOT_STALE, W_GENERATION, W_RUN_ID, W_SANDBOX_ID, W_STATE, slotBase } from './layout.js';
import { DEFAULT_LIVENESS_TTL_MS, OwnerLiveness, Verdicts } from './liveness.js';
import { defaultRegistryName, encodeSandboxName, validateShmName } from './names.js';
import { SlotReader } from './slot-reader.js';
import { SlotWriter } from './slot-writer.js';
import type { ActivateOptions, ReleaseMode, Reservation, ReserveOptions, SandboxMetrics } from './types.js';
import { checkU64 } from './u64.js';
import { createViews, type Views } from './views.js';

export interface OpenOptions {
  /** Slots in a new registry (1 .. 2^20, default 1024); when opening, the capacity the caller expects. */
  capacity?: number;
  /**
   * Owners are watched through pidfds, so a dead owner is noticed by the next
   * read. Where no pidfd can be had, kill(pid, 0) is used instead and a
   * confirmed-alive owner is trusted for this long (default 250 ms; 0 checks
   * on every read): the bound on how long a dead owner can show as running.
   */
  livenessTtlMs?: number;
  /** Use pidfds for owner liveness (default true); false forces the kill() fallback. */
  pidfd?: boolean;
}

export interface SlotUsage {
  free: number;
  reserved: number;
  active: number;
  stale: number;
}

const call = <T>(fn: () => T): T => {
  try {
    return fn();
  } catch (err) {
    throw fromNative(err);
  }
};

function checkCapacity(capacity: unknown, allowZeroForAny: boolean): number {
  if (capacity === undefined) return allowZeroForAny ? 0 : DEFAULT_CAPACITY;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
    throw new InvalidArgumentError('capacity', `expected an integer from 1 to ${MAX_CAPACITY}, got ${String(capacity)}`);
  }
  return capacity;
}

function checkInt32(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) {
    throw new InvalidArgumentError(field, `expected a 32-bit signed integer, got ${String(v)}`);
  }
  return v;
}

export class Registry {
  readonly name: string;
  readonly capacity: number;
  /** True when this call created the shm object (false: it already existed). */
  readonly created: boolean;
  readonly #views: Views;
  readonly #reader: SlotReader;
  readonly #liveness: OwnerLiveness;
  #closed = false;

  private constructor(name: string, buffer: ArrayBuffer, created: boolean, options: OpenOptions) {
    this.name = name;
    this.created = created;
    this.capacity = (buffer.byteLength - HEADER_LEN) / SLOT_LEN;
    this.#views = createViews(buffer, this.capacity);
    this.#reader = new SlotReader(this.#views);
    const ttl = options.livenessTtlMs ?? DEFAULT_LIVENESS_TTL_MS;
    if (!(ttl >= 0)) throw new InvalidArgumentError('livenessTtlMs', 'expected a number of ms >= 0');
    this.#liveness = new OwnerLiveness(this.capacity, ttl, options.pidfd ?? true);
  }

  /** Opens the registry, creating it when absent. Safe when processes race. */
  static openOrCreate(name: string = defaultRegistryName(), options: OpenOptions = {}): Registry {
    validateShmName(name);
    const capacity = checkCapacity(options.capacity, false);
    const { buffer, created } = call(() => binding.openOrCreate(name, capacity));
    return new Registry(name, buffer, created, options);
  }

  /** Creates a new registry; AlreadyExistsError when the name is taken. */
  static create(name: string = defaultRegistryName(), options: OpenOptions = {}): Registry {
    validateShmName(name);
    const capacity = checkCapacity(options.capacity, false);
    return new Registry(name, call(() => binding.create(name, capacity)), true, options);
  }

  /** Opens an existing registry; its capacity comes from the header (checked when given). */
  static open(name: string = defaultRegistryName(), options: OpenOptions = {}): Registry {
    validateShmName(name);
    const capacity = checkCapacity(options.capacity, true);
    return new Registry(name, call(() => binding.open(name, capacity)), false, options);
  }

  /** Removes the shm object (mappings stay valid until closed). */
  static unlink(name: string, options: { missingOk?: boolean } = {}): void {
    validateShmName(name);
    try {
      call(() => binding.unlink(name));
    } catch (err) {
      if (options.missingOk === true && (err as { code?: string }).code === 'SANDMETER_NOT_FOUND') return;
      throw err;
    }
  }

  /**
   * The raw mapping (layout v3), for interop with the native binding and for
   * benchmarks. Writing through it bypasses the protocol.
   */
  get mapping(): ArrayBuffer {
    return this.#buffer();
  }

  get closed(): boolean {
    return this.#closed;
  }

  #buffer(): ArrayBuffer {
    if (this.#closed) throw new RegistryClosedError();
    return this.#views.buffer;
  }

  #checkSlot(slot: unknown): number {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 0 || slot >= this.capacity) {
      throw new InvalidArgumentError('slot', `expected a slot index from 0 to ${this.capacity - 1}, got ${String(slot)}`);
    }
    return slot;
  }

  #checkGeneration(generation: unknown): number {
    if (typeof generation !== 'number' || !Number.isSafeInteger(generation) || generation < 1) {
      throw new InvalidArgumentError('generation', `expected a positive integer, got ${String(generation)}`);
    }
    return generation;
  }

  /**
   * Claims a slot: a free one, else a stale one, else one whose owner died.
   * RegistryFullError when every slot has a live owner.
   */
  reserve(options: ReserveOptions): Reservation {
    const buffer = this.#buffer();
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'expected { sandboxId, name }');
    const sandboxId = checkInt32(options.sandboxId, 'sandboxId');
    const name = encodeSandboxName(options.name);
    const limit = checkU64(options.memoryLimitBytes ?? 0, 'memoryLimitBytes');
    const [slot, generation] = call(() => binding.reserve(buffer, sandboxId, name, limit));
    return { slot, generation };
  }

  /** Marks a reserved slot active and returns the writer that publishes into it. */
  activate(options: ActivateOptions): SlotWriter {
    const buffer = this.#buffer();
    const slot = this.#checkSlot(options.slot);
    const generation = this.#checkGeneration(options.generation);
    const runId = checkInt32(options.runId, 'runId');
    const pid = checkInt32(options.pid ?? process.pid, 'pid');
    const startedAtMs = options.startedAtMs ?? Date.now();
    if (!Number.isSafeInteger(startedAtMs)) throw new InvalidArgumentError('startedAtMs', 'expected an integer unix time in ms');
    call(() => binding.activate(buffer, slot, generation, runId, pid, startedAtMs));
    return new SlotWriter(this.#views, this, slot, generation);
  }

  /** Gives back a reservation that was never activated. */
  releaseReserved(reservation: Reservation): void {
    const buffer = this.#buffer();
    const slot = this.#checkSlot(reservation.slot);
    const generation = this.#checkGeneration(reservation.generation);
    call(() => binding.releaseReserved(buffer, slot, generation));
  }

  /**
   * Releases an active (or stale) slot: 'stale' keeps the last sample
   * readable, 'free' makes the slot reusable at once. Returns the slot's
   * new generation (needed to free a stale slot later).
   */
  release(slot: number, generation: number, mode: ReleaseMode = 'stale'): number {
    const buffer = this.#buffer();
    this.#checkSlot(slot);
    this.#checkGeneration(generation);
    if (mode !== 'stale' && mode !== 'free') throw new InvalidArgumentError('mode', 'expected "stale" or "free"');
    return call(() => binding.release(buffer, slot, generation, mode === 'free' ? SLOT_FREE : SLOT_STALE));
  }

  /**
   * Releases the slot of a sandbox by identity: by run id when given, else
   * by sandbox id (active slots first). Returns false when none matched.
   */
  releaseByIdentity(identity: { runId?: number; sandboxId?: number }, mode: ReleaseMode = 'stale'): boolean {
    const target = identity.runId !== undefined ? this.lookupByRunId(identity.runId) : identity.sandboxId !== undefined ? this.lookup(identity.sandboxId) : undefined;
    if (identity.runId === undefined && identity.sandboxId === undefined) {
      throw new InvalidArgumentError('identity', 'give a runId or a sandboxId');
    }
    // Reads skip a slot that never published a sample, yet that slot is in
    // use: look for it by its identity words too, or it would leak.
    const found = target ?? this.#findUnsampled(identity);
    if (found === undefined) return false;
    if (found.state === 'stale' && mode === 'stale') return true;
    this.release(found.slot, found.generation, mode);
    return true;
  }

  /** An active (else stale) slot matching the identity, read without the seqlock; release re-checks the generation. */
  #findUnsampled(identity: { runId?: number; sandboxId?: number }): Pick<SandboxMetrics, 'slot' | 'generation' | 'state'> | undefined {
    const { u32, i32 } = this.#views;
    const [word, value] = identity.runId !== undefined ? [W_RUN_ID, identity.runId] : [W_SANDBOX_ID, identity.sandboxId];
    let stale: Pick<SandboxMetrics, 'slot' | 'generation' | 'state'> | undefined;
    for (let i = 0; i < this.capacity; i++) {
      const b = slotBase(i);
      const st = Atomics.load(u32, b + W_STATE);
      if (st !== SLOT_ACTIVE && st !== SLOT_STALE) continue;
      const generation = this.generationOf(i);
      // Identity words are fixed for the life of a generation: same generation after, same owner.
      if (Atomics.load(i32, b + word) !== value || this.generationOf(i) !== generation) continue;
      if (st === SLOT_ACTIVE) return { slot: i, generation, state: 'active' };
      stale ??= { slot: i, generation, state: 'stale' };
    }
    return stale;
  }

  /** Every reported slot, active and stale (dead owners demoted first). */
  snapshot(): SandboxMetrics[] {
    return this.#scan(true);
  }

  /** Only slots whose owner is publishing. */
  activeSnapshot(): SandboxMetrics[] {
    return this.#scan(false);
  }

  /** Like snapshot(), with every u64 field as an exact bigint. */
  snapshotExact(): SandboxMetrics<bigint>[] {
    const out: SandboxMetrics<bigint>[] = [];
    for (const m of this.#scan(true)) {
      const exact = this.#reader.readExact(m.slot, true);
      if (exact !== undefined) out.push(exact);
    }
    return out;
  }

  /** The metrics of one slot, or undefined when it reports nothing. */
  read(slot: number): SandboxMetrics | undefined {
    this.#buffer();
    this.#checkSlot(slot);
    const m = this.#reader.read(slot, true);
    if (m === undefined || m.state !== 'active') return m;
    const live = this.#liveness;
    live.begin();
    const now = Date.now();
    const verdict = live.check(slot, m.pid, now);
    if (verdict === Verdicts.ALIVE) return m;
    if (verdict === Verdicts.DEAD || live.flush(now).length > 0) return this.#demote(slot, m);
    return m;
  }

  /** By sandbox id (and name, when given): the active slot if any, else the newest stale one. */
  lookup(sandboxId: number, name?: string): SandboxMetrics | undefined {
    let best: SandboxMetrics | undefined;
    for (const m of this.snapshot()) {
      if (m.sandboxId !== sandboxId || (name !== undefined && m.name !== name)) continue;
      if (best === undefined || better(m, best)) best = m;
    }
    return best;
  }

  lookupByRunId(runId: number): SandboxMetrics | undefined {
    let best: SandboxMetrics | undefined;
    for (const m of this.snapshot()) {
      if (m.runId === runId && (best === undefined || better(m, best))) best = m;
    }
    return best;
  }

  /** Slots by state: capacity accounting (a leaked slot shows here). */
  usage(): SlotUsage {
    this.#buffer();
    const u: SlotUsage = { free: 0, reserved: 0, active: 0, stale: 0 };
    for (let i = 0; i < this.capacity; i++) {
      const st = this.#reader.stateOf(i);
      if (st === SLOT_FREE) u.free++;
      else if (st === SLOT_RESERVED) u.reserved++;
      else if (st === SLOT_ACTIVE) u.active++;
      else if (st === SLOT_STALE) u.stale++;
    }
    return u;
  }

  /** Unmaps the registry; the shm object stays (see Registry.unlink). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#liveness.close();
    binding.close(this.#views.buffer);
  }

  #scan(includeStale: boolean): SandboxMetrics[] {
    this.#buffer();
    const out: SandboxMetrics[] = [];
    const reader = this.#reader;
    const live = this.#liveness;
    live.begin();
    const now = Date.now();
    let suspects: number[] | undefined;
    for (let i = 0; i < this.capacity; i++) {
      const m = reader.read(i, includeStale);
      if (m === undefined) continue;
      if (m.state === 'active') {
        const verdict = live.check(i, m.pid, now);
        if (verdict === Verdicts.DEAD) (suspects ??= []).push(i);
      }
      out.push(m);
    }
    const queuedDead = live.flush(now);
    if (queuedDead.length > 0) (suspects ??= []).push(...queuedDead);
    if (suspects === undefined) return out;
    const dead = new Set(suspects);
    const result: SandboxMetrics[] = [];
    for (const m of out) {
      if (!dead.has(m.slot)) result.push(m);
      else {
        const demoted = this.#demote(m.slot, m);
        if (demoted !== undefined && (includeStale || demoted.state === 'active')) result.push(demoted);
      }
    }
    return result;
  }

  /** Demotes a dead owner's slot (generation checked) and re-reads it. */
  #demote(slot: number, seen: SandboxMetrics): SandboxMetrics | undefined {
    binding.demoteIfOwnerDead(this.#views.buffer, slot, seen.generation);
    return this.#reader.read(slot, true);
  }

  /** Current generation word of a slot (diagnostics and tests). */
  generationOf(slot: number): number {
    this.#buffer();
    this.#checkSlot(slot);
    const b = slotBase(slot);
    return (Atomics.load(this.#views.u32, b + W_GENERATION + 1) as number) * 4294967296 + Atomics.load(this.#views.u32, b + W_GENERATION);
  }
}

function better(a: SandboxMetrics, b: SandboxMetrics): boolean {
  if (a.state !== b.state) return a.state === 'active';
  return a.sampledAtMs > b.sampledAtMs;
}
