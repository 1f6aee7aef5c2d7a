import { afterEach, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor } from 'xstate';
import { WriterBusyError, type SampleInput } from '@sandmeter/registry';
import { samplerMachine } from '../src/sampler.machine.js';
import type { SampleWriterPort, SamplerInput } from '../src/machine/types.js';
import { activeSlot, tempRegistry, type TempRegistry } from './helpers/temp-registry.js';
import { captureLogger, WARN } from './helpers/capture-logger.js';
import { FakeVmm } from './helpers/fake-vmm.js';

let temp: TempRegistry | undefined;
const stops: Array<() => void> = [];

afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  temp?.cleanup();
  temp = undefined;
});

function start(vmm: FakeVmm, writer: SampleWriterPort, extra: Partial<SamplerInput> = {}) {
  const { logger, lines } = captureLogger();
  const actor = createActor(samplerMachine, {
    clock: vmm.clock,
    input: {
      writer,
      source: vmm.source,
      intervalMs: 1000,
      logger,
      nowMs: vmm.nowMs,
      monotonicMs: vmm.monotonicMs,
      ...extra,
    },
  });
  stops.push(() => actor.stop());
  actor.start();
  return { actor, lines };
}

function setup(sandboxId = 1) {
  temp = tempRegistry();
  const { writer, reservation } = activeSlot(temp.registry, sandboxId);
  return { registry: temp.registry, writer, reservation, vmm: new FakeVmm() };
}

describe('initial', () => {
  test('writes the first sample at once, without CPU percent', () => {
    const { registry, writer, vmm } = setup();
    const { actor } = start(vmm, writer);
    expect(actor.getSnapshot().value).toBe('sampling');
    const row = registry.lookup(1);
    expect(row?.state).toBe('active');
    expect(row?.sampledAtMs).toBe(vmm.epochMs);
    expect(row?.memoryBytes).toBe(64 * 1024 * 1024);
    expect(row?.cpuPercent).toBeUndefined();
    expect(actor.getSnapshot().context.samplesWritten).toBe(1);
  });

  test('goes to reclaimed when the slot was taken back before the first sample', () => {
    const { registry, writer, reservation, vmm } = setup();
    registry.release(reservation.slot, reservation.generation, 'free');
    const { actor, lines } = start(vmm, writer);
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('reclaimed');
    expect(snapshot.status).toBe('done');
    expect(snapshot.output).toEqual({ reason: 'reclaimed', samplesWritten: 0 });
    expect(registry.lookup(1)).toBeUndefined();
    expect(lines.some((l) => l.msg.includes('reclaimed before first sample'))).toBe(true);
  });

  test('stops and frees the slot when the sandbox is gone before the first sample', () => {
    const { registry, writer, vmm } = setup();
    vmm.gone = true;
    const { actor } = start(vmm, writer);
    expect(actor.getSnapshot().value).toBe('stopped');
    expect(actor.getSnapshot().output).toEqual({ reason: 'gone', samplesWritten: 0 });
    expect(registry.usage()).toEqual({ free: registry.capacity, reserved: 0, active: 0, stale: 0 });
  });

  test('keeps going to sampling when the first read fails', () => {
    const { registry, writer, vmm } = setup();
    vmm.failReads = 1;
    const { actor, lines } = start(vmm, writer);
    expect(actor.getSnapshot().value).toBe('sampling');
    expect(lines.filter((l) => l.level === WARN).map((l) => l.stage)).toEqual(['read']);
    expect(registry.lookup(1)).toBeUndefined();
    vmm.run(1000, 1);
    expect(registry.lookup(1)?.sampledAtMs).toBe(vmm.epochMs + 1000);
  });
});

