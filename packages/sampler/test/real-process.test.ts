// A real child, sampled through the procfs source into a real registry by
// the real machine on real timers: the figures must follow what it does.

import { afterEach, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createActor, type Actor } from 'xstate';
import { samplerMachine } from '../src/sampler.machine.js';
import { procfsSource } from '../src/sources/procfs.js';
import { systemCpuCount } from '../src/system-info.js';
import { activeSlot, tempRegistry, type TempRegistry } from './helpers/temp-registry.js';
import { captureLogger } from './helpers/capture-logger.js';
import { eventually, exited, killAll, spawnTracked, waitForLine } from './helpers/children.js';

const WORKLOAD = fileURLToPath(new URL('./fixtures/workload.mjs', import.meta.url));
const MiB = 1024 * 1024;

let temp: TempRegistry | undefined;
let actor: Actor<typeof samplerMachine> | undefined;
let dir: string | undefined;

afterEach(async () => {
  actor?.stop();
  await killAll();
  temp?.cleanup();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  actor = temp = dir = undefined;
});

test('CPU, RSS and disk writes of a real child show up in the registry as it works', async () => {
  dir = mkdtempSync(join(tmpdir(), 'sm-sampler-real-'));
  const child = spawnTracked(process.execPath, [WORKLOAD, join(dir, 'out.bin')]);
  await waitForLine(child, /^ready$/);
  temp = tempRegistry();
  const registry = temp.registry;
  const { writer } = activeSlot(registry, 7, 'workload');
  const { logger } = captureLogger();
  const maxCpus = systemCpuCount();
  actor = createActor(samplerMachine, {
    input: { writer, source: procfsSource({ pid: child.pid as number }), intervalMs: 250, maxCpus, logger },
  });
  actor.start();
  const first = await eventually(() => registry.lookup(7));
  expect(first.cpuPercent).toBeUndefined();

  // Burning: a sample while it spins shows about one core busy.
  child.stdin?.write('burn 6000\n');
  await waitForLine(child, /^burning$/);
  const seen: number[] = [];
  const busy = await eventually(() => {
    const cpu = registry.lookup(7)?.cpuPercent;
    if (cpu !== undefined) seen.push(cpu);
    return cpu !== undefined && cpu >= 50 ? cpu : undefined;
  });
  expect(busy).toBeLessThanOrEqual(110);
  expect(Math.max(...seen)).toBeLessThanOrEqual(Math.min(110, maxCpus * 100));
  await waitForLine(child, /^burned$/);

  // Allocating: RSS grows by about what it touched.
  const rssBefore = Number(registry.lookup(7)?.memoryBytes);
  child.stdin?.write('alloc 128\n');
  await waitForLine(child, /^allocated$/);
  const rssAfter = await eventually(() => {
    const rss = Number(registry.lookup(7)?.memoryBytes);
    return rss >= rssBefore + 100 * MiB ? rss : undefined;
  });
  expect(rssAfter).toBeLessThan(rssBefore + 512 * MiB);
  expect(registry.lookup(7)?.memoryHostResidentBytes).toBeGreaterThanOrEqual(rssBefore + 100 * MiB);

  // Writing: disk-write bytes grow by at least what it wrote and synced.
  const writtenBefore = Number(registry.lookup(7)?.diskWriteBytes);
  child.stdin?.write('write 16\n');
  await waitForLine(child, /^written$/);
  await eventually(() => {
    const written = Number(registry.lookup(7)?.diskWriteBytes);
    return written >= writtenBefore + 16 * MiB ? written : undefined;
  });

  // Exiting: the sampler sees the process gone, stops, and keeps the last sample readable.
  const sampledBeforeExit = registry.lookup(7)?.sampledAtMs ?? 0;
  child.stdin?.write('exit\n');
  await exited(child);
  const output = await eventually(() => (actor?.getSnapshot().status === 'done' ? actor.getSnapshot().output : undefined));
  expect(output?.reason).toBe('gone');
  expect(output?.samplesWritten).toBeGreaterThan(4);
  const last = registry.lookup(7);
  expect(last?.state).toBe('stale');
  expect(last?.sampledAtMs).toBeGreaterThanOrEqual(sampledBeforeExit);
});
