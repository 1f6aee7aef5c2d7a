// End to end: SIGTERM while sampling leaves every slot stale with its last
// sample, the socket gone, and no process behind.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, alive, exited, openRegistry, startHostProcess, track, uniqueName, until } from './helpers/host-process.js';

describe('shutdown', () => {
  it('SIGTERM to `sandmeter host` during sampling leaves every slot stale with its last sample', async () => {
    const host = await startHostProcess('shutdown', ['--interval', '100']);
    const procs = Array.from({ length: 8 }, () => track(spawn('sleep', ['120'], { stdio: 'ignore' })));
    for (const [i, p] of procs.entries()) await host.client.register({ name: `s-${i}`, pid: p.pid as number });
    const reg = openRegistry(host.registry);
    try {
      // Several samples in, so the last one is clearly the host's final write.
      const seen = await until(() => {
        const rows = reg.snapshot();
        return rows.length === 8 && rows.every((r) => r.uptimeMs >= 300) ? rows : undefined;
      }, 'a few samples of each');
      host.proc.kill('SIGTERM');
      expect((await exited(host.proc)).code).toBe(0);
      const after = reg.snapshot();
      expect(after).toHaveLength(8);
      for (const row of after) {
        const before = seen.find((r) => r.slot === row.slot);
        expect(row.state).toBe('stale');
        expect(row.runId).toBe(before?.runId);
        expect(row.sampledAtMs).toBeGreaterThanOrEqual(before?.sampledAtMs ?? Infinity);
        expect(row.memoryBytes).toBeGreaterThan(0);
      }
      expect(reg.usage()).toMatchObject({ active: 0, reserved: 0, stale: 8 });
    } finally {
      reg.close();
    }
    expect(existsSync(host.socketPath)).toBe(false);
    expect(alive(host.proc.pid as number)).toBe(false);
    expect(host.log()).toContain('"event":"host.stopped"');
  });

  it('SIGTERM to an in-process `sandmeter run` ends its command and leaves the slot stale', async () => {
    const registry = uniqueName('run-term');
    const run = track(
      spawn(process.execPath, [CLI, 'run', '--in-process', '--registry', registry, '--name', 'victim', '--interval', '100', '--', 'sleep', '120'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    let stderr = '';
    run.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const row = await until(() => {
      try {
        const reg = openRegistry(registry);
        try {
          return reg.snapshot().find((r) => r.name === 'victim' && r.uptimeMs >= 200);
        } finally {
          reg.close();
        }
      } catch {
        return undefined;
      }
    }, 'the command to be sampled');
    run.kill('SIGTERM');
    const { code } = await exited(run);
    expect(code).toBe(143); // the command's death by SIGTERM, passed on
    expect(alive(row.pid)).toBe(false);
    expect(stderr).toContain('was killed by SIGTERM');
    const reg = openRegistry(registry);
    try {
      expect(reg.snapshot().map((r) => [r.name, r.state])).toEqual([['victim', 'stale']]);
      expect(reg.usage()).toMatchObject({ active: 0, reserved: 0 });
    } finally {
      reg.close();
    }
  });
});
