// Real registries under unique names, removed after each test; polling.
import { randomBytes } from 'node:crypto';
import { Registry } from '@sandmeter/registry';
import type { SampleInput, SlotWriter } from '@sandmeter/registry';

const open: Registry[] = [];

export const uniqueName = (): string => `/sm-test-export-${randomBytes(6).toString('hex')}`;

export function freshRegistry(capacity = 16, name = uniqueName()): Registry {
  const reg = Registry.create(name, { capacity });
  open.push(reg);
  return reg;
}

export function cleanupRegistries(): void {
  for (const reg of open.splice(0)) {
    const name = reg.name;
    reg.close();
    Registry.unlink(name, { missingOk: true });
  }
}

export function startSandbox(
  reg: Registry,
  name: string,
  sandboxId: number,
  opts: { runId?: number; memoryLimitBytes?: number; startedAtMs?: number } = {},
): SlotWriter {
  const r = reg.reserve({ sandboxId, name, memoryLimitBytes: opts.memoryLimitBytes ?? 0 });
  return reg.activate({ ...r, runId: opts.runId ?? sandboxId * 10, ...(opts.startedAtMs !== undefined && { startedAtMs: opts.startedAtMs }) });
}

/** A sample with every field present. */
export const fullSample = (n: number): SampleInput => ({
  cpuPercent: 50 + n,
  vcpuTimeNs: 1_000_000_000 * n,
  memoryBytes: 100_000_000 + n,
  memoryAvailableBytes: 1,
  memoryHostResidentBytes: 1,
  diskReadBytes: 1000 * n,
  diskWriteBytes: 2000 * n,
  netRxBytes: 3000 * n,
  netTxBytes: 4000 * n,
  upperUsedBytes: 5000 + n,
  upperFreeBytes: 6000 + n,
  upperHostAllocatedBytes: 8192,
});

/** Polls until `check` returns a value other than undefined/false; generous, never a speed assertion. */
export async function waitFor<T>(
  what: string | (() => string),
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
