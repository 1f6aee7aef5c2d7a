// OTLP names to Prometheus names, the way the OpenTelemetry compatibility
// rules do it: dots become underscores, the unit becomes a suffix
// (bytes, seconds, ratio for unit-1 gauges) unless the name already
// carries that word, and counters end in _total.
import type { MetricDefinition } from './definitions.js';

const UNIT_WORD: Record<MetricDefinition['unit'], string | undefined> = { By: 'bytes', s: 'seconds', '1': 'ratio' };

export function prometheusName(def: Pick<MetricDefinition, 'name' | 'unit' | 'kind'>): string {
  const base = def.name.replace(/\./g, '_');
  const tokens = base.split('_');
  const unit = def.unit === '1' && def.kind === 'counter' ? undefined : UNIT_WORD[def.unit];
  const withUnit = unit === undefined || tokens.includes(unit) ? base : `${base}_${unit}`;
  return def.kind === 'counter' ? `${withUnit}_total` : withUnit;
}

/** Attribute keys to label names: `sandbox.name` -> `sandbox_name`. */
export function prometheusLabel(attributeKey: string): string {
  return attributeKey.replace(/[^A-Za-z0-9_]/g, '_');
}
