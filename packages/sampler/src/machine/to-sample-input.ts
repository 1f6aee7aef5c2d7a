// A source's metrics plus the sampler's own figures, as the registry's SampleInput.

import type { SampleInput, U64Input } from '@sandmeter/registry';
import { finiteOrUndefined } from '../math/finite.js';
import { freshUpperFilesystem } from '../math/upper-filesystem.js';
import type { Metrics } from '../sources/types.js';

/** The slot stores CPU percent as an f32. */
const F32_MAX = 3.4e38;

export interface SampleExtras {
  sampledAtMs: number;
  cpuPercent: number | undefined;
  upperStaleAfterMs: number;
  upperHostAllocatedBytes: U64Input | undefined;
}

/** Only known values are set: an absent key is an absent field, never a zero. */
export function toSampleInput(metrics: Metrics, extras: SampleExtras): SampleInput {
  const sample: SampleInput = { sampledAtMs: extras.sampledAtMs };
  const cpuPercent = finiteOrUndefined(extras.cpuPercent);
  const cpuFits = cpuPercent !== undefined && cpuPercent <= F32_MAX;
  if (metrics.cpuTimeNs !== undefined) {
    sample.vcpuTimeNs = metrics.cpuTimeNs;
    if (cpuFits) sample.cpuPercent = cpuPercent;
  }
  if (metrics.memoryBytes !== undefined) sample.memoryBytes = metrics.memoryBytes;
  if (metrics.memoryAvailableBytes !== undefined) sample.memoryAvailableBytes = metrics.memoryAvailableBytes;
  if (metrics.memoryHostResidentBytes !== undefined) sample.memoryHostResidentBytes = metrics.memoryHostResidentBytes;
  if (metrics.diskReadBytes !== undefined) sample.diskReadBytes = metrics.diskReadBytes;
  if (metrics.diskWriteBytes !== undefined) sample.diskWriteBytes = metrics.diskWriteBytes;
  if (metrics.netRxBytes !== undefined) sample.netRxBytes = metrics.netRxBytes;
  if (metrics.netTxBytes !== undefined) sample.netTxBytes = metrics.netTxBytes;
  const upper = freshUpperFilesystem(
    { usedBytes: metrics.upperUsedBytes, freeBytes: metrics.upperFreeBytes, sampledAtMs: metrics.upperSampledAtMs },
    extras.upperStaleAfterMs,
    extras.sampledAtMs,
  );
  if (upper.usedBytes !== undefined) sample.upperUsedBytes = upper.usedBytes;
  if (upper.freeBytes !== undefined) sample.upperFreeBytes = upper.freeBytes;
  if (extras.upperHostAllocatedBytes !== undefined) sample.upperHostAllocatedBytes = extras.upperHostAllocatedBytes;
  return sample;
}
