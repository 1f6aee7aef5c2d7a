// The sampler machine's input, context, events and output.

import type { Logger } from 'pino';
import type { ReleaseMode, SampleInput } from '@sandmeter/registry';
import type { PairedReading } from '../math/pairing-bracket.js';
import type { MetricSource } from '../sources/types.js';

/** Where samples go. A registry SlotWriter fits as it is. */
export interface SampleWriterPort {
  /** Throws an error with code SANDMETER_GENERATION_MISMATCH once the slot is no longer ours. */
  write(sample: SampleInput): void;
  release(mode?: ReleaseMode): void;
}

export interface SamplerInput {
  writer: SampleWriterPort;
  /** Owned by the sampler from now on: closed when the sampler ends. */
  source: MetricSource;
  /**
   * Default 1000; a value outside 1 .. 2^31-1 also falls back to 1000 (validate
   * first, e.g. with publishSelf, to get a typed error instead). Change at run
   * time with SET_INTERVAL.
   */
  intervalMs?: number;
  /** CPU percent is clamped to maxCpus * 100 (default: no clamp). */
  maxCpus?: number;
  /** Upper image on the host, for upperHostAllocatedBytes (blocks * 512). */
  upperHostPath?: string;
  /** Default: a pino logger on stderr. */
  logger?: Logger;
  /** Wall clock, unix ms, for sampledAtMs and freshness (default Date.now). */
  nowMs?: () => number;
  /** Monotonic clock, ms, for CPU windows and brackets (default performance.now). */
  monotonicMs?: () => number;
  /** Share of a window its clock bracket may take before the window is not trusted (default 0.05). */
  bracketTolerance?: number;
  /** Extra fields on every log line (sandboxId, name, ...). */
  logBindings?: Record<string, unknown>;
}

export type EndReason = 'reclaimed' | 'stopped' | 'gone';

export interface SamplerContext {
  writer: SampleWriterPort;
  source: MetricSource;
  intervalMs: number;
  maxCpus: number | undefined;
  upperHostPath: string | undefined;
  logger: Logger;
  nowMs: () => number;
  monotonicMs: () => number;
  bracketTolerance: number;
  /** The last reading with a CPU counter, start of the next window. */
  previous: PairedReading | undefined;
  /** The last CPU percent from a trustworthy window, carried over untrusted ones. */
  lastTrustedCpu: number | undefined;
  samplesWritten: number;
  /** Failed reads or writes (other than reclaim) since the start. */
  sampleErrors: number;
  endReason: EndReason | undefined;
  goneReason: string | undefined;
}

/** Events a caller sends. */
export type SamplerCommand =
  | { type: 'STOP' }
  | { type: 'SET_INTERVAL'; intervalMs: number };

/** What one tick produced (sent back by the sample port). */
export type SampleOutcome =
  | { type: 'sample.written'; reading: PairedReading; cpuPercent: number | undefined; trusted: boolean }
  | {
      type: 'sample.failed';
      stage: 'read' | 'write';
      error: unknown;
      reading: PairedReading | undefined;
      cpuPercent: number | undefined;
      trusted: boolean;
    }
  | { type: 'sample.reclaimed'; error: unknown }
  | { type: 'sample.gone'; reason: string };

export type SamplerEvent = SamplerCommand | SampleOutcome;

export interface SamplerOutput {
  reason: EndReason;
  samplesWritten: number;
}
