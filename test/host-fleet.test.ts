// End to end: `sandmeter host` as a process, 20 real child processes
// registered over its socket, then some SIGKILLed, some exiting cleanly and
// some unregistered. The fleet, the capacity accounting and the actor count
// must each show exactly that.
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { alive, exited, openRegistry, startHostProcess, track, until } from './helpers/host-process.js';

interface Sandbox {
  name: string;
  proc: ChildProcess;
  id: number;
}

describe('a host process with 20 sandboxes', () => {
  it('shows exactly which are running and which exited, leaks no slot and no actor', async () => {
    const host = await startHostProcess('fleet', ['--interval', '200']);
    const sandboxes: Sandbox[] = [];
    for (let i = 0; i < 20; i++) {
      // Group "clean" (5..9) ends by itself with code 0 when its stdin closes.
      const clean = i >= 5 && i < 10;
      const proc = track(spawn('sh', ['-c', clean ? 'read line; exit 0' : 'exec sleep 120'], { stdio: [clean ? 'pipe' : 'ignore', 'ignore', 'ignore'] }));
      const record = await host.client.register({ name: `box-${i}`, pid: proc.pid as number, maxCpus: 1, intervalMs: 200 });
      sandboxes.push({ name: `box-${i}`, proc, id: record.id });
    }
    await until(async () => {
      const res = await host.client.request('GET', '/v1/metrics');
      return (res.body as { sandboxes: unknown[] }).sandboxes.length === 20;
    }, 'a sample of all 20');

    const killed = sandboxes.slice(0, 5);
    const clean = sandboxes.slice(5, 10);
    const unregistered = sandboxes.slice(10, 15);
    const running = sandboxes.slice(15);
    for (const s of killed) s.proc.kill('SIGKILL');
    for (const s of clean) s.proc.stdin?.end('\n');
    for (const s of unregistered) {
      const res = await host.client.request('DELETE', `/v1/sandboxes/${s.id}`);
      expect(res.status).toBe(200);
    }
    for (const s of [...killed, ...clean]) await exited(s.proc);

    const byName = await until(async () => {
      const list = await host.client.list();
      const settled = list.every((r) => r.status !== 'stopping') && list.filter((r) => r.status === 'exited').length === 10;
      return settled ? new Map(list.map((r) => [r.name, r])) : undefined;
    }, 'the host to see every exit');
    for (const s of [...killed, ...clean]) expect(byName.get(s.name)?.status).toBe('exited');
    for (const s of unregistered) expect(byName.get(s.name)?.status).toBe('unregistered');
    for (const s of running) expect(byName.get(s.name)?.status).toBe('running');

    // The fleet as readers see it: running rows are exactly the five left.
    const fleet = (await host.client.request('GET', '/v1/metrics')).body as { sandboxes: Array<{ name: string; state: string; sampledAtMs: number }> };
    const states = new Map(fleet.sandboxes.map((r) => [r.name, r.state]));
    expect(fleet.sandboxes).toHaveLength(20);
    for (const s of running) expect(states.get(s.name)).toBe('running');
    for (const s of [...killed, ...clean, ...unregistered]) expect(states.get(s.name)).toBe('exited');

    // Capacity accounting from a separate mapping: 5 active, 15 stale, nothing reserved.
    const reg = openRegistry(host.registry);
    try {
      expect(reg.usage()).toEqual({ free: 64 - 20, reserved: 0, active: 5, stale: 15 });
    } finally {
      reg.close();
    }
    // Actors: the host, its liveness poller, and per running sandbox a sampler and its sample port.
    const health = (await host.client.request('GET', '/healthz')).body as { actors: { total: number; samplers: number }; sandboxes: Record<string, number> };
    expect(health.actors).toEqual({ total: 2 + 2 * running.length, samplers: running.length });
    expect(health.sandboxes).toEqual({ running: 5, stopping: 0, exited: 10, unregistered: 5 });

    // Names of ended sandboxes can be used again; running ones cannot.
    const again = await host.client.request('POST', '/v1/sandboxes', { name: 'box-0', pid: running[0]?.proc.pid });
    expect(again.status).toBe(201);
    const taken = await host.client.request('POST', '/v1/sandboxes', { name: 'box-15', pid: running[0]?.proc.pid });
    expect(taken.status).toBe(409);
    expect((taken.body as { error: { code: string } }).error.code).toBe('SANDMETER_NAME_TAKEN');

    host.proc.kill('SIGTERM');
    expect((await exited(host.proc)).code).toBe(0);
    expect(alive(host.proc.pid as number)).toBe(false);
  });
});
