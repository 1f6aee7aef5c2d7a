// OpenTelemetry instruments over the fleet: one observable instrument per
// metric definition, all fed by one snapshot per collection.
//
// The SDK keeps every attribute set it ever saw under cumulative
// temporality and keeps reporting it; a sandbox that is gone would be
// exported forever and its memo would grow without bound. So each
// collection keeps only the series observed in it, and the meter is
// rebuilt once too many retired series pile up inside the SDK.
import { ValueType } from '@opentelemetry/api';
import type { Attributes, Observable } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Resource } from '@opentelemetry/resources';
import { DEFAULT_NAMESPACE, metricDefinitions, type MetricDefinition } from './definitions.js';
import { PullMetricReader } from './pull-reader.js';
import { attributeKeys, exportRows, type AttributeOptions } from './rows.js';
import type { CollectorStats } from './self-metrics.js';
import type { SnapshotSource } from './source.js';

export interface SandboxMeterOptions extends AttributeOptions {
  namespace?: string;
  resource: Resource;
  /** When given, the collector's own counters are shipped too. */
  stats?: () => CollectorStats;
  /** Retired series tolerated inside the SDK before the meter is rebuilt (default 4096). */
  retiredSeriesLimit?: number;
}

const SCOPE = '@sandmeter/export';

export class SandboxMeter {
  #source: SnapshotSource;
  #options: SandboxMeterOptions;
  #namespace: string;
  #defs: MetricDefinition[];
  #keys: string[];
  #sandboxMetricNames: Set<string>;
  #provider!: MeterProvider;
  #reader!: PullMetricReader;
  /** Series observed by the current provider, live or retired. */
  #known = new Set<string>();
  #observed = new Set<string>();

  constructor(source: SnapshotSource, options: SandboxMeterOptions) {
    this.#source = source;
    this.#options = options;
    this.#namespace = options.namespace ?? DEFAULT_NAMESPACE;
    this.#defs = metricDefinitions(this.#namespace);
    this.#keys = attributeKeys(options);
    this.#sandboxMetricNames = new Set(this.#defs.map((d) => d.name));
    this.#build();
  }

  /** Reads the fleet once and returns what an exporter ships. */
  async collect(): Promise<ResourceMetrics> {
    this.#observed = new Set();
    const { resourceMetrics, errors } = await this.#reader.collect();
    // A failed read (say, a closed registry) must not ship as an empty fleet.
    if (errors.length > 0) throw errors[0];
    for (const scope of resourceMetrics.scopeMetrics) {
      for (const metric of scope.metrics) {
        if (!this.#sandboxMetricNames.has(metric.descriptor.name)) continue;
        // Only the series seen in this collection; see the note at the top.
        (metric as { dataPoints: unknown[] }).dataPoints = (metric.dataPoints as { attributes: Attributes }[]).filter(
          (p) => this.#observed.has(this.#seriesKey(p.attributes)),
        );
      }
    }
    if (this.#known.size - this.#observed.size > (this.#options.retiredSeriesLimit ?? 4096)) {
      await this.#provider.shutdown();
      this.#build();
    }
    return resourceMetrics;
  }

  async shutdown(): Promise<void> {
    await this.#provider.shutdown();
  }

  #build(): void {
    this.#known = new Set();
    // Series beyond the SDK's default cardinality limit (2000) would fold into an overflow series.
    this.#reader = new PullMetricReader({ cardinalitySelector: () => 1 << 20 });
    this.#provider = new MeterProvider({ resource: this.#options.resource, readers: [this.#reader] });
    const meter = this.#provider.getMeter(SCOPE);
    const instruments = this.#defs.map((def) => {
      const opts = { unit: def.unit, description: def.description, valueType: def.valueType === 'int' ? ValueType.INT : ValueType.DOUBLE };
      return def.kind === 'counter' ? meter.createObservableCounter(def.name, opts) : meter.createObservableGauge(def.name, opts);
    });
    meter.addBatchObservableCallback((result) => {
      for (const row of exportRows(this.#source.snapshot(), this.#options)) {
        const key = this.#seriesKey(row.attributes);
        this.#observed.add(key);
        this.#known.add(key);
        for (let i = 0; i < this.#defs.length; i++) {
          const value = this.#defs[i]!.value(row.metrics);
          if (value !== undefined && Number.isFinite(value)) result.observe(instruments[i]!, value, row.attributes);
        }
      }
    }, instruments as Observable[]);
    if (this.#options.stats !== undefined) this.#selfMetrics(meter, this.#options.stats);
  }

  #selfMetrics(meter: ReturnType<MeterProvider['getMeter']>, stats: () => CollectorStats): void {
    const ns = this.#namespace;
    const counter = (name: string, unit: string, description: string, read: (s: CollectorStats) => number) =>
      meter
        .createObservableCounter(`${ns}.exporter.${name}`, { unit, description, valueType: ValueType.INT })
        .addCallback((r) => r.observe(read(stats())));
    counter('exports.succeeded', '{export}', 'Collections the backend acknowledged.', (s) => s.exportsSucceeded);
    counter('exports.failed', '{export}', 'Export attempts that failed.', (s) => s.exportsFailed);
    counter('collections.dropped', '{collection}', 'Collections dropped from a full buffer.', (s) => s.collectionsDropped);
    meter
      .createObservableGauge(`${ns}.exporter.last_success`, { unit: 's', description: 'Unix time of the last successful export.' })
      .addCallback((r) => {
        const last = stats().lastSuccessMs;
        if (last !== undefined) r.observe(last / 1000);
      });
  }

  #seriesKey(attributes: Attributes): string {
    let key = '';
    for (const k of this.#keys) key += `${String(attributes[k])}\u0000`;
    return key;
  }
}
