// A prom-client Registry whose gauges and counters read the sandmeter
// registry when scraped (nothing runs between scrapes).
import { Counter, Gauge, Registry as PromRegistry } from 'prom-client';
import { metricDefinitions, type MetricDefinition } from './definitions.js';
import { prometheusLabel, prometheusName } from './prometheus-names.js';
import { attributeKeys, type AttributeOptions, type ExportRow } from './rows.js';
import { ScrapeFrame } from './scrape-frame.js';
import { checkSource, type SnapshotSource } from './source.js';

export interface PrometheusOptions extends AttributeOptions {
  /** Metric name prefix (default `sandmeter`; `microsandbox` gives microsandbox's names). */
  namespace?: string;
  /** Register into this prom-client Registry instead of a new one. */
  registry?: PromRegistry;
}

export function createPrometheusRegistry(source: SnapshotSource, options: PrometheusOptions = {}): PromRegistry {
  const frame = new ScrapeFrame(checkSource(source), options);
  const registry = options.registry ?? new PromRegistry();
  const keys = attributeKeys(options);
  const labelNames = keys.map(prometheusLabel);
  for (const def of metricDefinitions(options.namespace)) {
    const config = {
      name: prometheusName(def),
      help: `${def.description} (${def.name}, unit ${def.unit})`,
      labelNames,
      registers: [registry],
    };
    if (def.kind === 'counter') {
      new Counter({
        ...config,
        collect(this: Counter) {
          this.reset();
          // A counter only goes up in prom-client; from zero, inc() sets the value.
          forEachValue(frame.rows(), def, keys, labelNames, (labels, v) => this.inc(labels, v));
        },
      });
    } else {
      new Gauge({
        ...config,
        collect(this: Gauge) {
          this.reset();
          forEachValue(frame.rows(), def, keys, labelNames, (labels, v) => this.set(labels, v));
        },
      });
    }
  }
  return registry;
}

function forEachValue(
  rows: readonly ExportRow[],
  def: MetricDefinition,
  keys: readonly string[],
  labelNames: readonly string[],
  emit: (labels: Record<string, string | number>, value: number) => void,
): void {
  for (const row of rows) {
    const value = def.value(row.metrics);
    if (value === undefined || !Number.isFinite(value) || (def.kind === 'counter' && value < 0)) continue;
    const labels: Record<string, string | number> = {};
    for (let i = 0; i < keys.length; i++) labels[labelNames[i]!] = row.attributes[keys[i]!]!;
    emit(labels, value);
  }
}
