// The embedded host with real processes and a real registry.
import { describe, expect, it } from 'vitest';
import { child, exited, sleeper, startHost, until } from './helpers.js';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('an embedded host', () => {
  it('samples a registered process into its slot and lists it as running', async () => {
    const host = await startHost();
    const p = sleeper();
    const record = host.register({ name: 'sleepy', pid: p.pid as number, labels: { team: 'a' }, memoryLimitBytes: 1 << 20 });
    expect(record).toMatchObject({ id: 1, name: 'sleepy', status: 'running', pid: p.pid, labels: { team: 'a' } });
    const row = await until(() => host.registry.snapshot().find((r) => r.name === 'sleepy'), 'a first sample');
    expect(row).toMatchObject({ state: 'active', sandboxId: 1, pid: p.pid, memoryLimitBytes: 1 << 20, runId: record.runId });
    expect(host.list().map((r) => r.status)).toEqual(['running']);
    expect(host.actorCount().samplers).toBe(1);
  });

  it('refuses a name that is running (SANDMETER_NAME_TAKEN) and accepts it again once that sandbox exited', async () => {
    const host = await startHost();
    const a = sleeper();
    const first = host.register({ name: 'web', pid: a.pid as number });
    const b = sleeper();
    expect(codeOf(() => host.register({ name: 'web', pid: b.pid as number }))).toBe('SANDMETER_NAME_TAKEN');
    expect(codeOf(() => host.register({ id: first.id, name: 'other', pid: b.pid as number }))).toBe('SANDMETER_ID_TAKEN');
    a.kill('SIGKILL');
    await until(() => host.get(first.id)?.status === 'exited', 'the first one to exit');
    const second = host.register({ name: 'web', pid: b.pid as number });
    expect(second.id).not.toBe(first.id);
    expect(second.runId).not.toBe(first.runId);
    expect(host.list().map((r) => [r.name, r.status])).toEqual([
      ['web', 'exited'],
      ['web', 'running'],
    ]);
  });

  it('sees a spawned process exit at once, with its exit code', async () => {
    const host = await startHost();
    const s = await host.spawn({ command: process.execPath, args: ['-e', 'setTimeout(() => process.exit(3), 300)'], name: 'three', stdio: 'ignore' });
    expect(s.record.spawned).toBe(true);
    await s.exited;
    const ended = await host.waitForEnd(s.record.id);
    expect(ended.status).toBe('exited');
    expect(ended.end).toMatchObject({ reason: 'exited', exitCode: 3, signal: null });
    const row = host.registry.read(ended.slot);
    expect(row?.state).toBe('stale');
    expect(row?.runId).toBe(ended.runId);
  });

  it('detects the exit of a process it did not spawn by polling its pid', async () => {
    const host = await startHost();
    const p = sleeper();
    const r = host.register({ name: 'external', pid: p.pid as number });
    await until(() => host.registry.read(r.slot)?.sampledAtMs, 'a sample');
    p.kill('SIGKILL');
    await exited(p);
    const ended = await until(() => (host.get(r.id)?.status === 'exited' ? host.get(r.id) : undefined), 'the exit');
    expect(ended?.end?.reason).toBe('gone');
    expect(host.registry.usage()).toMatchObject({ active: 0, reserved: 0, stale: 1 });
    expect(host.actorCount().samplers).toBe(0);
  });

  it('unregisters: the sampler stops, the slot keeps its last sample as stale', async () => {
    const host = await startHost();
    const p = sleeper();
    const r = host.register({ name: 'bye', pid: p.pid as number });
    await until(() => host.registry.read(r.slot)?.sampledAtMs, 'a sample');
    const ended = await host.unregister(r.id);
    expect(ended).toMatchObject({ status: 'unregistered', end: { reason: 'unregistered' } });
    expect(host.registry.read(r.slot)?.state).toBe('stale');
    expect(host.actorCount()).toEqual({ total: 2, samplers: 0 }); // the host and its liveness poller
    // Idempotent on an ended sandbox; unknown ids are typed errors.
    expect((await host.unregister(r.id)).status).toBe('unregistered');
    await expect(host.unregister(999)).rejects.toMatchObject({ code: 'SANDMETER_SANDBOX_NOT_FOUND' });
  });

  it('rejects bad registrations with typed errors and leaves no slot behind', async () => {
    const host = await startHost();
    expect(codeOf(() => host.register({ name: 'x' } as never))).toBe('SANDMETER_VALIDATION_FAILED');
    expect(codeOf(() => host.register({ name: 'x', pid: 1, bogus: 1 } as never))).toBe('SANDMETER_VALIDATION_FAILED');
    expect(codeOf(() => host.register({ name: 'x', pid: 0x7ffffff0 }))).toBe('SANDMETER_PROCESS_NOT_FOUND');
    expect(codeOf(() => host.register({ name: 'x', cgroup: '/no/such/cgroup-here' }))).toBe('SANDMETER_CGROUP_NOT_FOUND');
    const p = sleeper();
    // 128 characters but more than 128 bytes of UTF-8: the registry's check.
    expect(codeOf(() => host.register({ name: 'é'.repeat(100), pid: p.pid as number }))).toBe('SANDMETER_INVALID_ARGUMENT');
    expect(host.registry.usage()).toMatchObject({ active: 0, reserved: 0, stale: 0 });
    expect(host.list()).toEqual([]);
  });

  it('says SANDMETER_REGISTRY_FULL when every slot is taken, and recovers when one frees', async () => {
    const host = await startHost({ capacity: 2 });
    const ps = [sleeper(), sleeper(), sleeper()];
    const a = host.register({ name: 'a', pid: ps[0]?.pid as number });
    host.register({ name: 'b', pid: ps[1]?.pid as number });
    expect(codeOf(() => host.register({ name: 'c', pid: ps[2]?.pid as number }))).toBe('SANDMETER_REGISTRY_FULL');
    await host.unregister(a.id);
    // A stale slot is reused when no free one is left.
    expect(host.register({ name: 'c', pid: ps[2]?.pid as number }).slot).toBe(a.slot);
  });

  it('stop() stops every sampler, keeps every last sample as stale, and ends spawned processes', async () => {
    const host = await startHost();
    const p = sleeper();
    const ext = host.register({ name: 'ext', pid: p.pid as number });
    const s = await host.spawn({ command: 'sleep', args: ['60'], name: 'mine', stdio: 'ignore' });
    await until(() => host.registry.snapshot().filter((r) => r.sampledAtMs > 0).length === 2, 'two samples');
    const registry = host.registry;
    const before = registry.snapshot();
    await host.stop();
    expect(registry.closed).toBe(true);
    expect(host.list().map((r) => [r.name, r.status, r.end?.reason])).toEqual([
      ['ext', 'exited', 'shutdown'],
      ['mine', 'exited', 'shutdown'],
    ]);
    expect((await exited(s.child)).signal).toBe('SIGTERM');
    expect(p.exitCode).toBe(null); // not ours to end
    expect(before.map((r) => r.state)).toEqual(['active', 'active']);
    expect(ext.slot).toBe(0);
    expect(codeOf(() => host.register({ name: 'late', pid: p.pid as number }))).toBe('SANDMETER_SHUTTING_DOWN');
  });

  it('keeps the sample in the slot readable after stop (a second mapping sees it stale)', async () => {
    const { Registry } = await import('@sandmeter/registry');
    const host = await startHost();
    const p = child('sleep', ['60']);
    const r = host.register({ name: 'kept', pid: p.pid as number });
    const sampled = await until(() => host.registry.read(r.slot)?.sampledAtMs, 'a sample');
    const name = host.registry.name;
    await host.stop();
    const reg = Registry.open(name);
    try {
      const row = reg.read(r.slot);
      expect(row).toMatchObject({ state: 'stale', name: 'kept', runId: r.runId });
      expect(row?.sampledAtMs).toBeGreaterThanOrEqual(sampled);
      expect(reg.usage()).toMatchObject({ active: 0, reserved: 0, stale: 1 });
    } finally {
      reg.close();
    }
  });
});
