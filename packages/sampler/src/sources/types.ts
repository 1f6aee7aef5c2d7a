// What a metric source is: one sandbox in, one reading out.

import type { U64Input } from '@sandmeter/registry';

/** Every field a source may know. A reading leaves out what the source cannot know. */
export interface Metrics {
  /** Cumulative CPU time of every thread / vCPU, ns. */
  cpuTimeNs?: U64Input;
  memoryBytes?: U64Input;
  memoryAvailableBytes?: U64Input;
  memoryHostResidentBytes?: U64Input;
  /** Not published per sample (the limit is set at reserve time); useful to callers. */
  memoryLimitBytes?: U64Input;
  diskReadBytes?: U64Input;
  diskWriteBytes?: U64Input;
  netRxBytes?: U64Input;
  netTxBytes?: U64Input;
  /** The guest's own view of its writable upper filesystem, with its own stamp. */
  upperUsedBytes?: U64Input;
  upperFreeBytes?: U64Input;
  upperSampledAtMs?: number;
}

export type MetricField = keyof Metrics;

/** A reading: the metrics, or the news that the sandbox is gone. */
export type Reading =
  | { readonly status: 'ok'; readonly metrics: Metrics }
  | { readonly status: 'gone'; readonly reason: string };

export interface MetricSource {
  /** Short name of the kind of source, for logs ("procfs", "cgroup", "callback"). */
  readonly kind: string;
  /** The fields this source can provide; every other field is always absent. */
  readonly fields: ReadonlySet<MetricField>;
  /** One synchronous reading. A vanished sandbox is a 'gone' reading, not an exception. */
  read(): Reading;
  /** Let go of what the source holds open (file descriptors). Idempotent. */
  close?(): void;
}

export function gone(reason: string): Reading {
  return { status: 'gone', reason };
}

export function ok(metrics: Metrics): Reading {
  return { status: 'ok', metrics };
}
