// A source backed by a function: for a VMM or runtime that keeps counters of
// its own (the seed's libkrun case: vCPU time, guest memory, block devices,
// the guest's upper-filesystem view).

import { invalidArgument } from '../errors.js';
import { counterOrUndefined, finiteOrUndefined } from '../math/finite.js';
import { gone, ok, type MetricField, type MetricSource, type Metrics, type Reading } from './types.js';

/** Return this from the callback when the sandbox has ended. */
export const SANDBOX_GONE: unique symbol = Symbol('sandmeter.sandboxGone');

export type MetricsCallback = () => Metrics | typeof SANDBOX_GONE;

export interface CallbackSourceOptions {
  /** The fields the callback can provide; anything else it returns is dropped. */
  fields: readonly MetricField[];
  read: MetricsCallback;
  kind?: string;
}

const KNOWN_FIELDS: ReadonlySet<MetricField> = new Set<MetricField>([
  'cpuTimeNs', 'memoryBytes', 'memoryAvailableBytes', 'memoryHostResidentBytes', 'memoryLimitBytes',
  'diskReadBytes', 'diskWriteBytes', 'netRxBytes', 'netTxBytes', 'upperUsedBytes', 'upperFreeBytes',
  'upperSampledAtMs',
]);

export class CallbackSource implements MetricSource {
  readonly kind: string;
  readonly fields: ReadonlySet<MetricField>;
  private readonly callback: MetricsCallback;
  private readonly list: readonly MetricField[];

  constructor(options: CallbackSourceOptions) {
    if (typeof options?.read !== 'function') invalidArgument('read', 'must be a function returning metrics');
    for (const field of options.fields ?? []) {
      if (!KNOWN_FIELDS.has(field)) invalidArgument('fields', `unknown metric field ${JSON.stringify(field)}`);
    }
    this.kind = options.kind ?? 'callback';
    this.list = [...new Set(options.fields)];
    this.fields = new Set(this.list);
    this.callback = options.read;
  }

  read(): Reading {
    const result = this.callback();
    if (result === SANDBOX_GONE) return gone('the callback reported the sandbox gone');
    const metrics: Metrics = {};
    // Copy only declared fields holding a real value: a callback's NaN,
    // negative or undeclared value must not reach the registry.
    for (const field of this.list) {
      const value = result[field];
      if (value === undefined) continue;
      if (field === 'upperSampledAtMs') {
        const stamp = finiteOrUndefined(value as number);
        if (stamp !== undefined) metrics.upperSampledAtMs = stamp;
      } else {
        const counter = counterOrUndefined(value);
        if (counter !== undefined) metrics[field] = counter;
      }
    }
    return ok(metrics);
  }
}

export function callbackSource(options: CallbackSourceOptions): CallbackSource {
  return new CallbackSource(options);
}
