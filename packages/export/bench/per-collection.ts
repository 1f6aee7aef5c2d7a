// Scenario: one collection in isolation, no network: what a 1,000-sandbox
// OTLP collection (SDK aggregation + protobuf) costs against one
// prom-client scrape (collect + exposition text) and a bare snapshot.
import { ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { createPrometheusRegistry, exportResource, SandboxMeter } from '@sandmeter/export';
import type { Fleet } from './fleet.js';
import { cpuPerOp } from './stats.js';

export interface PerCollection {
  snapshotMs: number;
  otlpCollectMs: number;
  otlpCollectAndEncodeMs: number;
  otlpBytes: number;
  promScrapeMs: number;
  promBytes: number;
}

export async function perCollection(fleet: Fleet, rounds: number): Promise<PerCollection> {
  const meter = new SandboxMeter(fleet.registry, { resource: exportResource(fleet.registry.name) });
  const prom = createPrometheusRegistry(fleet.registry);
  let otlpBytes = 0;
  let promBytes = 0;
  const result = {
    snapshotMs: await cpuPerOp(rounds, 50, () => fleet.registry.snapshot()),
    otlpCollectMs: await cpuPerOp(rounds, 10, () => meter.collect()),
    otlpCollectAndEncodeMs: await cpuPerOp(rounds, 10, async () => {
      otlpBytes = ProtobufMetricsSerializer.serializeRequest(await meter.collect())?.length ?? 0;
    }),
    promScrapeMs: await cpuPerOp(rounds, 10, async () => {
      promBytes = (await prom.metrics()).length;
    }),
  };
  await meter.shutdown();
  return { ...result, otlpBytes, promBytes };
}
