// A stream of one sandbox: a report every interval, ending after the
// report that shows it exited, or when its slot is gone or reused.
import { NotFoundError } from '@sandmeter/registry';
import type { SandboxMetrics } from '@sandmeter/registry';
import { findMetrics, type SandboxTarget } from './find.js';
import { PollIterator } from './poll.js';
import { computeRates, type SandboxRates } from './rates.js';
import { toReport, type SandboxReport } from './report.js';
import type { RegistrySource } from './source.js';

export interface StreamOptions {
  /** Time between reports, ms. Default: the reader's interval. */
  intervalMs?: number;
  /** Ends the stream when aborted. */
  signal?: AbortSignal;
}

export interface StreamedReport extends SandboxReport {
  /** Disk and network rates between the last two distinct samples; undefined until there are two. */
  rates: SandboxRates | undefined;
}

export interface StreamContext {
  source: RegistrySource;
  now: () => number;
  /** The sampling interval the stalled rule uses. */
  sampleIntervalMs: number;
}

export function streamSandbox(
  ctx: StreamContext,
  target: SandboxTarget,
  intervalMs: number,
  signal?: AbortSignal,
): AsyncIterableIterator<StreamedReport> {
  // Found at once, so a wrong name fails at the call rather than mid-loop.
  const first = findMetrics(ctx.source, target);
  if (first === undefined) {
    throw new NotFoundError(`no sandbox ${JSON.stringify(target)} in the registry; check the name or id, or wait for its first sample`);
  }
  let previous: SandboxMetrics | undefined;
  let latest = first;
  return new PollIterator<StreamedReport>(
    () => {
      const row = pinned(ctx.source, first);
      if (row === undefined) return undefined;
      if (row.sampledAtMs !== latest.sampledAtMs) {
        previous = latest;
        latest = row;
      }
      const report = toReport(row, ctx.now(), ctx.sampleIntervalMs);
      const rates = previous === undefined ? undefined : computeRates(previous, row);
      return { value: { ...report, rates }, last: report.state === 'exited' };
    },
    { intervalMs, signal },
  );
}

/** The same run of the same sandbox in the same slot, or nothing once the slot was freed or reused. */
function pinned(source: RegistrySource, first: SandboxMetrics): SandboxMetrics | undefined {
  const row = source.read(first.slot);
  if (row === undefined || row.runId !== first.runId || row.sandboxId !== first.sandboxId) return undefined;
  return row;
}
