// Which rows an exporter ships, and the attributes that identify each.
import type { SandboxMetrics } from '@sandmeter/registry';

export interface AttributeOptions {
  /** Add `sandbox.run_id` (high cardinality: one series per run). */
  includeRunId?: boolean;
  /** Add `process.pid` (high cardinality). */
  includePid?: boolean;
  /** Ship the preserved last sample of exited sandboxes too (default true). */
  includeExited?: boolean;
}

export type SandboxAttributes = Record<string, string | number>;

export interface ExportRow {
  metrics: SandboxMetrics;
  attributes: SandboxAttributes;
}

export const ATTRIBUTE_KEYS = {
  name: 'sandbox.name',
  id: 'sandbox.id',
  runId: 'sandbox.run_id',
  pid: 'process.pid',
} as const;

export function attributeKeys(options: AttributeOptions): string[] {
  const keys: string[] = [ATTRIBUTE_KEYS.name, ATTRIBUTE_KEYS.id];
  if (options.includeRunId === true) keys.push(ATTRIBUTE_KEYS.runId);
  if (options.includePid === true) keys.push(ATTRIBUTE_KEYS.pid);
  return keys;
}

/**
 * One row per series. Without run id, a restarted sandbox has an exited row
 * and a running row with the same name and id; the running one (else the
 * newest) speaks for the series, so no series is reported twice.
 */
export function exportRows(snapshot: readonly SandboxMetrics[], options: AttributeOptions): ExportRow[] {
  const bySeries = new Map<string, ExportRow>();
  for (const m of snapshot) {
    if (m.state === 'stale' && options.includeExited === false) continue;
    const attributes: SandboxAttributes = { [ATTRIBUTE_KEYS.name]: m.name, [ATTRIBUTE_KEYS.id]: m.sandboxId };
    if (options.includeRunId === true) attributes[ATTRIBUTE_KEYS.runId] = m.runId;
    if (options.includePid === true) attributes[ATTRIBUTE_KEYS.pid] = m.pid;
    const key = Object.values(attributes).join('\u0000');
    const held = bySeries.get(key);
    if (held === undefined || prefer(m, held.metrics)) bySeries.set(key, { metrics: m, attributes });
  }
  return [...bySeries.values()];
}

function prefer(a: SandboxMetrics, b: SandboxMetrics): boolean {
  if (a.state !== b.state) return a.state === 'active';
  return a.sampledAtMs > b.sampledAtMs;
}
