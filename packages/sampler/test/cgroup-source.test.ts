import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSandmeterError } from '@sandmeter/registry';
import { cgroupSource } from '../src/sources/cgroup.js';
import { cgroupLocationOfPid, parseProcCgroup } from '../src/sources/cgroup-location.js';
import type { Metrics, Reading } from '../src/sources/types.js';
import { v2Cgroup, writeTree } from './helpers/cgroup-fixture.js';

function metricsOf(reading: Reading): Metrics {
  if (reading.status !== 'ok') throw new Error(`expected a reading, got gone: ${reading.reason}`);
  return reading.metrics;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sm-sampler-cgroup-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const IO_STAT = '8:0 rbytes=1000 wbytes=2000 rios=1 wios=2 dbytes=0 dios=0\n253:1 rbytes=30 wbytes=40 rios=1 wios=1 dbytes=0 dios=0\n';

describe('cgroup v2', () => {
  beforeEach(() => {
    writeTree(root, { 'cgroup.controllers': 'cpu io memory pids\n', 'cgroup.procs': '' });
  });

  test('reads CPU, memory current and limit, and I/O bytes', () => {
    writeTree(root, v2Cgroup('sandboxes/a', { usageUsec: 1_500_000, current: 300 * 1024 * 1024, max: String(512 * 1024 * 1024), io: IO_STAT }));
    const source = cgroupSource({ root, path: '/sandboxes/a' });
    expect([...source.fields].sort()).toEqual(
      ['cpuTimeNs', 'diskReadBytes', 'diskWriteBytes', 'memoryAvailableBytes', 'memoryBytes', 'memoryLimitBytes'].sort(),
    );
    expect(metricsOf(source.read())).toEqual({
      cpuTimeNs: 1_500_000_000,
      memoryBytes: 300 * 1024 * 1024,
      memoryLimitBytes: 512 * 1024 * 1024,
      memoryAvailableBytes: 212 * 1024 * 1024,
      diskReadBytes: 1030,
      diskWriteBytes: 2040,
    });
  });

  test('leaves limit and available absent when memory.max is "max"', () => {
    writeTree(root, v2Cgroup('a', { usageUsec: 1, current: 10, max: 'max', io: '' }));
    const m = metricsOf(cgroupSource({ root, path: 'a' }).read());
    expect(m.memoryBytes).toBe(10);
    expect('memoryAvailableBytes' in m).toBe(false);
    expect('memoryLimitBytes' in m).toBe(false);
    expect(m).toMatchObject({ diskReadBytes: 0, diskWriteBytes: 0 });
  });

  test('follows the counters as they change', () => {
    writeTree(root, v2Cgroup('a', { usageUsec: 1000, current: 10, max: 'max', io: IO_STAT }));
    const source = cgroupSource({ root, path: '/a' });
    expect(metricsOf(source.read()).cpuTimeNs).toBe(1_000_000);
    writeFileSync(join(root, 'a', 'cpu.stat'), 'usage_usec 2500\n');
    expect(metricsOf(source.read()).cpuTimeNs).toBe(2_500_000);
  });

  test('says gone when no process is left in the cgroup', () => {
    writeTree(root, v2Cgroup('a', { usageUsec: 1, current: 1, max: 'max', io: '', populated: 1 }));
    const source = cgroupSource({ root, path: '/a' });
    expect(source.read().status).toBe('ok');
    writeFileSync(join(root, 'a', 'cgroup.events'), 'populated 0\nfrozen 0\n');
    expect(source.read()).toEqual({ status: 'gone', reason: 'cgroup has no processes left' });
  });

  test('says gone when the cgroup is removed', () => {
    writeTree(root, v2Cgroup('a', { usageUsec: 1, current: 1, max: 'max', io: '' }));
    const source = cgroupSource({ root, path: '/a', keepOpen: false });
    rmSync(join(root, 'a'), { recursive: true });
    expect(source.read()).toEqual({ status: 'gone', reason: 'cgroup removed' });
  });

  test('refuses a cgroup with none of the files, with a typed error', () => {
    try {
      cgroupSource({ root, path: '/nowhere' });
      expect.unreachable();
    } catch (error) {
      expect(isSandmeterError(error, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe('cgroup v1', () => {
  beforeEach(() => {
    writeTree(root, {
      'cpu,cpuacct/cgroup.procs': '',
      'cpu,cpuacct/docker/abc/cgroup.procs': '',
      'cpu,cpuacct/docker/abc/cpuacct.usage': '987654321\n',
      'memory/cgroup.procs': '',
      'memory/docker/abc/cgroup.procs': '',
      'memory/docker/abc/memory.usage_in_bytes': '104857600\n',
      'memory/docker/abc/memory.limit_in_bytes': '268435456\n',
      'blkio/cgroup.procs': '',
      'blkio/docker/abc/cgroup.procs': '',
      'blkio/docker/abc/blkio.throttle.io_service_bytes':
        '8:0 Read 4096\n8:0 Write 8192\n8:0 Sync 0\n8:0 Async 12288\n8:0 Discard 0\n8:0 Total 12288\n8:16 Read 1\n8:16 Write 2\nTotal 12291\n',
    });
  });

  test('falls back to cpuacct, memory and blkio files (cpuacct in a combined mount)', () => {
    const source = cgroupSource({ root, path: '/docker/abc' });
    expect(source.files).toMatchObject({
      cpu: join(root, 'cpu,cpuacct/docker/abc/cpuacct.usage'),
      memory: join(root, 'memory/docker/abc/memory.usage_in_bytes'),
    });
    expect(metricsOf(source.read())).toEqual({
      cpuTimeNs: 987654321,
      memoryBytes: 104857600,
      memoryLimitBytes: 268435456,
      memoryAvailableBytes: 268435456 - 104857600,
      diskReadBytes: 4097,
      diskWriteBytes: 8194,
    });
  });

  test('treats the v1 "no limit" value as no limit', () => {
    writeFileSync(join(root, 'memory/docker/abc/memory.limit_in_bytes'), '9223372036854771712\n');
    const m = metricsOf(cgroupSource({ root, path: '/docker/abc' }).read());
    expect(m.memoryBytes).toBe(104857600);
    expect('memoryAvailableBytes' in m).toBe(false);
    expect('memoryLimitBytes' in m).toBe(false);
  });

  test('uses a different path per controller when the process says so', () => {
    writeTree(root, { 'memory/other/cgroup.procs': '', 'memory/other/memory.usage_in_bytes': '5\n' });
    const location = parseProcCgroup('4:memory:/other\n3:cpu,cpuacct:/docker/abc\n1:name=systemd:/x\n0::/\n');
    expect(location).toEqual({ unified: '/', controllers: { memory: '/other', cpu: '/docker/abc', cpuacct: '/docker/abc' } });
    const m = metricsOf(cgroupSource({ root, location }).read());
    expect(m).toMatchObject({ memoryBytes: 5, cpuTimeNs: 987654321 });
    expect('diskReadBytes' in m).toBe(false);
  });

  test('says gone when the cgroup directory is removed', () => {
    const source = cgroupSource({ root, path: '/docker/abc', keepOpen: false });
    rmSync(join(root, 'cpu,cpuacct/docker/abc'), { recursive: true });
    expect(source.read().status).toBe('gone');
  });
});

describe('cgroup hybrid (v1 controllers with a unified hierarchy)', () => {
  test('takes CPU from the unified hierarchy and memory from v1', () => {
    writeTree(root, {
      'unified/cgroup.controllers': '',
      'unified/cgroup.procs': '',
      'unified/cpu.stat': 'usage_usec 42\n',
      'memory/cgroup.procs': '',
      'memory/memory.usage_in_bytes': '777\n',
      'memory/memory.limit_in_bytes': '9223372036854771712\n',
    });
    const source = cgroupSource({ root, location: { unified: '/', controllers: { memory: '/', cpuacct: '/' } } });
    expect(metricsOf(source.read())).toEqual({ cpuTimeNs: 42_000, memoryBytes: 777 });
  });
});

describe('the live cgroup of this process', () => {
  const live = '/sys/fs/cgroup';

  test('reads the declared fields, and CPU time grows as we burn CPU', (ctx) => {
    const location = cgroupLocationOfPid(process.pid);
    if (!existsSync(live) || location === undefined) ctx.skip();
    let source;
    try {
      source = cgroupSource({ pid: process.pid });
    } catch (error) {
      if (isSandmeterError(error, 'SANDMETER_INVALID_ARGUMENT')) ctx.skip(); // No readable cgroup files here.
      throw error;
    }
    try {
      expect(source.fields.size).toBeGreaterThan(0);
      const before = metricsOf(source.read());
      for (const field of source.fields) {
        // A limit and what is left of it are only known when there is a limit.
        if (field === 'memoryLimitBytes' || field === 'memoryAvailableBytes') continue;
        expect(before[field], field).toBeDefined();
      }
      if (source.fields.has('memoryBytes')) expect(Number(before.memoryBytes)).toBeGreaterThan(0);
      if (source.fields.has('cpuTimeNs')) {
        const end = performance.now() + 200;
        while (performance.now() < end) {
          // Spin.
        }
        const after = metricsOf(source.read());
        expect(Number(after.cpuTimeNs) - Number(before.cpuTimeNs)).toBeGreaterThanOrEqual(100_000_000);
      }
    } finally {
      source.close();
    }
  });

  test('this process\'s /proc/<pid>/cgroup parses into a location', (ctx) => {
    if (!existsSync('/proc/self/cgroup')) ctx.skip();
    const location = parseProcCgroup(readFileSync('/proc/self/cgroup', 'latin1'));
    expect(location.unified ?? Object.keys(location.controllers ?? {}).length).toBeTruthy();
  });
});
