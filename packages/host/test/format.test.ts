// The metrics table and its number formats.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate } from '../src/cli/format.js';
import { renderStatsTable, sortRows, type StatsRow } from '../src/cli/stats-table.js';

const row = (over: Partial<StatsRow>): StatsRow => ({
  name: 'a', id: 1, pid: 10, state: 'running', cpuCores: 0.5, cpuAllocation: 2, memoryBytes: 3 * 1024 ** 2, memoryLimitBytes: 1024 ** 3,
  diskReadPerSec: 0, diskWritePerSec: 1536, netRxPerSec: undefined, netTxPerSec: undefined, uptimeMs: 65_000, ...over,
});

describe('formats', () => {
  it('shows sizes in binary units, absent values as -', () => {
    expect(formatBytes(0)).toBe('0B');
    expect(formatBytes(1536)).toBe('1.50KiB');
    expect(formatBytes(50 * 1024 ** 2)).toBe('50.0MiB');
    expect(formatBytes(300 * 1024 ** 3)).toBe('300GiB');
    expect(formatBytes(undefined)).toBe('-');
    expect(formatRate(2048)).toBe('2.00KiB/s');
    expect(formatRate(undefined)).toBe('-');
  });

  it('shows durations compactly', () => {
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration(3 * 3600_000 + 60_000)).toBe('3h01m');
    expect(formatDuration(50 * 3600_000)).toBe('2d02h');
  });
});

describe('the stats table', () => {
  it('has one row per sandbox: state, cores over allocation, memory over limit, rates, uptime', () => {
    const text = renderStatsTable([row({})]);
    const [header, line] = text.split('\n');
    expect(header).toMatch(/^NAME\s+ID\s+STATE\s+CPU \(cores\)\s+MEM USED \/ LIMIT\s+DISK READ \/ WRITE\s+NET RX \/ TX\s+UPTIME$/);
    expect(line).toMatch(/^a\s+1\s+running\s+0\.50 \/ 2\s+3\.00MiB \/ 1\.00GiB\s+0B\/s \/ 1\.50KiB\/s\s+- \/ -\s+1m05s$/);
  });

  it('puts running before stalled before exited', () => {
    const rows = sortRows([row({ name: 'x', state: 'exited' }), row({ name: 'y', state: 'stalled' }), row({ name: 'z' })]);
    expect(rows.map((r) => r.state)).toEqual(['running', 'stalled', 'exited']);
    expect(renderStatsTable([])).toBe('no sandboxes');
  });
});
