// The `sandmeter metrics` table, like `docker stats`: one row per sandbox
// with its state, CPU as cores busy over its allocation, memory used over
// its limit, disk and network rates, and uptime.
import type { SandboxRates, SandboxReport } from '@sandmeter/reader';
import { formatAllocation, formatBytes, formatCores, formatDuration, formatRate, renderColumns } from './format.js';

export interface StatsRow {
  name: string;
  id: number;
  pid: number;
  state: SandboxReport['state'];
  /** Cores busy (cpuPercent / 100). */
  cpuCores: number | undefined;
  cpuAllocation: number | undefined;
  memoryBytes: number | undefined;
  memoryLimitBytes: number | undefined;
  diskReadPerSec: number | undefined;
  diskWritePerSec: number | undefined;
  netRxPerSec: number | undefined;
  netTxPerSec: number | undefined;
  uptimeMs: number;
}

/** One report (and its rates, when two samples exist) as a table row. */
export function toStatsRow(report: SandboxReport, rates: SandboxRates | undefined, allocation: number | undefined, nowMs: number): StatsRow {
  const m = report.metrics;
  const running = report.state !== 'exited';
  return {
    name: report.name,
    id: report.sandboxId,
    pid: m.pid,
    state: report.state,
    cpuCores: running && m.cpuPercent !== undefined ? m.cpuPercent / 100 : undefined,
    cpuAllocation: allocation,
    memoryBytes: m.memoryBytes,
    memoryLimitBytes: m.memoryLimitBytes > 0 ? m.memoryLimitBytes : undefined,
    diskReadPerSec: running ? rates?.diskReadBytesPerSec : undefined,
    diskWritePerSec: running ? rates?.diskWriteBytesPerSec : undefined,
    netRxPerSec: running ? rates?.netRxBytesPerSec : undefined,
    netTxPerSec: running ? rates?.netTxBytesPerSec : undefined,
    // An exited sandbox's uptime stops at its last sample.
    uptimeMs: running ? Math.max(0, nowMs - m.startedAtMs) : m.uptimeMs,
  };
}

const HEADER = ['NAME', 'ID', 'STATE', 'CPU (cores)', 'MEM USED / LIMIT', 'DISK READ / WRITE', 'NET RX / TX', 'UPTIME'];

export function renderStatsTable(rows: readonly StatsRow[]): string {
  if (rows.length === 0) return 'no sandboxes';
  const cells = rows.map((r) => [
    r.name,
    String(r.id),
    r.state,
    `${formatCores(r.cpuCores)} / ${formatAllocation(r.cpuAllocation)}`,
    `${formatBytes(r.memoryBytes)} / ${r.memoryLimitBytes === undefined ? '-' : formatBytes(r.memoryLimitBytes)}`,
    `${formatRate(r.diskReadPerSec)} / ${formatRate(r.diskWritePerSec)}`,
    `${formatRate(r.netRxPerSec)} / ${formatRate(r.netTxPerSec)}`,
    formatDuration(r.uptimeMs),
  ]);
  return renderColumns(HEADER, cells);
}

/** Order: running first, then stalled, then exited; by name within a state. */
export function sortRows(rows: StatsRow[]): StatsRow[] {
  const rank = { running: 0, stalled: 1, exited: 2 } as const;
  return rows.sort((a, b) => rank[a.state] - rank[b.state] || a.name.localeCompare(b.name) || a.id - b.id);
}
