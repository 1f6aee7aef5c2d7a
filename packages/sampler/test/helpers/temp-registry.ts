// A real registry under a unique shm name, removed by cleanup() whatever happened.

import { randomBytes } from 'node:crypto';
import { Registry } from '@sandmeter/registry';

export interface TempRegistry {
  name: string;
  registry: Registry;
  cleanup(): void;
}

export function tempRegistry(capacity = 8): TempRegistry {
  const name = `/sm-test-sampler-${randomBytes(6).toString('hex')}`;
  const registry = Registry.openOrCreate(name, { capacity });
  return {
    name,
    registry,
    cleanup() {
      registry.close();
      Registry.unlink(name, { missingOk: true });
    },
  };
}

/** Reserve and activate a slot for `sandboxId`; returns the writer and its reservation. */
export function activeSlot(registry: Registry, sandboxId: number, name = `sandbox-${sandboxId}`) {
  const reservation = registry.reserve({ sandboxId, name });
  const writer = registry.activate({ ...reservation, runId: sandboxId + 1000 });
  return { reservation, writer };
}
