// The slot protocol: every transition and every error path, asserted by code.
import { binding } from '@sandmeter/native';
import { describe, expect, it } from 'vitest';
import type { GenerationMismatchError, Registry, SampleInput, SlotStateError } from '../src/index.js';
import { expectCode, freshRegistry, nativeMapping } from './helpers.js';

const FULL_SAMPLE: SampleInput = {
  sampledAtMs: 1_700_000_001_000,
  cpuPercent: 12.5,
  vcpuTimeNs: 1_000,
  memoryBytes: 2_000,
  memoryAvailableBytes: 3_000,
  memoryHostResidentBytes: 4_000,
  diskReadBytes: 5_000,
  diskWriteBytes: 6_000,
  netRxBytes: 7_000,
  netTxBytes: 8_000,
  upperUsedBytes: 9_000,
  upperFreeBytes: 10_000,
  upperHostAllocatedBytes: 11_000,
};

/** Reserves and activates one slot; returns the reservation and its writer. */
function start(reg: Registry, sandboxId: number, name = `sb-${sandboxId}`, runId = 1000 + sandboxId) {
  const r = reg.reserve({ sandboxId, name, memoryLimitBytes: 1 << 30 });
  const w = reg.activate({ ...r, runId, startedAtMs: 1_700_000_000_000 });
  return { r, w };
}

