import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { isSandmeterError } from '@sandmeter/registry';
import { procfsSource } from '../src/sources/procfs.js';
import { processTreeMembers } from '../src/sources/process-tree.js';
import type { Metrics, Reading } from '../src/sources/types.js';
import { eventually, exited, killAll, spawnTracked, waitForLine } from './helpers/children.js';
import { enableTaskChildren, writeFakeProcess, writeTaskChildren } from './helpers/proc-fixture.js';
import { RELIST_EVERY } from '../src/sources/task-children.js';

afterEach(killAll);

function metricsOf(reading: Reading): Metrics {
  if (reading.status !== 'ok') throw new Error(`expected a reading, got gone: ${reading.reason}`);
  return reading.metrics;
}

function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // Spin: the point is to use CPU.
  }
}

describe('procfsSource on live processes', () => {
  test('reads this process: CPU time, RSS and disk bytes; no network in the host namespace', () => {
    const source = procfsSource({ pid: process.pid });
    try {
      expect([...source.fields].sort()).toEqual(
        ['cpuTimeNs', 'diskReadBytes', 'diskWriteBytes', 'memoryBytes', 'memoryHostResidentBytes'].sort(),
      );
      const before = metricsOf(source.read());
      const cpuBefore = process.cpuUsage();
      burn(300);
      const used = process.cpuUsage(cpuBefore);
      const after = metricsOf(source.read());
      const deltaNs = Number(after.cpuTimeNs) - Number(before.cpuTimeNs);
      // Clock ticks are 10 ms: allow two ticks either way.
      expect(Math.abs(deltaNs - (used.user + used.system) * 1000)).toBeLessThanOrEqual(20_000_000);
      const rss = process.memoryUsage().rss;
      expect(Number(after.memoryBytes)).toBeGreaterThan(rss * 0.5);
      expect(Number(after.memoryBytes)).toBeLessThan(rss * 2);
      expect(after.memoryHostResidentBytes).toBe(after.memoryBytes);
      expect(after.netRxBytes).toBeUndefined();
      expect(after.netTxBytes).toBeUndefined();
    } finally {
      source.close();
    }
  });

  test('says gone, not throws, when the process exits; and stays gone', async () => {
    const child = spawnTracked('sleep', ['30']);
    const source = procfsSource({ pid: child.pid as number });
    expect(source.read().status).toBe('ok');
    child.kill('SIGKILL');
    await exited(child);
    expect(source.read()).toEqual({ status: 'gone', reason: 'process exited' });
    expect(source.read().status).toBe('gone');
  });

  test('says gone for a pid that does not exist', () => {
    const source = procfsSource({ pid: 0x7ffffffe, keepOpen: false });
    expect(source.read().status).toBe('gone');
  });

  test('refuses a pid that is not a process id with a typed error', () => {
    for (const pid of [0, -1, 1.5, Number.NaN, 2 ** 40]) {
      try {
        procfsSource({ pid });
        expect.unreachable();
      } catch (error) {
        expect(isSandmeterError(error, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
      }
    }
  });

  test('gives the same figures with and without held descriptors', () => {
    const pinned = procfsSource({ pid: process.pid });
    const plain = procfsSource({ pid: process.pid, keepOpen: false });
    try {
      const a = metricsOf(pinned.read());
      const b = metricsOf(plain.read());
      expect(Math.abs(Number(a.cpuTimeNs) - Number(b.cpuTimeNs))).toBeLessThanOrEqual(50_000_000);
      expect(Math.abs(Number(a.memoryBytes) - Number(b.memoryBytes))).toBeLessThan(16 * 1024 * 1024);
    } finally {
      pinned.close();
      plain.close();
    }
  });

  test('a tree counts descendants, including the CPU time of reaped children', async () => {
    const shell = spawnTracked('sh', [
      '-c',
      // A CPU-bound subshell that exits (and is reaped by sh), then two sleepers.
      'i=0; (while [ $i -lt 400000 ]; do i=$((i+1)); done); echo burned; sleep 30 & sleep 30 & echo ready; wait',
    ], { detached: true });
    await waitForLine(shell, /ready/);
    const pid = shell.pid as number;
    // Wait until both sleepers have exec'd (a fork mid-exec has no settled memory yet).
    await eventually(() => {
      const children = processTreeMembers(pid).slice(1);
      const comms = children.map((child) => {
        try {
          return readFileSync(`/proc/${child}/comm`, 'latin1').trim();
        } catch {
          return '';
        }
      });
      return comms.length === 2 && comms.every((c) => c === 'sleep') ? true : undefined;
    });
    const tree = procfsSource({ pid, tree: true });
    const single = procfsSource({ pid });
    try {
      const t = metricsOf(tree.read());
      const s = metricsOf(single.read());
      expect(Number(t.memoryBytes)).toBeGreaterThan(Number(s.memoryBytes));
      // The burner's time moved into sh's cutime when sh reaped it.
      expect(Number(t.cpuTimeNs)).toBeGreaterThanOrEqual(Number(s.cpuTimeNs) + 50_000_000);
    } finally {
      tree.close();
      single.close();
    }
  });

  test('reads network counters of a process in a namespace of its own', async (ctx) => {
    if (spawnSync('unshare', ['-n', 'true']).status !== 0) ctx.skip();
    const child = spawnTracked('unshare', ['-n', 'sleep', '30']);
    const pid = child.pid as number;
    // unshare execs sleep in the new namespace: wait until it has.
    const hostNs = statSync('/proc/self/ns/net').ino;
    for (let k = 0; k < 200 && statSync(`/proc/${pid}/ns/net`).ino === hostNs; k++) await new Promise((r) => setTimeout(r, 10));
    const source = procfsSource({ pid });
    try {
      expect(source.fields.has('netRxBytes')).toBe(true);
      const m = metricsOf(source.read());
      // Only loopback exists in a fresh namespace, and loopback is not counted.
      expect(m.netRxBytes).toBe(0);
      expect(m.netTxBytes).toBe(0);
    } finally {
      source.close();
    }
  });
});

describe('procfsSource on a fixture /proc', () => {
  let procRoot: string;
  let hostNs: number;
  beforeEach(() => {
    procRoot = mkdtempSync(join(tmpdir(), 'sm-sampler-proc-'));
    writeFakeProcess(procRoot, 1, { comm: 'init', ppid: 0 });
    hostNs = statSync(join(procRoot, 'namespaces', 'host')).ino;
  });
  afterEach(() => {
    rmSync(procRoot, { recursive: true, force: true });
  });

  const options = () => ({ procRoot, hostNetNamespace: hostNs, keepOpen: false, pageSize: 4096, clockTicksPerSec: 100 });

  test('converts ticks to ns and pages to bytes', () => {
    writeFakeProcess(procRoot, 100, { utime: 250, stime: 50, cutime: 1000, rssPages: 256, io: { readBytes: 4096, writeBytes: 8192 } });
    const m = metricsOf(procfsSource({ pid: 100, ...options() }).read());
    // A single process counts its own times only.
    expect(m).toEqual({
      cpuTimeNs: 3_000_000_000,
      memoryBytes: 1_048_576,
      memoryHostResidentBytes: 1_048_576,
      diskReadBytes: 4096,
      diskWriteBytes: 8192,
    });
  });

  test('sums a tree found by parent pid, leaving other processes out', () => {
    writeFakeProcess(procRoot, 100, { utime: 100, cutime: 50, rssPages: 10, io: { readBytes: 1, writeBytes: 2 } });
    writeFakeProcess(procRoot, 101, { ppid: 100, stime: 200, rssPages: 20, io: { readBytes: 10, writeBytes: 20 } });
    writeFakeProcess(procRoot, 102, { ppid: 101, utime: 300, rssPages: 30, io: { readBytes: 100, writeBytes: 200 } });
    writeFakeProcess(procRoot, 200, { ppid: 1, utime: 9999, rssPages: 9999, io: { readBytes: 9999, writeBytes: 9999 } });
    expect(processTreeMembers(100, procRoot).sort()).toEqual([100, 101, 102]);
    const m = metricsOf(procfsSource({ pid: 100, tree: true, ...options() }).read());
    expect(m).toMatchObject({ cpuTimeNs: 6_500_000_000, memoryBytes: 60 * 4096, diskReadBytes: 111, diskWriteBytes: 222 });
  });

  test('follows per-task children files, listing the tasks again when the thread count changes', () => {
    enableTaskChildren(procRoot);
    writeFakeProcess(procRoot, 100, { rssPages: 1 });
    writeFakeProcess(procRoot, 101, { ppid: 100, rssPages: 10 });
    writeFakeProcess(procRoot, 102, { ppid: 100, rssPages: 100 });
    writeFakeProcess(procRoot, 103, { ppid: 101, rssPages: 1000 });
    writeTaskChildren(procRoot, 100, 100, [101]);
    writeTaskChildren(procRoot, 101, 101, []);
    const source = procfsSource({ pid: 100, tree: true, ...options(), keepOpen: true });
    try {
      expect(metricsOf(source.read()).memoryBytes).toBe(11 * 4096);
      // A new child of a known task shows at the next read.
      writeTaskChildren(procRoot, 101, 101, [103]);
      expect(metricsOf(source.read()).memoryBytes).toBe(1011 * 4096);
      // A second thread with a child of its own: its stat's thread count says list again.
      writeTaskChildren(procRoot, 100, 1001, [102]);
      writeFakeProcess(procRoot, 100, { rssPages: 1, threads: 2 });
      expect(metricsOf(source.read()).memoryBytes).toBe(1111 * 4096);
      // One thread gone and another come, same count: found within RELIST_EVERY reads.
      // (A dead thread's children file reads empty; the file itself stays pinned.)
      writeTaskChildren(procRoot, 100, 1001, []);
      rmSync(join(procRoot, '100', 'task', '1001'), { recursive: true });
      writeTaskChildren(procRoot, 100, 1002, [102]);
      let memory = 0;
      for (let k = 0; k < RELIST_EVERY && memory !== 1111 * 4096; k++) memory = Number(metricsOf(source.read()).memoryBytes);
      expect(memory).toBe(1111 * 4096);
    } finally {
      source.close();
    }
  });

  test('leaves disk bytes absent when the io file cannot be read', () => {
    writeFakeProcess(procRoot, 100, { utime: 1, io: 'denied' });
    const source = procfsSource({ pid: 100, ...options() });
    expect(source.fields.has('diskReadBytes')).toBe(false);
    const m = metricsOf(source.read());
    expect('diskReadBytes' in m).toBe(false);
    expect('diskWriteBytes' in m).toBe(false);
  });

  test('leaves a tree\'s disk bytes absent when one member\'s io is unreadable (no partial sums)', () => {
    writeFakeProcess(procRoot, 100, { io: { readBytes: 1, writeBytes: 2 } });
    writeFakeProcess(procRoot, 101, { ppid: 100, io: 'denied' });
    const m = metricsOf(procfsSource({ pid: 100, tree: true, ...options() }).read());
    expect(m.diskWriteBytes).toBeUndefined();
    expect(m.cpuTimeNs).toBe(0);
  });

  test('reads network only in a namespace other than the host\'s, without loopback', () => {
    writeFakeProcess(procRoot, 100, { netNs: 'sandbox', netDev: [['lo', 5000, 5000], ['eth0', 1200, 3400]] });
    writeFakeProcess(procRoot, 101, { netNs: 'host', netDev: [['lo', 5000, 5000], ['eth0', 777, 888]] });
    const own = procfsSource({ pid: 100, ...options() });
    const shared = procfsSource({ pid: 101, ...options() });
    expect(metricsOf(own.read())).toMatchObject({ netRxBytes: 1200, netTxBytes: 3400 });
    expect(shared.fields.has('netRxBytes')).toBe(false);
    expect(metricsOf(shared.read()).netRxBytes).toBeUndefined();
    expect(procfsSource({ pid: 100, network: false, ...options() }).fields.has('netRxBytes')).toBe(false);
  });

  test('says gone for a zombie', () => {
    writeFakeProcess(procRoot, 100, { state: 'Z' });
    expect(procfsSource({ pid: 100, ...options() }).read()).toEqual({ status: 'gone', reason: 'process exited' });
  });

  test('says gone when the pid was reused by another process', () => {
    writeFakeProcess(procRoot, 100, { starttime: 1000, utime: 5 });
    const source = procfsSource({ pid: 100, ...options() });
    expect(source.read().status).toBe('ok');
    writeFakeProcess(procRoot, 100, { starttime: 2000, utime: 1 });
    expect(source.read()).toEqual({ status: 'gone', reason: 'process exited (pid reused)' });
    // Sticky: the new process is not ours, whatever it says later.
    writeFakeProcess(procRoot, 100, { starttime: 1000, utime: 5 });
    expect(source.read().status).toBe('gone');
  });

  test('says gone when the process directory disappears', () => {
    writeFakeProcess(procRoot, 100, {});
    const source = procfsSource({ pid: 100, ...options() });
    rmSync(join(procRoot, '100'), { recursive: true });
    expect(source.read().status).toBe('gone');
  });
});

describe('processTreeMembers', () => {
  test('finds every child of a process with hundreds of children (a listing longer than a page)', async () => {
    const count = 800;
    const shell = spawnTracked('sh', ['-c', `i=0; while [ $i -lt ${count} ]; do sleep 600 & i=$((i+1)); done; echo ready; wait`], { detached: true });
    await waitForLine(shell, /ready/);
    const members = processTreeMembers(shell.pid as number);
    expect(members[0]).toBe(shell.pid);
    expect(new Set(members).size).toBe(count + 1);
  });
});
