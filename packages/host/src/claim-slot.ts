// Turning a checked registration into a live slot: its metric source, a
// reserved and activated slot whose owner is the sandbox's pid, and the
// host's record of it. Nothing is left behind when a step fails.
import type { Registry, SlotWriter } from '@sandmeter/registry';
import { systemCpuCount, type MetricSource } from '@sandmeter/sampler';
import { createSource } from './source-factory.js';
import type { SandboxRecord, SandboxRegistration } from './types.js';

export interface ClaimOptions {
  id: number;
  runId: number;
  spawned: boolean;
  /** When the registration gives no interval. */
  defaultIntervalMs: number;
}

export interface ClaimedSlot {
  record: SandboxRecord;
  writer: SlotWriter;
  source: MetricSource;
}

export function claimSlot(registry: Registry, reg: SandboxRegistration, o: ClaimOptions): ClaimedSlot {
  const source = createSource(reg);
  const startedAtMs = Date.now();
  const memoryLimitBytes = reg.memoryLimitBytes ?? 0;
  let reservation;
  let writer: SlotWriter;
  try {
    reservation = registry.reserve({ sandboxId: o.id, name: reg.name, memoryLimitBytes });
    // The slot's owner pid: readers demote the slot the moment it dies, even without a host.
    writer = registry.activate({ ...reservation, runId: o.runId, pid: reg.pid ?? process.pid, startedAtMs });
  } catch (err) {
    if (reservation !== undefined) {
      try {
        registry.releaseReserved(reservation);
      } catch {
        // Already gone: the original error is what matters.
      }
    }
    source.close?.();
    throw err;
  }
  const record: SandboxRecord = {
    id: o.id,
    name: reg.name,
    pid: reg.pid ?? null,
    cgroup: reg.cgroup ?? null,
    spawned: o.spawned,
    status: 'running',
    slot: writer.slot,
    generation: writer.generation,
    runId: o.runId,
    startedAtMs,
    intervalMs: reg.intervalMs ?? o.defaultIntervalMs,
    maxCpus: reg.maxCpus ?? systemCpuCount(),
    memoryLimitBytes,
    upperImagePath: reg.upperImagePath ?? null,
    labels: reg.labels ?? {},
    end: null,
    samplesWritten: null,
  };
  return { record, writer, source };
}