describe('reserve, activate, write, release', () => {
  it('a reservation counts as reserved and is not reported until activated and sampled', () => {
    const reg = freshRegistry();
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    expect(r.generation).toBeGreaterThanOrEqual(1);
    expect(reg.usage()).toEqual({ free: 7, reserved: 1, active: 0, stale: 0 });
    expect(reg.snapshot()).toEqual([]);
    const w = reg.activate({ ...r, runId: 11 });
    expect(w.slot).toBe(r.slot);
    expect(w.generation).toBe(r.generation);
    expect(reg.usage()).toEqual({ free: 7, reserved: 0, active: 1, stale: 0 });
    expect(reg.snapshot()).toEqual([]);
  });

  it('an activated slot that never wrote a sample is not reported by the JS or the C++ reader', () => {
    const reg = freshRegistry();
    const { r: silent } = start(reg, 1);
    const { r: talking, w } = start(reg, 2);
    w.write(FULL_SAMPLE);
    expect(silent.slot).toBe(0);
    expect(reg.snapshot().map((m) => m.slot)).toEqual([talking.slot]);
    expect(reg.read(silent.slot)).toBeUndefined();
    const buffer = nativeMapping(reg.name);
    expect(binding.readSlot(buffer, silent.slot, true)).toBeNull();
    expect(binding.readSlot(buffer, talking.slot, true)).not.toBeNull();
  });

  it('a written sample is reported as active with identity, timestamp and uptime', () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 7, 'web-7', 4242);
    w.write(FULL_SAMPLE);
    const [m] = reg.snapshot();
    expect(m).toMatchObject({
      slot: r.slot,
      generation: r.generation,
      state: 'active',
      sandboxId: 7,
      runId: 4242,
      pid: process.pid,
      name: 'web-7',
      startedAtMs: 1_700_000_000_000,
      sampledAtMs: 1_700_000_001_000,
      uptimeMs: 1_000,
      memoryLimitBytes: 1 << 30,
      cpuPercent: 12.5,
      vcpuTimeNs: 1_000,
      memoryBytes: 2_000,
      upperHostAllocatedBytes: 11_000,
      inexact: [],
    });
    expect(reg.activeSnapshot()).toEqual(reg.snapshot());
  });

  it('a later sample replaces the earlier one', () => {
    const reg = freshRegistry();
    const { w } = start(reg, 1);
    w.write({ ...FULL_SAMPLE, memoryBytes: 1 });
    w.write({ ...FULL_SAMPLE, memoryBytes: 2, sampledAtMs: FULL_SAMPLE.sampledAtMs! + 5 });
    expect(reg.snapshot().map((m) => [m.memoryBytes, m.sampledAtMs])).toEqual([[2, FULL_SAMPLE.sampledAtMs! + 5]]);
  });

  it("release('stale') keeps the last sample readable as stale under a new generation", () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 3);
    w.write(FULL_SAMPLE);
    const next = reg.release(r.slot, r.generation, 'stale');
    expect(next).toBeGreaterThan(r.generation);
    expect(reg.generationOf(r.slot)).toBe(next);
    const [m] = reg.snapshot();
    expect(m).toMatchObject({ slot: r.slot, state: 'stale', generation: next, sandboxId: 3, memoryBytes: 2_000 });
    expect(reg.activeSnapshot()).toEqual([]);
    expect(reg.usage()).toEqual({ free: 7, reserved: 0, active: 0, stale: 1 });
  });

  it("release() defaults to 'stale'", () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 3);
    w.write(FULL_SAMPLE);
    reg.release(r.slot, r.generation);
    expect(reg.snapshot()[0]?.state).toBe('stale');
  });

  it("release('free') removes the slot from snapshots and makes it free", () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 3);
    w.write(FULL_SAMPLE);
    reg.release(r.slot, r.generation, 'free');
    expect(reg.snapshot()).toEqual([]);
    expect(reg.usage()).toEqual({ free: 8, reserved: 0, active: 0, stale: 0 });
  });

  it('a stale slot is freed later with the generation that release returned', () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 3);
    w.write(FULL_SAMPLE);
    const next = reg.release(r.slot, r.generation, 'stale');
    expectCode(() => reg.release(r.slot, r.generation, 'free'), 'SANDMETER_GENERATION_MISMATCH');
    reg.release(r.slot, next, 'free');
    expect(reg.usage().free).toBe(8);
  });

  it("the writer's own release() releases its slot once, and is idempotent", () => {
    const reg = freshRegistry();
    const { w } = start(reg, 3);
    w.write(FULL_SAMPLE);
    w.release();
    expect(w.released).toBe(true);
    w.release();
    expect(reg.usage().stale).toBe(1);
    expectCode(() => w.write(FULL_SAMPLE), 'SANDMETER_GENERATION_MISMATCH');
  });

  it('releaseReserved gives a reservation back as free', () => {
    const reg = freshRegistry();
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    reg.releaseReserved(r);
    expect(reg.usage()).toEqual({ free: 8, reserved: 0, active: 0, stale: 0 });
    expect(reg.generationOf(r.slot)).toBeGreaterThan(r.generation);
    // The generation moved on: the given-back reservation cannot be activated.
    expectCode(() => reg.activate({ ...r, runId: 1 }), 'SANDMETER_GENERATION_MISMATCH');
    expectCode(() => reg.releaseReserved(r), 'SANDMETER_GENERATION_MISMATCH');
  });

  it('releaseReserved of an active slot fails with SLOT_STATE and leaves it active', () => {
    const reg = freshRegistry();
    const { r } = start(reg, 1);
    const err = expectCode<SlotStateError>(() => reg.releaseReserved(r), 'SANDMETER_SLOT_STATE');
    expect(err.actualState).toBe(2);
    expect(reg.usage().active).toBe(1);
  });

  it('release() of a reservation fails with SLOT_STATE and leaves it reserved', () => {
    const reg = freshRegistry();
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    const err = expectCode<SlotStateError>(() => reg.release(r.slot, r.generation, 'free'), 'SANDMETER_SLOT_STATE');
    expect(err.actualState).toBe(1);
    expect(reg.usage().reserved).toBe(1);
    expect(reg.generationOf(r.slot)).toBe(r.generation);
    reg.activate({ ...r, runId: 1 });
  });

  it('activating twice fails with SLOT_STATE', () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 1);
    w.write(FULL_SAMPLE);
    const err = expectCode<SlotStateError>(() => reg.activate({ ...r, runId: 99 }), 'SANDMETER_SLOT_STATE');
    expect(err.actualState).toBe(2);
    expect(reg.snapshot()[0]?.runId).toBe(1001);
  });

  it('activating with a wrong generation fails with GENERATION_MISMATCH naming both generations', () => {
    const reg = freshRegistry();
    const r = reg.reserve({ sandboxId: 1, name: 'a' });
    const err = expectCode<GenerationMismatchError>(
      () => reg.activate({ slot: r.slot, generation: r.generation + 1, runId: 1 }),
      'SANDMETER_GENERATION_MISMATCH',
    );
    expect(err.expected).toBe(r.generation + 1);
    expect(err.actual).toBe(r.generation);
    expect(reg.usage().reserved).toBe(1);
  });

  it('a writer whose slot was released gets GENERATION_MISMATCH and the stale sample stays', () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 1);
    w.write(FULL_SAMPLE);
    const next = reg.release(r.slot, r.generation, 'stale');
    const err = expectCode<GenerationMismatchError>(() => w.write({ ...FULL_SAMPLE, memoryBytes: 1 }), 'SANDMETER_GENERATION_MISMATCH');
    expect(err.expected).toBe(r.generation);
    expect(err.actual).toBe(next);
    expect(reg.snapshot()[0]?.memoryBytes).toBe(2_000);
  });

  it("stale writer: after release and re-reservation, the old writer's write fails and the new owner's sample is untouched", () => {
    const reg = freshRegistry({ capacity: 1 });
    const old = start(reg, 1, 'old');
    old.w.write(FULL_SAMPLE);
    reg.release(old.r.slot, old.r.generation, 'free');
    const fresh = start(reg, 2, 'new');
    expect(fresh.r.slot).toBe(old.r.slot);
    fresh.w.write({ ...FULL_SAMPLE, memoryBytes: 777 });
    const before = reg.snapshotExact();

    expectCode(() => old.w.write({ ...FULL_SAMPLE, memoryBytes: 666 }), 'SANDMETER_GENERATION_MISMATCH');

    expect(reg.snapshotExact()).toEqual(before);
    expect(before[0]).toMatchObject({ sandboxId: 2, name: 'new', memoryBytes: 777n, state: 'active' });
    // The old owner cannot release the new owner's slot either.
    expectCode(() => old.w.release('free'), 'SANDMETER_GENERATION_MISMATCH');
    expect(reg.usage().active).toBe(1);
  });

  it('release with an old generation fails with GENERATION_MISMATCH', () => {
    const reg = freshRegistry();
    const { r } = start(reg, 1);
    expectCode(() => reg.release(r.slot, r.generation + 1), 'SANDMETER_GENERATION_MISMATCH');
    expect(reg.usage().active).toBe(1);
  });
});

