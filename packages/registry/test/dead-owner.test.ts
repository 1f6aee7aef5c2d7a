// Dead owners: a slot whose owner was SIGKILLed is reported stale by the
// next reader and reclaimed by reserve when nothing else is left.
import { openSync, closeSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Registry } from '../src/index.js';
import { forkFixture, freshRegistry, track, nextMessage, pollUntil, rawSeq, shmPath, waitExit } from './helpers.js';

interface Owned {
  slot: number;
  generation: number;
  pid: number;
}

/** Forks an owner of one slot and waits until it has published a sample. */
async function startOwner(reg: Registry, sandboxId: number) {
  const child = forkFixture('slot-owner.mjs', [reg.name, String(sandboxId)]);
  const owned = await nextMessage<Owned>(child, 'its slot');
  expect(owned.pid).toBe(child.pid);
  return { child, owned };
}

/** SIGKILLs the child and waits until it is reaped (a zombie still counts as alive). */
async function kill(child: ReturnType<typeof forkFixture>): Promise<void> {
  const exited = waitExit(child);
  child.kill('SIGKILL');
  await exited;
}

/** Fills every other slot with a live owner (this process). */
function fillWithLiveOwners(reg: Registry, from: number): void {
  for (let i = 0; ; i++) {
    if (reg.usage().free === 0) return;
    const r = reg.reserve({ sandboxId: from + i, name: `live-${i}` });
    reg.activate({ ...r, runId: from + i }).write({ memoryBytes: i });
  }
}

