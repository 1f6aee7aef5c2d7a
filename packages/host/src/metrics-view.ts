// How the API shows one sample: grouped, with the reader's state and the
// rates from the host's history. Absent fields are null, never 0.
import type { SandboxRates, SandboxReport } from '@sandmeter/reader';

export interface MetricsView {
  id: number;
  name: string;
  state: SandboxReport['state'];
  slot: number;
  runId: number;
  pid: number;
  startedAtMs: number;
  sampledAtMs: number;
  ageMs: number;
  uptimeMs: number;
  cpu: { percent: number | null; cores: number | null; timeNs: number | null };
  memory: { usedBytes: number | null; availableBytes: number | null; hostResidentBytes: number | null; limitBytes: number | null };
  disk: { readBytes: number | null; writeBytes: number | null; readBytesPerSec: number | null; writeBytesPerSec: number | null };
  network: { rxBytes: number | null; txBytes: number | null; rxBytesPerSec: number | null; txBytesPerSec: number | null };
  upper: { usedBytes: number | null; freeBytes: number | null; hostAllocatedBytes: number | null };
}

const n = (v: number | undefined): number | null => (v === undefined ? null : v);

export function toMetricsView(report: SandboxReport, rates: SandboxRates | undefined): MetricsView {
  const m = report.metrics;
  return {
    id: m.sandboxId,
    name: m.name,
    state: report.state,
    slot: m.slot,
    runId: m.runId,
    pid: m.pid,
    startedAtMs: m.startedAtMs,
    sampledAtMs: m.sampledAtMs,
    ageMs: report.ageMs,
    uptimeMs: m.uptimeMs,
    cpu: { percent: n(m.cpuPercent), cores: m.cpuPercent === undefined ? null : m.cpuPercent / 100, timeNs: n(m.vcpuTimeNs) },
    memory: {
      usedBytes: n(m.memoryBytes),
      availableBytes: n(m.memoryAvailableBytes),
      hostResidentBytes: n(m.memoryHostResidentBytes),
      limitBytes: m.memoryLimitBytes > 0 ? m.memoryLimitBytes : null,
    },
    disk: {
      readBytes: n(m.diskReadBytes),
      writeBytes: n(m.diskWriteBytes),
      readBytesPerSec: n(rates?.diskReadBytesPerSec),
      writeBytesPerSec: n(rates?.diskWriteBytesPerSec),
    },
    network: {
      rxBytes: n(m.netRxBytes),
      txBytes: n(m.netTxBytes),
      rxBytesPerSec: n(rates?.netRxBytesPerSec),
      txBytesPerSec: n(rates?.netTxBytesPerSec),
    },
    upper: { usedBytes: n(m.upperUsedBytes), freeBytes: n(m.upperFreeBytes), hostAllocatedBytes: n(m.upperHostAllocatedBytes) },
  };
}
