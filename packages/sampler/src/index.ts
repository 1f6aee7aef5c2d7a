// @sandmeter/sampler: the per-sandbox xstate sampler, its metric sources and its math.

// The machine
export { samplerMachine, DEFAULT_INTERVAL_MS } from './sampler.machine.js';
export type { SamplerMachine } from './sampler.machine.js';
export type {
  SampleWriterPort,
  SamplerInput,
  SamplerContext,
  SamplerCommand,
  SamplerEvent,
  SampleOutcome,
  SamplerOutput,
  EndReason,
} from './machine/types.js';
export { samplePort } from './machine/sample-port.js';
export type { SamplePortCommand } from './machine/sample-port.js';
export { takeSample, isGenerationMismatch, GENERATION_MISMATCH_CODE } from './machine/take-sample.js';
export type { TickDeps, TickRequest } from './machine/take-sample.js';
export { toSampleInput } from './machine/to-sample-input.js';
export type { SampleExtras } from './machine/to-sample-input.js';
export { unrefClock, refClock } from './machine/clock.js';
export type { TimerClock } from './machine/clock.js';

// Self-publishing runtime
export { publishSelf } from './runtime.js';
export type { PublishSelfOptions, SelfPublisher } from './runtime.js';

// Math
export { cpuPercentFromCpuTime, clampCpuPercent } from './math/cpu-percent.js';
export {
  bracketIsTrustworthy,
  pairedCpuPercent,
  pairedWindowMs,
  DEFAULT_BRACKET_TOLERANCE,
} from './math/pairing-bracket.js';
export type { PairedReading, PairedCpuResult } from './math/pairing-bracket.js';
export {
  upperFilesystemStaleAfterMs,
  upperSampleIsFresh,
  freshUpperFilesystem,
  MIN_UPPER_STALE_AFTER_MS,
} from './math/upper-filesystem.js';
export type { UpperFilesystem } from './math/upper-filesystem.js';
export { upperHostAllocatedBytes } from './math/host-allocated.js';
export { finiteOrUndefined, counterOrUndefined, counterDelta } from './math/finite.js';

// Sources
export { gone, ok } from './sources/types.js';
export type { Metrics, MetricField, MetricSource, Reading } from './sources/types.js';
export { procfsSource, ProcfsSource } from './sources/procfs.js';
export type { ProcfsSourceOptions } from './sources/procfs.js';
export { cgroupSource, CgroupSource } from './sources/cgroup.js';
export type { CgroupSourceOptions } from './sources/cgroup.js';
export {
  cgroupLocationOfPid,
  cgroupLocationFromPath,
  parseProcCgroup,
} from './sources/cgroup-location.js';
export type { CgroupLocation } from './sources/cgroup-location.js';
export { callbackSource, CallbackSource, SANDBOX_GONE } from './sources/callback.js';
export type { CallbackSourceOptions, MetricsCallback } from './sources/callback.js';
export { processTreeMembers } from './sources/process-tree.js';
export { hasOwnNetNamespace, hostNetNamespaceInode, netNamespaceInode } from './sources/net-namespace.js';

// System facts
export { systemPageSize, systemCpuCount, ticksToNs, DEFAULT_CLOCK_TICKS_PER_SEC } from './system-info.js';
