// One tick: read the source between two clock reads, compute, write.
// Never throws: every way it can end is an outcome the machine acts on.

import type { U64Input } from '@sandmeter/registry';
import { pairedCpuPercent, type PairedReading } from '../math/pairing-bracket.js';
import { upperHostAllocatedBytes } from '../math/host-allocated.js';
import { upperFilesystemStaleAfterMs } from '../math/upper-filesystem.js';
import type { MetricSource, Reading } from '../sources/types.js';
import { toSampleInput } from './to-sample-input.js';
import type { SampleOutcome, SampleWriterPort } from './types.js';

export const GENERATION_MISMATCH_CODE = 'SANDMETER_GENERATION_MISMATCH';

/** True for the registry's GenerationMismatchError, or any port error with its code. */
export function isGenerationMismatch(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === GENERATION_MISMATCH_CODE;
}

/** What a tick works with (fixed for the sampler's life). */
export interface TickDeps {
  writer: SampleWriterPort;
  source: MetricSource;
  maxCpus: number | undefined;
  upperHostPath: string | undefined;
  nowMs: () => number;
  monotonicMs: () => number;
  bracketTolerance: number;
}

/** What a tick needs from the last one. */
export interface TickRequest {
  intervalMs: number;
  previous: PairedReading | undefined;
  lastTrustedCpu: number | undefined;
}

export function takeSample(deps: TickDeps, request: TickRequest): SampleOutcome {
  let reading: Reading;
  const beforeMs = deps.monotonicMs();
  try {
    reading = deps.source.read();
  } catch (error) {
    return { type: 'sample.failed', stage: 'read', error, reading: undefined, cpuPercent: undefined, trusted: false };
  }
  const afterMs = deps.monotonicMs();
  if (reading.status === 'gone') return { type: 'sample.gone', reason: reading.reason };

  const metrics = reading.metrics;
  const paired: PairedReading = { cpuTimeNs: metrics.cpuTimeNs, beforeMs, afterMs };
  let cpuPercent: number | undefined;
  let trusted = false;
  if (request.previous !== undefined && metrics.cpuTimeNs !== undefined) {
    const result = pairedCpuPercent(request.previous, paired, {
      maxCpus: deps.maxCpus,
      lastTrusted: request.lastTrustedCpu,
      tolerance: deps.bracketTolerance,
    });
    cpuPercent = result.cpuPercent;
    trusted = result.trusted;
  }

  let hostAllocated: U64Input | undefined;
  if (deps.upperHostPath !== undefined) hostAllocated = upperHostAllocatedBytes(deps.upperHostPath);
  const sample = toSampleInput(metrics, {
    // The registry stores whole milliseconds.
    sampledAtMs: Math.round(deps.nowMs()),
    cpuPercent,
    upperStaleAfterMs: upperFilesystemStaleAfterMs(request.intervalMs),
    upperHostAllocatedBytes: hostAllocated,
  });
  try {
    deps.writer.write(sample);
  } catch (error) {
    if (isGenerationMismatch(error)) return { type: 'sample.reclaimed', error };
    return { type: 'sample.failed', stage: 'write', error, reading: paired, cpuPercent, trusted };
  }
  return { type: 'sample.written', reading: paired, cpuPercent, trusted };
}
