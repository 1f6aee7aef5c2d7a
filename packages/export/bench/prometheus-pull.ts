// Scenario: the Prometheus endpoint, scraped once a second over HTTP.
import { createPrometheusRegistry, startPrometheusServer } from '@sandmeter/export';
import type { Fleet } from './fleet.js';
import { sampleRounds, type Round } from './stats.js';

export async function prometheusPull(fleet: Fleet, rounds: number): Promise<Round[]> {
  const server = await startPrometheusServer(createPrometheusRegistry(fleet.registry), { port: 0 });
  fleet.scrape(server.url);
  try {
    return await sampleRounds(rounds, 3000);
  } finally {
    fleet.stopScraping();
    await server.close();
  }
}
