// Scenario: the OTLP collector at 1 s collection, exporting to a loopback sink.
import { pino } from 'pino';
import { OtelCollector } from '@sandmeter/export';
import type { Fleet } from './fleet.js';
import { sampleRounds, type Round } from './stats.js';

export async function otlpPush(fleet: Fleet, rounds: number): Promise<Round[]> {
  const collector = new OtelCollector(fleet.registry, { endpoint: fleet.sinkUrl, intervalMs: 1000, logger: pino({ level: 'silent' }) });
  collector.start();
  const out = await sampleRounds(rounds, 3000);
  const stats = await collector.drain();
  if (stats.exportsFailed > 0 || stats.exportsSucceeded < rounds) throw new Error(`OTLP scenario did not export cleanly: ${JSON.stringify(stats)}`);
  return out;
}