describe('sampling', () => {
  test('samples once per interval, CPU percent from CPU time over wall time', () => {
    const { registry, writer, vmm } = setup();
    const { actor } = start(vmm, writer);
    vmm.run(999, 0.5);
    expect(actor.getSnapshot().context.samplesWritten).toBe(1);
    vmm.run(1, 0.5);
    expect(actor.getSnapshot().context.samplesWritten).toBe(2);
    expect(registry.lookup(1)?.cpuPercent).toBeCloseTo(50, 3);
    vmm.run(1000, 1.5);
    expect(actor.getSnapshot().context.samplesWritten).toBe(3);
    expect(registry.lookup(1)?.cpuPercent).toBeCloseTo(150, 3);
    expect(registry.lookup(1)?.vcpuTimeNs).toBe(vmm.cpuTimeNs);
  });

  test('a tick is one macrostep: one snapshot per sample', () => {
    const { writer, vmm } = setup();
    const { actor } = start(vmm, writer);
    let snapshots = 0;
    const sub = actor.subscribe(() => void snapshots++);
    for (let k = 1; k <= 3; k++) {
      vmm.run(1000, 1);
      expect(actor.getSnapshot().context.samplesWritten).toBe(1 + k);
      expect(snapshots).toBe(k);
    }
    sub.unsubscribe();
  });

  test('clamps CPU percent to maxCpus * 100', () => {
    const { registry, writer, vmm } = setup();
    start(vmm, writer, { maxCpus: 2 });
    vmm.run(1000, 6);
    expect(registry.lookup(1)?.cpuPercent).toBe(200);
  });

  test('carries the last trustworthy CPU percent over a window with a wide clock bracket', () => {
    const { registry, writer, vmm } = setup();
    start(vmm, writer);
    vmm.run(1000, 1);
    expect(registry.lookup(1)?.cpuPercent).toBeCloseTo(100, 3);
    // The next read takes 120 ms of a 1 s window (> 5%): its 300% is not published.
    vmm.readCostMs = 120;
    vmm.run(1000, 3);
    expect(registry.lookup(1)?.cpuPercent).toBeCloseTo(100, 3);
    // Still wide (the previous end was unsure too): carried again.
    vmm.readCostMs = 0;
    vmm.run(1000, 0.25);
    expect(registry.lookup(1)?.cpuPercent).toBeCloseTo(100, 3);
    // Both ends narrow again: this window's own figure.
    vmm.run(1000, 0.25);
    expect(registry.lookup(1)?.cpuPercent).toBeCloseTo(25, 3);
  });

  test('publishes no CPU percent while no window was ever trustworthy', () => {
    const { registry, writer, vmm } = setup();
    vmm.readCostMs = 200;
    start(vmm, writer);
    vmm.run(1000, 1);
    const row = registry.lookup(1);
    expect(row?.sampledAtMs).toBeGreaterThan(vmm.epochMs);
    expect(row?.cpuPercent).toBeUndefined();
  });

  test('a counter that went backwards reads as 0%', () => {
    const { registry, writer, vmm } = setup();
    start(vmm, writer);
    vmm.cpuTimeNs -= 500_000_000;
    vmm.clock.increment(1000);
    expect(registry.lookup(1)?.cpuPercent).toBe(0);
  });

  test('logs a write error, keeps sampling, and recovers', () => {
    const { registry, writer, vmm } = setup();
    let failures = 0;
    const flaky: SampleWriterPort = {
      write(sample: SampleInput) {
        if (failures > 0) {
          failures--;
          throw new WriterBusyError('another writer held the seqlock');
        }
        writer.write(sample);
      },
      release: (mode) => writer.release(mode),
    };
    const { actor, lines } = start(vmm, flaky);
    failures = 2;
    vmm.run(1000, 1);
    vmm.run(1000, 1);
    expect(actor.getSnapshot().value).toBe('sampling');
    expect(registry.lookup(1)?.sampledAtMs).toBe(vmm.epochMs);
    const warnings = lines.filter((l) => l.level === WARN);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]?.stage).toBe('write');
    expect((warnings[0]?.err as { type?: string } | undefined)?.type).toBe('WriterBusyError');
    vmm.run(1000, 0.5);
    const row = registry.lookup(1);
    expect(row?.sampledAtMs).toBe(vmm.epochMs + 3000);
    // The failed ticks still moved the window: this is the last second's figure.
    expect(row?.cpuPercent).toBeCloseTo(50, 3);
    expect(actor.getSnapshot().context).toMatchObject({ samplesWritten: 2, sampleErrors: 2 });
  });

  test('logs a failing read and samples again at the next interval', () => {
    const { registry, writer, vmm } = setup();
    const { actor, lines } = start(vmm, writer);
    vmm.failReads = 1;
    vmm.run(1000, 1);
    expect(lines.filter((l) => l.level === WARN)).toHaveLength(1);
    vmm.run(1000, 1);
    expect(actor.getSnapshot().context.samplesWritten).toBe(2);
    // Window from the first sample: 2 s at one CPU.
    expect(registry.lookup(1)?.cpuPercent).toBeCloseTo(100, 3);
  });

  test('SET_INTERVAL changes the interval from now on', () => {
    const { writer, vmm } = setup();
    const { actor } = start(vmm, writer);
    vmm.clock.increment(400);
    actor.send({ type: 'SET_INTERVAL', intervalMs: 250 });
    vmm.clock.increment(249);
    expect(actor.getSnapshot().context.samplesWritten).toBe(1);
    vmm.clock.increment(1);
    expect(actor.getSnapshot().context.samplesWritten).toBe(2);
    // A simulated clock jumps: step one interval at a time.
    for (let k = 0; k < 4; k++) vmm.clock.increment(250);
    expect(actor.getSnapshot().context.samplesWritten).toBe(6);
    actor.send({ type: 'SET_INTERVAL', intervalMs: 5000 });
    vmm.clock.increment(4999);
    expect(actor.getSnapshot().context.samplesWritten).toBe(6);
    vmm.clock.increment(1);
    expect(actor.getSnapshot().context.samplesWritten).toBe(7);
  });

  test('ignores a SET_INTERVAL that is not a usable interval, with a warning', () => {
    const { writer, vmm } = setup();
    const { actor, lines } = start(vmm, writer);
    for (const intervalMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 40]) {
      actor.send({ type: 'SET_INTERVAL', intervalMs });
    }
    expect(actor.getSnapshot().context.intervalMs).toBe(1000);
    expect(lines.filter((l) => l.level === WARN)).toHaveLength(5);
    vmm.clock.increment(1000);
    expect(actor.getSnapshot().context.samplesWritten).toBe(2);
  });

  test('SET_INTERVAL during initial is kept for sampling', () => {
    const { writer, vmm } = setup();
    vmm.gone = false;
    const { actor } = start(vmm, writer, { intervalMs: 100 });
    actor.send({ type: 'SET_INTERVAL', intervalMs: 300 });
    vmm.clock.increment(300);
    expect(actor.getSnapshot().context).toMatchObject({ intervalMs: 300, samplesWritten: 2 });
  });

  test('publishes the upper filesystem only while its own sample is fresh', () => {
    const { registry, writer, vmm } = setup();
    vmm.upper = { upperUsedBytes: 53_248, upperFreeBytes: 450_527_232, upperSampledAtMs: vmm.epochMs };
    start(vmm, writer);
    expect(registry.lookup(1)).toMatchObject({ upperUsedBytes: 53_248, upperFreeBytes: 450_527_232 });
    vmm.clock.increment(3000); // exactly 3 s old: still fresh
    expect(registry.lookup(1)).toMatchObject({ upperUsedBytes: 53_248 });
    vmm.clock.increment(1000); // 4 s old with a 1 s interval: stale
    expect(registry.lookup(1)?.upperUsedBytes).toBeUndefined();
    expect(registry.lookup(1)?.upperFreeBytes).toBeUndefined();
    vmm.upper = { ...vmm.upper, upperSampledAtMs: vmm.nowMs() + 60_000 }; // from the future: fresh
    vmm.clock.increment(1000);
    expect(registry.lookup(1)?.upperFreeBytes).toBe(450_527_232);
  });

  test('publishes the allocated bytes of the upper image', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sm-sampler-upper-'));
    try {
      const image = join(dir, 'upper.img');
      writeFileSync(image, Buffer.alloc(64 * 1024, 1));
      const { registry, writer, vmm } = setup();
      start(vmm, writer, { upperHostPath: image });
      expect(registry.lookup(1)?.upperHostAllocatedBytes).toBe(Number(statSync(image).blocks) * 512);
      expect(registry.lookup(1)?.upperHostAllocatedBytes).toBeGreaterThanOrEqual(64 * 1024);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reclaimed', () => {
  test('goes to reclaimed when the slot is reclaimed mid-run, and never writes again', () => {
    const { registry, writer, reservation, vmm } = setup();
    const { actor, lines } = start(vmm, writer);
    vmm.run(1000, 1);
    const newGeneration = registry.release(reservation.slot, reservation.generation, 'stale');
    vmm.run(1000, 1);
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('reclaimed');
    expect(snapshot.output).toEqual({ reason: 'reclaimed', samplesWritten: 2 });
    expect(lines.some((l) => l.msg === 'metrics slot reclaimed; stopping sampler')).toBe(true);
    const readsAtReclaim = vmm.reads;
    vmm.run(5000, 1);
    expect(vmm.reads).toBe(readsAtReclaim);
    const row = registry.lookup(1);
    expect(row).toMatchObject({ state: 'stale', sampledAtMs: vmm.epochMs + 1000, generation: newGeneration });
  });

  test('leaves a reused slot to its new owner', () => {
    const { registry, writer, reservation, vmm } = setup();
    const { actor } = start(vmm, writer);
    registry.release(reservation.slot, reservation.generation, 'free');
    const next = activeSlot(registry, 2, 'next-owner');
    expect(next.reservation.slot).toBe(reservation.slot);
    next.writer.write({ sampledAtMs: 42, memoryBytes: 7 });
    vmm.run(1000, 1);
    expect(actor.getSnapshot().value).toBe('reclaimed');
    expect(registry.lookup(2)).toMatchObject({ name: 'next-owner', sampledAtMs: 42, memoryBytes: 7 });
  });
});

