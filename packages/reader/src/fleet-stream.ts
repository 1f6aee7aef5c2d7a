// A stream of the whole fleet: a frame every interval until the caller
// leaves. The fleet has no end of its own.
import type { SandboxMetrics } from '@sandmeter/registry';
import { fleetByName } from './fleet.js';
import { PollIterator } from './poll.js';
import { computeRates, type SandboxRates } from './rates.js';
import type { SandboxReport } from './report.js';
import type { StreamContext } from './sandbox-stream.js';

export interface FleetFrame {
  /** When the frame was read, unix ms. */
  atMs: number;
  sandboxes: Map<string, SandboxReport>;
  /** Rates per name between each sandbox's last two distinct samples. */
  rates: Map<string, SandboxRates>;
}

interface History {
  previous: SandboxMetrics | undefined;
  latest: SandboxMetrics;
}

export function streamFleet(ctx: StreamContext, intervalMs: number, signal?: AbortSignal): AsyncIterableIterator<FleetFrame> {
  let history = new Map<string, History>();
  return new PollIterator<FleetFrame>(
    () => {
      const atMs = ctx.now();
      const sandboxes = fleetByName(ctx.source.snapshot(), atMs, ctx.sampleIntervalMs);
      const next = new Map<string, History>();
      const rates = new Map<string, SandboxRates>();
      for (const [name, report] of sandboxes) {
        const row = report.metrics;
        const key = `${row.slot}/${row.runId}`;
        const held = history.get(key);
        const entry: History =
          held === undefined ? { previous: undefined, latest: row }
          : held.latest.sampledAtMs === row.sampledAtMs ? { previous: held.previous, latest: row }
          : { previous: held.latest, latest: row };
        next.set(key, entry);
        if (entry.previous !== undefined) rates.set(name, computeRates(entry.previous, row));
      }
      history = next;
      return { value: { atMs, sandboxes, rates } };
    },
    { intervalMs, signal },
  );
}