describe('reserve slot choice', () => {
  it('a full registry fails with REGISTRY_FULL and nothing changes', () => {
    const reg = freshRegistry({ capacity: 2 });
    start(reg, 1).w.write(FULL_SAMPLE);
    reg.reserve({ sandboxId: 2, name: 'b' });
    const before = reg.snapshotExact();
    expectCode(() => reg.reserve({ sandboxId: 3, name: 'c' }), 'SANDMETER_REGISTRY_FULL');
    expect(reg.usage()).toEqual({ free: 0, reserved: 1, active: 1, stale: 0 });
    expect(reg.snapshotExact()).toEqual(before);
  });

  it('reserve takes a free slot before a stale one', () => {
    const reg = freshRegistry({ capacity: 3 });
    const a = start(reg, 1);
    a.w.write(FULL_SAMPLE);
    a.w.release('stale');
    const b = start(reg, 2);
    b.w.write(FULL_SAMPLE);
    b.w.release('free');
    // Slot 0 stale, slot 1 free (again), slot 2 never used: the stale one survives.
    expect(reg.reserve({ sandboxId: 3, name: 'c' }).slot).toBe(1);
    expect(reg.reserve({ sandboxId: 4, name: 'd' }).slot).toBe(2);
    expect(reg.snapshot().map((m) => [m.slot, m.state])).toEqual([[0, 'stale']]);
  });

  it('reserve takes a stale slot when none is free, and the old sample is gone', () => {
    const reg = freshRegistry({ capacity: 2 });
    const a = start(reg, 1, 'old');
    a.w.write(FULL_SAMPLE);
    a.w.release('stale');
    start(reg, 2).w.write(FULL_SAMPLE);
    const r = reg.reserve({ sandboxId: 3, name: 'new', memoryLimitBytes: 5 });
    expect(r.slot).toBe(a.r.slot);
    expect(reg.lookup(1)).toBeUndefined();
    const w = reg.activate({ ...r, runId: 3 });
    w.write({ sampledAtMs: 1 });
    expect(reg.read(r.slot)).toMatchObject({ sandboxId: 3, name: 'new', memoryLimitBytes: 5, memoryBytes: undefined, vcpuTimeNs: undefined });
  });
});

