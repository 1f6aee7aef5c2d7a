import { afterEach, describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { SimulatedClock } from 'xstate';
import { Registry, isSandmeterError } from '@sandmeter/registry';
import { publishSelf, type SelfPublisher } from '../src/runtime.js';
import { callbackSource } from '../src/sources/callback.js';
import { tempRegistry, type TempRegistry } from './helpers/temp-registry.js';
import { captureLogger } from './helpers/capture-logger.js';
import { eventually, exited, killAll, spawnTracked, waitForLine } from './helpers/children.js';

const SELF_PUBLISHER = fileURLToPath(new URL('./fixtures/self-publisher.mjs', import.meta.url));

let temp: TempRegistry | undefined;
const publishers: SelfPublisher[] = [];
const names: string[] = [];

afterEach(async () => {
  for (const p of publishers.splice(0)) await p.stop();
  await killAll();
  temp?.cleanup();
  temp = undefined;
  for (const name of names.splice(0)) Registry.unlink(name, { missingOk: true });
});

function uniqueName(): string {
  const name = `/sm-test-sampler-rt-${randomBytes(6).toString('hex')}`;
  names.push(name);
  return name;
}

function simulated() {
  const clock = new SimulatedClock();
  let cpuTimeNs = 0;
  const source = callbackSource({ fields: ['cpuTimeNs', 'memoryBytes'], read: () => ({ cpuTimeNs: (cpuTimeNs += 250_000_000), memoryBytes: 4096 }) });
  return { clock, source, nowMs: () => 1_700_000_000_000 + clock.now(), monotonicMs: () => clock.now() };
}

describe('publishSelf', () => {
  test('reserves, activates with our pid, samples every interval, and releases as stale on stop', async () => {
    temp = tempRegistry();
    const { clock, source, nowMs, monotonicMs } = simulated();
    const { logger } = captureLogger();
    const publisher = publishSelf({
      registry: temp.registry, sandboxId: 11, name: 'runtime', runId: 99, intervalMs: 500,
      source, clock, nowMs, monotonicMs, logger, memoryLimitBytes: 1 << 30,
    });
    const row = temp.registry.lookup(11);
    expect(row).toMatchObject({ state: 'active', runId: 99, pid: process.pid, name: 'runtime', memoryLimitBytes: 1 << 30, sampledAtMs: nowMs() });
    clock.increment(500);
    expect(temp.registry.lookup(11)?.cpuPercent).toBeCloseTo(50, 3);
    publisher.setIntervalMs(250);
    clock.increment(250);
    expect(temp.registry.lookup(11)?.sampledAtMs).toBe(nowMs());
    await expect(publisher.stop()).resolves.toEqual({ reason: 'stopped', samplesWritten: 3 });
    expect(temp.registry.lookup(11)?.state).toBe('stale');
    // A registry we were given stays open.
    expect(temp.registry.closed).toBe(false);
  });

  test('ends with "reclaimed" when the host takes the slot back, and closes a registry it opened', async () => {
    const name = uniqueName();
    const { clock, source, nowMs, monotonicMs } = simulated();
    const { logger } = captureLogger();
    const publisher = publishSelf({ registry: name, sandboxId: 12, name: 'rt', runId: 5, source, clock, nowMs, monotonicMs, logger });
    const host = Registry.open(name);
    try {
      expect(host.releaseByIdentity({ runId: 5 }, 'stale')).toBe(true);
      clock.increment(1000);
      await expect(publisher.done).resolves.toEqual({ reason: 'reclaimed', samplesWritten: 1 });
      expect(host.lookup(12)?.state).toBe('stale');
    } finally {
      host.close();
    }
  });

  test('refuses bad options with a typed error and leaves no slot behind', () => {
    temp = tempRegistry();
    const { source } = simulated();
    const attempts: Array<Record<string, unknown>> = [
      { intervalMs: 0 },
      { intervalMs: Number.NaN },
      { pid: -4 },
      { name: 'x'.repeat(200) },
    ];
    for (const bad of attempts) {
      try {
        publishSelf({ registry: temp.registry, sandboxId: 1, name: 'ok', runId: 1, source, ...bad });
        expect.unreachable();
      } catch (error) {
        expect(isSandmeterError(error, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
      }
    }
    expect(temp.registry.usage()).toEqual({ free: temp.registry.capacity, reserved: 0, active: 0, stale: 0 });
  });

  test('gives the reservation back when the registry is full', () => {
    temp = tempRegistry(1);
    const { source, clock, nowMs, monotonicMs } = simulated();
    const { logger } = captureLogger();
    const first = publishSelf({ registry: temp.registry, sandboxId: 1, name: 'a', runId: 1, source, clock, nowMs, monotonicMs, logger });
    publishers.push(first);
    try {
      publishSelf({ registry: temp.registry, sandboxId: 2, name: 'b', runId: 2, source, clock, nowMs, monotonicMs, logger });
      expect.unreachable();
    } catch (error) {
      expect(isSandmeterError(error, 'SANDMETER_REGISTRY_FULL')).toBe(true);
    }
    expect(temp.registry.usage()).toMatchObject({ active: 1, reserved: 0 });
  });
});

describe('a self-publishing runtime process', () => {
  test('publishes its own slot and releases it as stale when told to stop', async () => {
    const name = uniqueName();
    const child = spawnTracked(process.execPath, [SELF_PUBLISHER, name, '21', '210']);
    await waitForLine(child, /^publishing \d+$/);
    const reader = Registry.open(name);
    try {
      const row = await eventually(() => {
        const r = reader.lookup(21);
        return r !== undefined && r.cpuPercent !== undefined ? r : undefined;
      });
      expect(row).toMatchObject({ state: 'active', pid: child.pid, runId: 210, name: 'self-21' });
      expect(row.memoryBytes).toBeGreaterThan(0);
      child.stdin?.write('stop\n');
      const done = await waitForLine(child, /^done /);
      expect(JSON.parse(done.slice(5))).toMatchObject({ reason: 'stopped' });
      await exited(child);
      expect(reader.usage()).toMatchObject({ active: 0, stale: 1 });
      expect(reader.lookup(21)?.state).toBe('stale');
    } finally {
      reader.close();
    }
  });

  test('releases its slot on process exit even without stop', async () => {
    const name = uniqueName();
    const child = spawnTracked(process.execPath, [SELF_PUBLISHER, name, '22', '220']);
    await waitForLine(child, /^publishing \d+$/);
    const reader = Registry.open(name);
    try {
      await eventually(() => reader.lookup(22));
      child.stdin?.write('exit\n');
      await exited(child);
      // Released by the exit hook, not merely demoted by a reader (usage() does not demote).
      expect(reader.usage()).toMatchObject({ active: 0, stale: 1 });
    } finally {
      reader.close();
    }
  });
});
