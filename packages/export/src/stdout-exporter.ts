// Prints the fleet every interval, one line per sandbox, to a stream.
import type { Writable } from 'node:stream';
import { InvalidArgumentError } from '@sandmeter/registry';
import { PollIterator, sandboxState } from '@sandmeter/reader';
import { DEFAULT_NAMESPACE, metricDefinitions } from './definitions.js';
import { exportRows, type AttributeOptions } from './rows.js';
import { checkSource, type SnapshotSource } from './source.js';
import { formatLine } from './stdout-line.js';

export interface StdoutExporterOptions extends AttributeOptions {
  namespace?: string;
  /** Default 1000 ms; also the sampling interval the running/stalled state assumes. */
  intervalMs?: number;
  /** Default process.stdout. */
  output?: Writable;
  /** Stops the loop. */
  signal?: AbortSignal;
}

/** The lines of one snapshot. */
export function fleetLines(source: SnapshotSource, options: StdoutExporterOptions = {}, nowMs = Date.now()): string[] {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const defs = metricDefinitions(namespace);
  const interval = options.intervalMs ?? 1000;
  return exportRows(checkSource(source).snapshot(), options).map((row) =>
    formatLine(namespace, sandboxState(row.metrics, nowMs, interval), row, defs),
  );
}

/** Writes the lines every interval until the signal aborts. */
export async function runStdoutExporter(source: SnapshotSource, options: StdoutExporterOptions = {}): Promise<void> {
  const intervalMs = options.intervalMs ?? 1000;
  if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new InvalidArgumentError('intervalMs', 'a whole number of milliseconds, at least 1');
  metricDefinitions(options.namespace); // a bad namespace fails before the first tick
  const output = options.output ?? process.stdout;
  const ticks = new PollIterator(() => ({ value: fleetLines(source, options) }), { intervalMs, signal: options.signal });
  for await (const lines of ticks) {
    if (lines.length > 0 && !output.write(`${lines.join('\n')}\n`)) {
      // A slow reader of our stdout (a pipe) holds the next tick back.
      await new Promise((resolve) => output.once('drain', resolve));
    }
  }
}
