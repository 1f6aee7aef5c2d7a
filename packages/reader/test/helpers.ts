// Real registries under unique names, removed after each test.
import { randomBytes } from 'node:crypto';
import { Registry } from '@sandmeter/registry';

const open: Registry[] = [];

export function freshRegistry(capacity = 16): Registry {
  const name = `/sm-test-reader-${randomBytes(6).toString('hex')}`;
  const reg = Registry.create(name, { capacity, livenessTtlMs: 0 });
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

let nextId = 1;

/** Reserves and activates one sandbox; returns its writer. */
export function startSandbox(reg: Registry, name: string, opts: { sandboxId?: number; runId?: number; pid?: number } = {}) {
  const sandboxId = opts.sandboxId ?? nextId++;
  const r = reg.reserve({ sandboxId, name, memoryLimitBytes: 1 << 30 });
  return reg.activate({ ...r, runId: opts.runId ?? 1000 + sandboxId, ...(opts.pid === undefined ? {} : { pid: opts.pid }) });
}

// Ref'd timers of this process. Vitest may hold one of its own that comes
// and goes, so tests compare "no more than before", never exact equality.
export const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
