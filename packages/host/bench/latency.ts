// Latency of one API route, sequential requests, after a short warm-up.
import type { HostClient } from '@sandmeter/host';
import { percentile } from './proc-stats.js';

export interface Latency {
  p50Ms: number;
  p99Ms: number;
  bytes: number;
}

export async function routeLatency(client: HostClient, path: string, requests: number): Promise<Latency> {
  for (let i = 0; i < 10; i++) await client.request('GET', path);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < requests; i++) {
    const t0 = performance.now();
    const res = await client.request('GET', path);
    times.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    bytes = res.text.length;
  }
  return { p50Ms: percentile(times, 50), p99Ms: percentile(times, 99), bytes };
}
