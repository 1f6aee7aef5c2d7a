import { afterEach, describe, expect, it } from 'vitest';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { exportResource, SandboxMeter } from '../src/index.js';
import { cleanupRegistries, freshRegistry, startSandbox } from './helpers.js';

afterEach(cleanupRegistries);

const seriesOf = (rm: ResourceMetrics, metric: string) =>
  rm.scopeMetrics
    .flatMap((s) => s.metrics)
    .find((m) => m.descriptor.name === metric)
    ?.dataPoints.map((p) => [p.attributes['sandbox.name'], p.value])
    .sort() ?? [];

describe('SandboxMeter', () => {
  it('ships only live series and stays right across a rebuild of the SDK meter', async () => {
    const reg = freshRegistry();
    const meter = new SandboxMeter(reg, { resource: exportResource(reg.name), includeRunId: true, retiredSeriesLimit: 2 });
    try {
      const keep = startSandbox(reg, 'keep', 1);
      keep.write({ memoryBytes: 1, diskReadBytes: 10, diskWriteBytes: 0 });
      const runs = [1, 2, 3, 4].map((i) => startSandbox(reg, `run-${i}`, 100 + i));
      for (const w of runs) w.write({ memoryBytes: 2 });
      expect(seriesOf(await meter.collect(), 'sandmeter.memory.usage')).toHaveLength(5);

      for (const w of runs) w.release('free'); // four retired series: past the limit of 2, the meter is rebuilt
      keep.write({ memoryBytes: 3, diskReadBytes: 30, diskWriteBytes: 0 });
      expect(seriesOf(await meter.collect(), 'sandmeter.memory.usage')).toEqual([['keep', 3]]);

      keep.write({ memoryBytes: 4, diskReadBytes: 40, diskWriteBytes: 0 });
      const after = await meter.collect();
      expect(seriesOf(after, 'sandmeter.memory.usage')).toEqual([['keep', 4]]);
      expect(seriesOf(after, 'sandmeter.disk.bytes_read')).toEqual([['keep', 40]]);
    } finally {
      await meter.shutdown();
    }
  });

  it('fails a collection when the registry cannot be read, instead of shipping an empty fleet', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'x', 1).write({});
    const meter = new SandboxMeter(reg, { resource: exportResource(undefined) });
    reg.close();
    await expect(meter.collect()).rejects.toMatchObject({ code: 'SANDMETER_CLOSED' });
    await meter.shutdown();
  });
});