describe('release by identity', () => {
  it('releases the slot with the given runId', () => {
    const reg = freshRegistry();
    start(reg, 1, 'a', 100).w.write(FULL_SAMPLE);
    start(reg, 2, 'b', 200).w.write(FULL_SAMPLE);
    expect(reg.releaseByIdentity({ runId: 200 })).toBe(true);
    expect(reg.snapshot().map((m) => [m.runId, m.state])).toEqual([
      [100, 'active'],
      [200, 'stale'],
    ]);
  });

  it('releases the slot with the given sandboxId, freeing it when asked', () => {
    const reg = freshRegistry();
    start(reg, 1, 'a', 100).w.write(FULL_SAMPLE);
    start(reg, 2, 'b', 200).w.write(FULL_SAMPLE);
    expect(reg.releaseByIdentity({ sandboxId: 1 }, 'free')).toBe(true);
    expect(reg.snapshot().map((m) => m.sandboxId)).toEqual([2]);
    expect(reg.usage()).toMatchObject({ active: 1, free: 7 });
  });

  it('prefers runId over sandboxId when both are given', () => {
    const reg = freshRegistry();
    start(reg, 1, 'a', 100).w.write(FULL_SAMPLE);
    start(reg, 2, 'b', 200).w.write(FULL_SAMPLE);
    expect(reg.releaseByIdentity({ runId: 200, sandboxId: 1 })).toBe(true);
    expect(reg.lookup(1)?.state).toBe('active');
    expect(reg.lookup(2)?.state).toBe('stale');
  });

  it('frees a stale slot found by identity', () => {
    const reg = freshRegistry();
    const { w } = start(reg, 1, 'a', 100);
    w.write(FULL_SAMPLE);
    w.release('stale');
    expect(reg.releaseByIdentity({ runId: 100 }, 'free')).toBe(true);
    expect(reg.usage().free).toBe(8);
  });

  it('releases an active slot that has not published a sample yet (it is in use, though not reported)', () => {
    const reg = freshRegistry();
    start(reg, 1, 'a', 100);
    start(reg, 2, 'b', 200);
    expect(reg.releaseByIdentity({ runId: 100 }, 'free')).toBe(true);
    expect(reg.releaseByIdentity({ sandboxId: 2 })).toBe(true);
    expect(reg.usage()).toEqual({ free: 7, reserved: 0, active: 0, stale: 1 });
  });

  it('returns false when nothing matches and changes nothing', () => {
    const reg = freshRegistry();
    start(reg, 1, 'a', 100).w.write(FULL_SAMPLE);
    expect(reg.releaseByIdentity({ runId: 999 })).toBe(false);
    expect(reg.releaseByIdentity({ sandboxId: 999 })).toBe(false);
    expect(reg.usage().active).toBe(1);
  });

  it('rejects an identity with neither runId nor sandboxId as INVALID_ARGUMENT', () => {
    const reg = freshRegistry();
    expectCode(() => reg.releaseByIdentity({}), 'SANDMETER_INVALID_ARGUMENT');
  });
});

describe('lookups', () => {
  it('lookup prefers the active slot over a stale one of the same sandbox', () => {
    const reg = freshRegistry();
    const first = start(reg, 5, 'web', 1);
    first.w.write({ ...FULL_SAMPLE, sampledAtMs: 2_000_000_000_000 });
    first.w.release('stale');
    start(reg, 5, 'web', 2).w.write({ ...FULL_SAMPLE, sampledAtMs: 1_000 });
    // The stale sample is newer, yet the active one wins.
    expect(reg.lookup(5)).toMatchObject({ runId: 2, state: 'active' });
  });

  it('lookup returns the newest stale slot when none is active', () => {
    const reg = freshRegistry();
    for (const [runId, at] of [
      [1, 5_000],
      [2, 9_000],
      [3, 7_000],
    ] as const) {
      const s = start(reg, 5, 'web', runId);
      s.w.write({ sampledAtMs: at });
      s.w.release('stale');
    }
    expect(reg.lookup(5)).toMatchObject({ runId: 2, state: 'stale' });
  });

  it('lookup filters by name when one is given', () => {
    const reg = freshRegistry();
    start(reg, 5, 'web', 1).w.write(FULL_SAMPLE);
    start(reg, 5, 'db', 2).w.write(FULL_SAMPLE);
    expect(reg.lookup(5, 'db')?.runId).toBe(2);
    expect(reg.lookup(5, 'web')?.runId).toBe(1);
    expect(reg.lookup(5, 'cache')).toBeUndefined();
    expect(reg.lookup(6)).toBeUndefined();
  });

  it('lookupByRunId finds the slot of a run, active or stale', () => {
    const reg = freshRegistry();
    start(reg, 1, 'a', 100).w.write(FULL_SAMPLE);
    const b = start(reg, 2, 'b', 200);
    b.w.write(FULL_SAMPLE);
    b.w.release('stale');
    expect(reg.lookupByRunId(100)).toMatchObject({ sandboxId: 1, state: 'active' });
    expect(reg.lookupByRunId(200)).toMatchObject({ sandboxId: 2, state: 'stale' });
    expect(reg.lookupByRunId(300)).toBeUndefined();
  });
});

