// The last two distinct samples of every slot the host has seen, so any
// request can answer with disk and network rates without waiting for a
// second sample. Keyed by slot and run, so a reused slot starts over.
import { computeRates, type SandboxRates } from '@sandmeter/reader';
import type { SandboxMetrics } from '@sandmeter/registry';

interface Pair {
  previous: SandboxMetrics | undefined;
  latest: SandboxMetrics;
}

const keyOf = (row: SandboxMetrics): string => `${row.slot}/${row.runId}/${row.sandboxId}`;

export class FleetHistory {
  #pairs = new Map<string, Pair>();

  /** Folds in a fresh snapshot; rows that left it are forgotten. */
  update(rows: readonly SandboxMetrics[]): void {
    const next = new Map<string, Pair>();
    for (const row of rows) {
      const key = keyOf(row);
      const held = this.#pairs.get(key);
      if (held === undefined) next.set(key, { previous: undefined, latest: row });
      else if (row.sampledAtMs === held.latest.sampledAtMs) next.set(key, { previous: held.previous, latest: row });
      else next.set(key, { previous: held.latest, latest: row });
    }
    this.#pairs = next;
  }

  /** Rates between the last two distinct samples of this row's run, or undefined before there are two. */
  ratesOf(row: SandboxMetrics): SandboxRates | undefined {
    const pair = this.#pairs.get(keyOf(row));
    if (pair?.previous === undefined) return undefined;
    return computeRates(pair.previous, pair.latest);
  }
}
