import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { isSandmeterError } from '@sandmeter/registry';
import { fleetLines, runExport } from '../src/index.js';
import { cleanupRegistries, freshRegistry, fullSample, startSandbox, waitFor } from './helpers.js';

afterEach(cleanupRegistries);

describe('stdout exporter', () => {
  it('prints one line per sandbox with state and every present value', () => {
    const reg = freshRegistry();
    startSandbox(reg, 'web one', 7, { startedAtMs: 1_000_000 }).write({ ...fullSample(1), sampledAtMs: 1_010_000 });
    const bare = startSandbox(reg, 'bare', 8);
    bare.write({});
    bare.release('stale');
    const lines = fleetLines(reg, {}, 1_010_500).sort();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^sandmeter name="bare" id=8 state=exited uptime=[\d.]+$/);
    expect(lines[1]).toBe(
      'sandmeter name="web one" id=7 state=running cpu.utilization=0.51 memory.usage=100000001 disk.bytes_read=1000 disk.bytes_written=2000 ' +
        'network.bytes_received=3000 network.bytes_sent=4000 upper.used=5001 upper.free=6001 upper.host_allocated=8192 uptime=10',
    );
  });

  it('runs until stopped, through runExport, to any stream', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'a', 1).write({ memoryBytes: 1 });
    const output = new PassThrough();
    let text = '';
    output.on('data', (b: Buffer) => (text += b.toString()));
    const handle = await runExport('stdout', { source: reg, intervalMs: 10, includeRunId: true, output, signals: false, logger: pino({ level: 'silent' }) });
    await waitFor('three lines', () => text.split('\n').length > 3);
    await handle.stop();
    const count = text.split('\n').length;
    await new Promise((r) => setTimeout(r, 50));
    expect(text.split('\n').length).toBe(count); // stopped means stopped
    expect(text.split('\n')[0]).toMatch(/^sandmeter name="a" id=1 run_id=10 state=running memory\.usage=1 uptime=/);
  });

  it('fails with NotFoundError when the registry does not exist', async () => {
    let caught: unknown;
    try {
      await runExport('stdout', { registryName: '/sm-test-export-does-not-exist', signals: false, logger: pino({ level: 'silent' }) });
    } catch (err) {
      caught = err;
    }
    expect(isSandmeterError(caught, 'SANDMETER_NOT_FOUND')).toBe(true);
  });
});
