import { describe, expect, it } from 'vitest';
import { metricDefinitions, prometheusName } from '../src/index.js';

describe('metric definitions', () => {
  it('names every metric under the namespace, with UCUM units and kinds', () => {
    const table = metricDefinitions().map((d) => [d.name, d.unit, d.kind, prometheusName(d)]);
    expect(table).toEqual([
      ['sandmeter.cpu.utilization', '1', 'gauge', 'sandmeter_cpu_utilization_ratio'],
      ['sandmeter.memory.usage', 'By', 'gauge', 'sandmeter_memory_usage_bytes'],
      ['sandmeter.memory.limit', 'By', 'gauge', 'sandmeter_memory_limit_bytes'],
      ['sandmeter.disk.bytes_read', 'By', 'counter', 'sandmeter_disk_bytes_read_total'],
      ['sandmeter.disk.bytes_written', 'By', 'counter', 'sandmeter_disk_bytes_written_total'],
      ['sandmeter.network.bytes_received', 'By', 'counter', 'sandmeter_network_bytes_received_total'],
      ['sandmeter.network.bytes_sent', 'By', 'counter', 'sandmeter_network_bytes_sent_total'],
      ['sandmeter.upper.used', 'By', 'gauge', 'sandmeter_upper_used_bytes'],
      ['sandmeter.upper.free', 'By', 'gauge', 'sandmeter_upper_free_bytes'],
      ['sandmeter.upper.host_allocated', 'By', 'gauge', 'sandmeter_upper_host_allocated_bytes'],
      ['sandmeter.uptime', 's', 'gauge', 'sandmeter_uptime_seconds'],
    ]);
  });

  it('gives microsandbox names under its namespace', () => {
    expect(metricDefinitions('microsandbox').map((d) => d.name)).toContain('microsandbox.network.bytes_received');
  });

  it('appends a unit only when the name lacks it, and _total only to counters', () => {
    expect(prometheusName({ name: 'a.b', unit: 'By', kind: 'gauge' })).toBe('a_b_bytes');
    expect(prometheusName({ name: 'a.bytes.b', unit: 'By', kind: 'counter' })).toBe('a_bytes_b_total');
    expect(prometheusName({ name: 'a.b', unit: '1', kind: 'counter' })).toBe('a_b_total');
  });

  it('turns cpu percent into cores busy and omits absent values', () => {
    const cpu = metricDefinitions().find((d) => d.key === 'cpu.utilization')!;
    expect(cpu.value({ cpuPercent: 250 } as never)).toBe(2.5);
    expect(cpu.value({ cpuPercent: undefined } as never)).toBeUndefined();
    const limit = metricDefinitions().find((d) => d.key === 'memory.limit')!;
    expect(limit.value({ memoryLimitBytes: 0 } as never)).toBeUndefined();
  });
});
