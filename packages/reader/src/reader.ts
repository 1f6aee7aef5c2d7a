// The reader API: fleet views over one registry, with states, rates and streams.
import { InvalidArgumentError } from '@sandmeter/registry';
import type { SandboxMetrics } from '@sandmeter/registry';
import { checkTarget, findReport, type SandboxTarget } from './find.js';
import { fleetByName } from './fleet.js';
import { streamFleet, type FleetFrame } from './fleet-stream.js';
import { toReport, type SandboxReport } from './report.js';
import { streamSandbox, type StreamOptions, type StreamedReport } from './sandbox-stream.js';
import type { RegistrySource } from './source.js';
import { DEFAULT_INTERVAL_MS } from './state.js';

export interface ReaderOptions {
  /** The sampling interval of the writers, ms: three of them without a sample is "stalled". Default 1000. */
  intervalMs?: number;
  /** Clock, unix ms. Default Date.now. */
  now?: () => number;
}

export class Reader {
  readonly source: RegistrySource;
  readonly intervalMs: number;
  readonly #now: () => number;

  constructor(source: RegistrySource, options: ReaderOptions = {}) {
    if (source === null || typeof source !== 'object' || typeof source.snapshot !== 'function') {
      throw new InvalidArgumentError('source', 'pass an open Registry (or an object with snapshot(), lookup() and read())');
    }
    this.source = source;
    this.intervalMs = checkInterval(options.intervalMs ?? DEFAULT_INTERVAL_MS, 'intervalMs');
    this.#now = options.now ?? Date.now;
  }

  /** Every row with a sample (running, stalled and exited), straight from shared memory. */
  snapshot(): SandboxMetrics[] {
    return this.source.snapshot();
  }

  /** Every row as a report with its state. */
  reports(): SandboxReport[] {
    const now = this.#now();
    return this.source.snapshot().map((row) => toReport(row, now, this.intervalMs));
  }

  /** One sandbox by name (string) or sandbox id (number); a live row wins over an exited one. */
  sandbox(target: SandboxTarget): SandboxReport | undefined {
    return findReport(this.source, checkTarget(target), this.#now(), this.intervalMs);
  }

  /** The fleet keyed by name. */
  fleet(): Map<string, SandboxReport> {
    return fleetByName(this.source.snapshot(), this.#now(), this.intervalMs);
  }

  /**
   * Reports of one sandbox every interval; the stream ends after the report
   * that shows it exited, when its slot is reused, on abort, or on break.
   * Throws NotFoundError at once when there is no such sandbox.
   */
  watch(target: SandboxTarget, options: StreamOptions = {}): AsyncIterableIterator<StreamedReport> {
    return streamSandbox(this.#context(), checkTarget(target), this.#streamInterval(options), options.signal);
  }

  /** Frames of the whole fleet every interval, until abort or break. */
  watchFleet(options: StreamOptions = {}): AsyncIterableIterator<FleetFrame> {
    return streamFleet(this.#context(), this.#streamInterval(options), options.signal);
  }

  #context() {
    return { source: this.source, now: this.#now, sampleIntervalMs: this.intervalMs };
  }

  #streamInterval(options: StreamOptions): number {
    return checkInterval(options.intervalMs ?? this.intervalMs, 'intervalMs');
  }
}

function checkInterval(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new InvalidArgumentError(argument, 'an interval is a number of milliseconds from 1 to 2147483647');
  }
  return value;
}