describe('usage accounting', () => {
  it('counts every slot in exactly one state through a whole life cycle', () => {
    const reg = freshRegistry({ capacity: 5 });
    const total = (u: ReturnType<Registry['usage']>) => u.free + u.reserved + u.active + u.stale;
    expect(reg.usage()).toEqual({ free: 5, reserved: 0, active: 0, stale: 0 });
    const r1 = reg.reserve({ sandboxId: 1, name: 'a' });
    const r2 = reg.reserve({ sandboxId: 2, name: 'b' });
    const r3 = reg.reserve({ sandboxId: 3, name: 'c' });
    expect(reg.usage()).toEqual({ free: 2, reserved: 3, active: 0, stale: 0 });
    const w1 = reg.activate({ ...r1, runId: 1 });
    const w2 = reg.activate({ ...r2, runId: 2 });
    expect(reg.usage()).toEqual({ free: 2, reserved: 1, active: 2, stale: 0 });
    w1.release('stale');
    expect(reg.usage()).toEqual({ free: 2, reserved: 1, active: 1, stale: 1 });
    w2.release('free');
    reg.releaseReserved(r3);
    const u = reg.usage();
    expect(u).toEqual({ free: 4, reserved: 0, active: 0, stale: 1 });
    expect(total(u)).toBe(reg.capacity);
  });
});

describe('optional fields', () => {
  it('a sample with only a timestamp reports every optional field as absent', () => {
    const reg = freshRegistry();
    start(reg, 1).w.write({ sampledAtMs: 1234 });
    const [m] = reg.snapshot();
    expect(m).toMatchObject({
      sampledAtMs: 1234,
      cpuPercent: undefined,
      vcpuTimeNs: undefined,
      memoryBytes: undefined,
      memoryAvailableBytes: undefined,
      memoryHostResidentBytes: undefined,
      diskReadBytes: undefined,
      diskWriteBytes: undefined,
      netRxBytes: undefined,
      netTxBytes: undefined,
      upperUsedBytes: undefined,
      upperFreeBytes: undefined,
      upperHostAllocatedBytes: undefined,
    });
    expect(reg.snapshotExact()[0]).toMatchObject({ vcpuTimeNs: undefined, memoryBytes: undefined, diskReadBytes: undefined });
  });

  it.each([
    ['memoryBytes', 2],
    ['memoryAvailableBytes', 4],
    ['memoryHostResidentBytes', 8],
    ['upperUsedBytes', 16],
    ['upperFreeBytes', 32],
    ['upperHostAllocatedBytes', 64],
  ] as const)('%s alone is present (flag %i) and nothing else is', (field, flag) => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 1);
    w.write({ sampledAtMs: 1, [field]: 0 });
    const m = reg.snapshot()[0]!;
    const present = Object.entries(m).filter(([k, v]) => v !== undefined && k in FULL_SAMPLE && k !== 'sampledAtMs').map(([k]) => k);
    expect(present).toEqual([field]);
    expect(m[field]).toBe(0);
    // The C++ reader sees the same flag (plus the disk and network "unknown" bits).
    const read = binding.readSlot(nativeMapping(reg.name), r.slot, true);
    expect(read?.flags).toBe(flag | 0x80 | 0x100);
  });

  it('CPU percent and vCPU time are present only together (one flag covers both)', () => {
    const reg = freshRegistry();
    const { w } = start(reg, 1);
    w.write({ sampledAtMs: 1, cpuPercent: 50 });
    expect(reg.snapshot()[0]).toMatchObject({ cpuPercent: undefined, vcpuTimeNs: undefined });
    w.write({ sampledAtMs: 2, vcpuTimeNs: 10 });
    expect(reg.snapshot()[0]).toMatchObject({ cpuPercent: undefined, vcpuTimeNs: undefined });
    w.write({ sampledAtMs: 3, vcpuTimeNs: 10, cpuPercent: 0 });
    expect(reg.snapshot()[0]).toMatchObject({ cpuPercent: 0, vcpuTimeNs: 10 });
  });

  it('disk and network are absent when not given (extension bits set)', () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 1);
    w.write({ sampledAtMs: 1, memoryBytes: 5 });
    expect(reg.snapshot()[0]).toMatchObject({ diskReadBytes: undefined, diskWriteBytes: undefined, netRxBytes: undefined, netTxBytes: undefined });
    const read = binding.readSlot(nativeMapping(reg.name), r.slot, true);
    expect(read!.flags & 0x180).toBe(0x180);
  });

  it('disk and network are present when given, zero included (extension bits clear)', () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 1);
    w.write({ sampledAtMs: 1, diskReadBytes: 0, diskWriteBytes: 6, netRxBytes: 7, netTxBytes: 0 });
    expect(reg.snapshot()[0]).toMatchObject({ diskReadBytes: 0, diskWriteBytes: 6, netRxBytes: 7, netTxBytes: 0 });
    const read = binding.readSlot(nativeMapping(reg.name), r.slot, true);
    expect(read!.flags & 0x180).toBe(0);
  });

  it('disk can be known while network is not, and the other way round', () => {
    const reg = freshRegistry();
    const { w } = start(reg, 1);
    w.write({ sampledAtMs: 1, diskReadBytes: 1, diskWriteBytes: 2 });
    expect(reg.snapshot()[0]).toMatchObject({ diskReadBytes: 1, diskWriteBytes: 2, netRxBytes: undefined, netTxBytes: undefined });
    w.write({ sampledAtMs: 2, netRxBytes: 3, netTxBytes: 4 });
    expect(reg.snapshot()[0]).toMatchObject({ diskReadBytes: undefined, diskWriteBytes: undefined, netRxBytes: 3, netTxBytes: 4 });
  });

  it('a field given in one sample and omitted in the next becomes absent', () => {
    const reg = freshRegistry();
    const { w } = start(reg, 1);
    w.write(FULL_SAMPLE);
    w.write({ sampledAtMs: 2 });
    expect(reg.snapshot()[0]).toMatchObject({ memoryBytes: undefined, diskReadBytes: undefined, cpuPercent: undefined });
  });
});

