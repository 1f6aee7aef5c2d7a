// Pure transitions of one sandbox record.
import { describe, expect, it } from 'vitest';
import { end, toEnded, toStopping, withExitStatus } from '../src/sandbox-lifecycle.js';
import type { SandboxRecord } from '../src/types.js';

const base: SandboxRecord = {
  id: 1, name: 'a', pid: 10, cgroup: null, spawned: false, status: 'running', slot: 0, generation: 1, runId: 1, startedAtMs: 0,
  intervalMs: 1000, maxCpus: 1, memoryLimitBytes: 0, upperImagePath: null, labels: {}, end: null, samplesWritten: null,
};

describe('a sandbox record', () => {
  it('keeps the reason the host gave when the sampler ends', () => {
    const stopping = toStopping(base, end('unregistered', 5));
    expect(stopping.status).toBe('stopping');
    expect(toEnded(stopping, { reason: 'stopped', samplesWritten: 3 }, true, 6)).toMatchObject({ status: 'unregistered', end: { reason: 'unregistered', atMs: 5 }, samplesWritten: 3 });
    // Only a running record can start stopping.
    expect(toStopping(stopping, end('shutdown', 7))).toBe(stopping);
  });

  it("takes the sampler's reason when it ended on its own", () => {
    expect(toEnded(base, { reason: 'gone', samplesWritten: 1 }, true, 1).end?.reason).toBe('gone');
    expect(toEnded(base, { reason: 'reclaimed', samplesWritten: 1 }, true, 1).end?.reason).toBe('reclaimed');
    // Reclaimed because a reader demoted the slot of a dead owner: the sandbox is gone.
    expect(toEnded(base, { reason: 'reclaimed', samplesWritten: 1 }, false, 1).end?.reason).toBe('gone');
    expect(toEnded(base, undefined, true, 1).end?.reason).toBe('failed');
  });

  it('adds an exit code that arrives after the sampler saw the process gone', () => {
    const gone = toEnded(base, { reason: 'gone', samplesWritten: 1 }, false, 9);
    expect(withExitStatus(gone, 2, null, 10).end).toEqual({ reason: 'exited', atMs: 9, exitCode: 2, signal: null });
    const unregistered = toEnded(toStopping(base, end('unregistered', 1)), undefined, true, 2);
    expect(withExitStatus(unregistered, 2, null, 3)).toBe(unregistered);
  });
});