describe('stopped', () => {
  test('STOP releases the slot as stale, keeping the last sample readable', () => {
    const { registry, writer, vmm } = setup();
    const { actor } = start(vmm, writer);
    vmm.run(1000, 1);
    actor.send({ type: 'STOP' });
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('stopped');
    expect(snapshot.output).toEqual({ reason: 'stopped', samplesWritten: 2 });
    expect(registry.activeSnapshot()).toHaveLength(0);
    expect(registry.lookup(1)).toMatchObject({ state: 'stale', sampledAtMs: vmm.epochMs + 1000 });
    const reads = vmm.reads;
    vmm.run(5000, 1);
    expect(vmm.reads).toBe(reads);
  });

  test('a source reporting the sandbox gone stops the sampler and releases as stale', () => {
    const { registry, writer, vmm } = setup();
    const { actor, lines } = start(vmm, writer);
    vmm.run(1000, 1);
    vmm.gone = true;
    vmm.run(1000, 1);
    expect(actor.getSnapshot().output).toEqual({ reason: 'gone', samplesWritten: 2 });
    expect(registry.lookup(1)).toMatchObject({ state: 'stale', sampledAtMs: vmm.epochMs + 1000 });
    expect(lines.find((l) => l.msg === 'sampler stopped')).toMatchObject({ reason: 'gone' });
  });

  test('a release that fails is logged, not thrown', () => {
    const { registry, writer, reservation, vmm } = setup();
    const { actor, lines } = start(vmm, writer);
    // Someone reclaims the slot; STOP arrives before the sampler noticed.
    registry.release(reservation.slot, reservation.generation, 'free');
    expect(() => actor.send({ type: 'STOP' })).not.toThrow();
    expect(actor.getSnapshot().output).toEqual({ reason: 'stopped', samplesWritten: 1 });
    const warning = lines.find((l) => l.msg === 'failed to release the metrics slot');
    expect((warning?.err as { code?: string } | undefined)?.code).toBe('SANDMETER_GENERATION_MISMATCH');
  });
});
