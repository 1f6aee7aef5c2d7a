// Scenario: heap held per buffered collection while the backend is down.
import { pino } from 'pino';
import { OtelCollector } from '@sandmeter/export';
import type { Fleet } from './fleet.js';
import { liveHeapMiB, sleep } from './stats.js';

export async function bufferHeap(fleet: Fleet, collections: number): Promise<number> {
  // Port 9 (discard) on loopback: nothing listens, every export fails at once.
  const down = new OtelCollector(fleet.registry, {
    endpoint: 'http://127.0.0.1:9/v1/metrics',
    bufferSize: collections + 1,
    exportTimeoutMs: 100,
    backoff: { initialMs: 3_600_000, maxMs: 3_600_000 },
    logger: pino({ level: 'silent' }),
  });
  await down.collectNow();
  await sleep(300); // the first export fails; the backoff then holds everything
  const before = liveHeapMiB();
  for (let i = 0; i < collections; i++) await down.collectNow();
  const perCollection = (liveHeapMiB() - before) / collections;
  await down.drain();
  return perCollection;
}
