// What a reader needs from a registry. `Registry` satisfies it; naming the
// calls keeps the reader honest about what it touches.
import type { SandboxMetrics } from '@sandmeter/registry';

export interface RegistrySource {
  snapshot(): SandboxMetrics[];
  lookup(sandboxId: number, name?: string): SandboxMetrics | undefined;
  read(slot: number): SandboxMetrics | undefined;
}