describe('dead owner', () => {
  it('a SIGKILLed owner is reported stale by the next snapshot', async () => {
    const reg = freshRegistry({ capacity: 4, livenessTtlMs: 0 });
    const { child, owned } = await startOwner(reg, 7);
    expect(reg.lookup(7)).toMatchObject({ state: 'active', pid: owned.pid });
    await kill(child);

    const [m] = reg.snapshot();
    expect(m).toMatchObject({ slot: owned.slot, state: 'stale', sandboxId: 7, memoryBytes: 1 });
    expect(m!.generation).toBeGreaterThan(owned.generation);
    expect(reg.activeSnapshot()).toEqual([]);
    expect(reg.usage()).toMatchObject({ active: 0, stale: 1 });
  });

  it('with pidfd watching, the next snapshot reports a killed owner stale whatever the kill() ttl', async () => {
    // A ttl of an hour: only the pidfd watch can notice the death in time.
    const reg = freshRegistry({ capacity: 4, livenessTtlMs: 3_600_000 });
    const { child, owned } = await startOwner(reg, 7);
    expect(reg.snapshot()[0]).toMatchObject({ state: 'active' });
    await kill(child);
    expect(reg.snapshot()[0]).toMatchObject({ slot: owned.slot, state: 'stale' });
  });

  it('without pidfds, a killed owner stays reported running until the kill() ttl runs out', async () => {
    const reg = freshRegistry({ capacity: 4, livenessTtlMs: 3_600_000, pidfd: false });
    const { child } = await startOwner(reg, 7);
    expect(reg.snapshot()[0]).toMatchObject({ state: 'active' });
    await kill(child);
    // Within the ttl the cached verdict stands: the documented bound.
    expect(reg.snapshot()[0]).toMatchObject({ state: 'active' });
    const strict = track(Registry.open(reg.name, { livenessTtlMs: 0, pidfd: false }));
    expect(strict.snapshot()[0]).toMatchObject({ state: 'stale' });
  });

  it('activeSnapshot() and read() demote a dead owner too', async () => {
    const reg = freshRegistry({ capacity: 4, livenessTtlMs: 0 });
    const a = await startOwner(reg, 1);
    const b = await startOwner(reg, 2);
    await kill(a.child);
    await kill(b.child);
    expect(reg.activeSnapshot()).toEqual([]);
    expect(reg.read(a.owned.slot)?.state).toBe('stale');
    expect(reg.read(b.owned.slot)?.state).toBe('stale');
  });

  it('a full registry refuses reserve while the owner lives, and reclaims its slot once it is dead', async () => {
    const reg = freshRegistry({ capacity: 3, livenessTtlMs: 0 });
    const { child, owned } = await startOwner(reg, 7);
    fillWithLiveOwners(reg, 100);
    expect(() => reg.reserve({ sandboxId: 8, name: 'late' })).toThrow(expect.objectContaining({ code: 'SANDMETER_REGISTRY_FULL' }));
    await kill(child);
    // No reader ran since the kill: the slot is still marked active, so this
    // is reserve's own dead-owner pass.
    expect(reg.usage()).toEqual({ free: 0, reserved: 0, active: 3, stale: 0 });

    const r = reg.reserve({ sandboxId: 8, name: 'late' });
    expect(r.slot).toBe(owned.slot);
    expect(r.generation).toBeGreaterThan(owned.generation);
    expect(reg.usage()).toEqual({ free: 0, reserved: 1, active: 2, stale: 0 });
    reg.activate({ ...r, runId: 8 }).write({ sampledAtMs: 5 });
    expect(reg.read(r.slot)).toMatchObject({ sandboxId: 8, name: 'late', memoryBytes: undefined, vcpuTimeNs: undefined });
    expect(reg.lookup(7)).toBeUndefined();
  });

  it('a dead owner demoted to stale by a reader is reclaimed by reserve on a full registry', async () => {
    const reg = freshRegistry({ capacity: 2, livenessTtlMs: 0 });
    const { child, owned } = await startOwner(reg, 7);
    fillWithLiveOwners(reg, 100);
    await kill(child);
    expect(reg.snapshot().find((m) => m.slot === owned.slot)?.state).toBe('stale');
    expect(reg.reserve({ sandboxId: 8, name: 'late' }).slot).toBe(owned.slot);
  });

  it('an owner killed inside the seqlock (seq left odd) is still reclaimed, and the seq ends even', async () => {
    const reg = freshRegistry({ capacity: 2, livenessTtlMs: 0 });
    const { child, owned } = await startOwner(reg, 7);
    fillWithLiveOwners(reg, 100);
    await kill(child);
    // Simulate death mid-write: bump the slot's seq to odd from outside.
    const seqAt = 256 + owned.slot * 512 + 0x10;
    const odd = rawSeq(reg.name, owned.slot) + 1n;
    const buf = Buffer.alloc(8);
    buf.writeBigUInt64LE(odd);
    const fd = openSync(shmPath(reg.name), 'r+');
    try {
      writeSync(fd, buf, 0, 8, seqAt);
    } finally {
      closeSync(fd);
    }
    expect(rawSeq(reg.name, owned.slot) % 2n).toBe(1n);
    // Its torn sample can never be read, so it is never reported (least of all as running).
    expect(reg.snapshot().filter((m) => m.slot === owned.slot)).toEqual([]);

    const r = reg.reserve({ sandboxId: 8, name: 'late' });
    expect(r.slot).toBe(owned.slot);
    expect(rawSeq(reg.name, owned.slot) % 2n).toBe(0n);
    const w = reg.activate({ ...r, runId: 8 });
    w.write({ memoryBytes: 42 });
    expect(reg.read(r.slot)).toMatchObject({ state: 'active', memoryBytes: 42 });
  });

  it('with livenessTtlMs 200 a killed owner is reported stale within a few polls', async () => {
    const reg = freshRegistry({ capacity: 4, livenessTtlMs: 200 });
    const { child, owned } = await startOwner(reg, 7);
    // A first read caches the owner as alive for up to 200 ms.
    expect(reg.snapshot()[0]?.state).toBe('active');
    await kill(child);
    const stale = await pollUntil(() => reg.snapshot().find((m) => m.slot === owned.slot && m.state === 'stale'), 'the dead owner to be reported stale');
    expect(stale.sandboxId).toBe(7);
  });

  it('a live owner of another process is never demoted', async () => {
    const reg = freshRegistry({ capacity: 4, livenessTtlMs: 0 });
    const { owned } = await startOwner(reg, 7);
    for (let i = 0; i < 50; i++) expect(reg.snapshot().find((m) => m.slot === owned.slot)?.state).toBe('active');
  });
});
