import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { isSandmeterError } from '@sandmeter/registry';
import { Reader } from '../src/index.js';
import { cleanupRegistries, freshRegistry, startSandbox } from './helpers.js';

afterEach(cleanupRegistries);

describe('Reader', () => {
  it('finds one sandbox by name or by id', () => {
    const reg = freshRegistry();
    const w = startSandbox(reg, 'web', { sandboxId: 41 });
    w.write({ memoryBytes: 1234 });
    startSandbox(reg, 'db', { sandboxId: 42 }).write({ memoryBytes: 99 });
    const reader = new Reader(reg);
    expect(reader.sandbox('web')?.metrics.memoryBytes).toBe(1234);
    expect(reader.sandbox(42)?.name).toBe('db');
    expect(reader.sandbox('nope')).toBeUndefined();
    expect(reader.sandbox(7)).toBeUndefined();
  });

  it('rejects a target that is neither a name nor an id, with a code', () => {
    const reader = new Reader(freshRegistry());
    for (const bad of ['', 1.5, Number.NaN, 2 ** 40, null]) {
      let caught: unknown;
      try {
        reader.sandbox(bad as string);
      } catch (err) {
        caught = err;
      }
      expect(isSandmeterError(caught, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
    }
  });

  it('rejects a bad interval and a non-registry source', () => {
    const reg = freshRegistry();
    expect(() => new Reader(reg, { intervalMs: 0 })).toThrow(/interval/);
    expect(() => new Reader({} as never)).toThrow(/Registry/);
  });

  it('reports running, stalled and exited', () => {
    const reg = freshRegistry();
    startSandbox(reg, 'fresh').write({});
    startSandbox(reg, 'quiet').write({ sampledAtMs: Date.now() - 10_000 });
    const gone = startSandbox(reg, 'gone');
    gone.write({ memoryBytes: 5 });
    gone.release('stale');
    const states = Object.fromEntries([...new Reader(reg).fleet()].map(([name, r]) => [name, r.state]));
    expect(states).toEqual({ fresh: 'running', quiet: 'stalled', gone: 'exited' });
    // Three intervals is the rule: a 10 s interval makes the quiet one fresh again.
    expect(new Reader(reg, { intervalMs: 10_000 }).sandbox('quiet')?.state).toBe('running');
  });

  it('shows the preserved last sample of an exited sandbox', () => {
    const reg = freshRegistry();
    const w = startSandbox(reg, 'job');
    w.write({ memoryBytes: 777, diskReadBytes: 10, diskWriteBytes: 20 });
    w.release('stale');
    const report = new Reader(reg).sandbox('job');
    expect(report?.state).toBe('exited');
    expect(report?.metrics.memoryBytes).toBe(777);
    expect(report?.metrics.diskWriteBytes).toBe(20);
  });

  it('never reports a sandbox whose owner died as running', () => {
    const reg = freshRegistry();
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    startSandbox(reg, 'crashed', { pid: deadPid }).write({ memoryBytes: 1 });
    expect(new Reader(reg).sandbox('crashed')?.state).toBe('exited');
  });

  it('keys the fleet by name and keeps the live row of a restarted sandbox', () => {
    const reg = freshRegistry();
    const old = startSandbox(reg, 'api', { sandboxId: 5, runId: 1 });
    old.write({ memoryBytes: 1 });
    old.release('stale');
    startSandbox(reg, 'api', { sandboxId: 5, runId: 2 }).write({ memoryBytes: 2 });
    const fleet = new Reader(reg).fleet();
    expect(fleet.size).toBe(1);
    expect(fleet.get('api')?.state).toBe('running');
    expect(fleet.get('api')?.metrics.runId).toBe(2);
    expect(new Reader(reg).sandbox('api')?.metrics.runId).toBe(2);
    expect(new Reader(reg).reports()).toHaveLength(2);
  });

  it('uses its clock for ages', () => {
    const reg = freshRegistry();
    startSandbox(reg, 'x').write({ sampledAtMs: 1_000_000 });
    const reader = new Reader(reg, { now: () => 1_002_500, intervalMs: 1000 });
    expect(reader.sandbox('x')).toMatchObject({ ageMs: 2500, state: 'running' });
    const later = new Reader(reg, { now: () => 1_003_001, intervalMs: 1000 });
    expect(later.sandbox('x')?.state).toBe('stalled');
  });
});