describe('close', () => {
  it('every call after close() fails with SANDMETER_CLOSED, and close() is idempotent', () => {
    const reg = freshRegistry();
    const { r, w } = start(reg, 1);
    w.write(FULL_SAMPLE);
    const r2 = reg.reserve({ sandboxId: 2, name: 'b' });
    reg.close();
    reg.close();
    expect(reg.closed).toBe(true);
    const calls: [string, () => unknown][] = [
      ['reserve', () => reg.reserve({ sandboxId: 3, name: 'c' })],
      ['activate', () => reg.activate({ ...r2, runId: 2 })],
      ['releaseReserved', () => reg.releaseReserved(r2)],
      ['release', () => reg.release(r.slot, r.generation)],
      ['releaseByIdentity', () => reg.releaseByIdentity({ runId: 1001 })],
      ['snapshot', () => reg.snapshot()],
      ['activeSnapshot', () => reg.activeSnapshot()],
      ['snapshotExact', () => reg.snapshotExact()],
      ['read', () => reg.read(r.slot)],
      ['lookup', () => reg.lookup(1)],
      ['lookupByRunId', () => reg.lookupByRunId(1001)],
      ['usage', () => reg.usage()],
      ['generationOf', () => reg.generationOf(r.slot)],
      ['writer.write', () => w.write(FULL_SAMPLE)],
      ['writer.release', () => w.release()],
    ];
    for (const [what, call] of calls) {
      let caught: unknown;
      try {
        call();
      } catch (err) {
        caught = err;
      }
      expect((caught as { code?: string } | undefined)?.code, what).toBe('SANDMETER_CLOSED');
    }
  });

  it('closing one mapping leaves the registry and other mappings intact', () => {
    const reg = freshRegistry();
    start(reg, 1).w.write(FULL_SAMPLE);
    const buffer = nativeMapping(reg.name);
    reg.close();
    expect(binding.readSlot(buffer, 0, true)?.sandboxId).toBe(1);
  });
});
