// The one set of metric definitions every exporter shares (Prometheus,
// OTLP, stdout): name, unit (UCUM), kind, and how to read the value.
import { InvalidArgumentError } from '@sandmeter/registry';
import type { SandboxMetrics } from '@sandmeter/registry';

export type MetricKind = 'gauge' | 'counter';
export type MetricUnit = '1' | 'By' | 's';

export interface MetricDefinition {
  /** The name after the namespace, e.g. `memory.usage`. */
  key: string;
  /** `<namespace>.<key>`, the OTLP name. */
  name: string;
  unit: MetricUnit;
  /** counter: cumulative and monotonic (resets when a sandbox restarts); gauge: a current value. */
  kind: MetricKind;
  /** Whole numbers (bytes) travel as integers; ratios and seconds as doubles. */
  valueType: 'int' | 'double';
  description: string;
  value: (m: SandboxMetrics) => number | undefined;
}

type Template = Omit<MetricDefinition, 'name'>;

const bytesGauge = (key: string, description: string, value: Template['value']): Template =>
  ({ key, unit: 'By', kind: 'gauge', valueType: 'int', description, value });
const bytesCounter = (key: string, description: string, value: Template['value']): Template =>
  ({ key, unit: 'By', kind: 'counter', valueType: 'int', description, value });

const TEMPLATES: readonly Template[] = [
  {
    key: 'cpu.utilization',
    unit: '1',
    kind: 'gauge',
    valueType: 'double',
    description: 'CPU in use, in cores (1 = one core busy).',
    value: (m) => (m.cpuPercent === undefined ? undefined : m.cpuPercent / 100),
  },
  bytesGauge('memory.usage', 'Memory in use by the sandbox.', (m) => m.memoryBytes),
  // 0 is how the registry says "no limit set".
  bytesGauge('memory.limit', 'Memory limit of the sandbox.', (m) => (m.memoryLimitBytes > 0 ? m.memoryLimitBytes : undefined)),
  bytesCounter('disk.bytes_read', 'Bytes read from disk since the sandbox started.', (m) => m.diskReadBytes),
  bytesCounter('disk.bytes_written', 'Bytes written to disk since the sandbox started.', (m) => m.diskWriteBytes),
  bytesCounter('network.bytes_received', 'Bytes received from the network since the sandbox started.', (m) => m.netRxBytes),
  bytesCounter('network.bytes_sent', 'Bytes sent to the network since the sandbox started.', (m) => m.netTxBytes),
  bytesGauge('upper.used', 'Used bytes of the writable upper filesystem, guest view.', (m) => m.upperUsedBytes),
  bytesGauge('upper.free', 'Free bytes of the writable upper filesystem, guest view.', (m) => m.upperFreeBytes),
  bytesGauge('upper.host_allocated', 'Host bytes allocated to the upper filesystem image.', (m) => m.upperHostAllocatedBytes),
  {
    key: 'uptime',
    unit: 's',
    kind: 'gauge',
    valueType: 'double',
    description: 'How long the sandbox had run at its last sample.',
    value: (m) => m.uptimeMs / 1000,
  },
];

export const DEFAULT_NAMESPACE = 'sandmeter';

const NAMESPACE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function checkNamespace(namespace: unknown): string {
  if (typeof namespace !== 'string' || namespace.length > 64 || !NAMESPACE.test(namespace)) {
    throw new InvalidArgumentError(
      'namespace',
      'a namespace is 1-64 characters of letters, digits and underscores, dot-separated, not starting with a digit (e.g. "sandmeter" or "microsandbox")',
    );
  }
  return namespace;
}

export function metricDefinitions(namespace: string = DEFAULT_NAMESPACE): MetricDefinition[] {
  const ns = checkNamespace(namespace);
  return TEMPLATES.map((t) => ({ ...t, name: `${ns}.${t.key}` }));
}
