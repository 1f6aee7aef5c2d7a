import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry as PromRegistry } from 'prom-client';
import { isSandmeterError, Registry } from '@sandmeter/registry';
import { Reader } from '@sandmeter/reader';
import { createPrometheusRegistry, runExport, startPrometheusServer, type PrometheusServer } from '../src/index.js';
import { pino } from 'pino';
import { cleanupRegistries, freshRegistry, fullSample, startSandbox, uniqueName, waitFor } from './helpers.js';
import { findPrometheus, PrometheusProcess } from './prometheus-server.js';

afterEach(cleanupRegistries);

/** Parses exposition text into "name{labels}" -> value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('Prometheus registry', () => {
  it('collects on scrape with Prometheus names, units and labels', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'web', 7, { memoryLimitBytes: 1 << 30 }).write(fullSample(2));
    const prom = createPrometheusRegistry(reg);
    const text = await prom.metrics();
    const s = samples(text);
    const l = '{sandbox_name="web",sandbox_id="7"}';
    expect(s.get(`sandmeter_cpu_utilization_ratio${l}`)).toBeCloseTo(0.52, 5);
    expect(s.get(`sandmeter_memory_usage_bytes${l}`)).toBe(100_000_002);
    expect(s.get(`sandmeter_memory_limit_bytes${l}`)).toBe(1 << 30);
    expect(s.get(`sandmeter_disk_bytes_read_total${l}`)).toBe(2000);
    expect(s.get(`sandmeter_disk_bytes_written_total${l}`)).toBe(4000);
    expect(s.get(`sandmeter_network_bytes_received_total${l}`)).toBe(6000);
    expect(s.get(`sandmeter_network_bytes_sent_total${l}`)).toBe(8000);
    expect(s.get(`sandmeter_upper_used_bytes${l}`)).toBe(5002);
    expect(s.get(`sandmeter_upper_free_bytes${l}`)).toBe(6002);
    expect(s.get(`sandmeter_upper_host_allocated_bytes${l}`)).toBe(8192);
    expect(s.has(`sandmeter_uptime_seconds${l}`)).toBe(true);
    expect(text).toContain('# TYPE sandmeter_disk_bytes_read_total counter');
    expect(text).toContain('# TYPE sandmeter_memory_usage_bytes gauge');
  });

  it('reads fresh values on every scrape, one snapshot per scrape', async () => {
    const reg = freshRegistry();
    const w = startSandbox(reg, 'grow', 1);
    w.write({ memoryBytes: 1, diskReadBytes: 10, diskWriteBytes: 0 });
    let snapshots = 0;
    const counting = { snapshot: () => (snapshots++, reg.snapshot()) };
    const prom = createPrometheusRegistry(counting);
    expect(samples(await prom.metrics()).get('sandmeter_disk_bytes_read_total{sandbox_name="grow",sandbox_id="1"}')).toBe(10);
    expect(snapshots).toBe(1);
    w.write({ memoryBytes: 2, diskReadBytes: 25, diskWriteBytes: 0 });
    expect(samples(await prom.metrics()).get('sandmeter_disk_bytes_read_total{sandbox_name="grow",sandbox_id="1"}')).toBe(25);
    expect(snapshots).toBe(2);
  });

  it('drops series of freed slots, keeps exited ones unless told, never doubles a series', async () => {
    const reg = freshRegistry();
    const gone = startSandbox(reg, 'gone', 1);
    gone.write({ memoryBytes: 1 });
    const old = startSandbox(reg, 'api', 2, { runId: 1 });
    old.write({ memoryBytes: 100, diskReadBytes: 100, diskWriteBytes: 0 });
    old.release('stale');
    startSandbox(reg, 'api', 2, { runId: 2 }).write({ memoryBytes: 5, diskReadBytes: 7, diskWriteBytes: 0 });
    gone.release('free');
    const s = samples(await createPrometheusRegistry(reg).metrics());
    expect([...s.keys()].some((k) => k.includes('"gone"'))).toBe(false);
    // The running row speaks for the series; a counter is not the sum of both runs.
    expect(s.get('sandmeter_disk_bytes_read_total{sandbox_name="api",sandbox_id="2"}')).toBe(7);
    const perRun = samples(await createPrometheusRegistry(reg, { includeRunId: true }).metrics());
    expect(perRun.get('sandmeter_memory_usage_bytes{sandbox_name="api",sandbox_id="2",sandbox_run_id="1"}')).toBe(100);
    expect(perRun.get('sandmeter_memory_usage_bytes{sandbox_name="api",sandbox_id="2",sandbox_run_id="2"}')).toBe(5);
    const liveOnly = samples(await createPrometheusRegistry(reg, { includeRunId: true, includeExited: false }).metrics());
    expect(liveOnly.has('sandmeter_memory_usage_bytes{sandbox_name="api",sandbox_id="2",sandbox_run_id="1"}')).toBe(false);
  });

  it('takes a Reader, a namespace, pid labels, and an existing prom-client registry', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'm', 4).write({ memoryBytes: 9 });
    const mine = new PromRegistry();
    createPrometheusRegistry(new Reader(reg), { namespace: 'microsandbox', includePid: true, registry: mine });
    const s = samples(await mine.metrics());
    expect(s.get(`microsandbox_memory_usage_bytes{sandbox_name="m",sandbox_id="4",process_pid="${process.pid}"}`)).toBe(9);
  });

  it('rejects a bad namespace or source with a typed error', () => {
    for (const bad of [() => createPrometheusRegistry(freshRegistry(), { namespace: '9lives' }), () => createPrometheusRegistry({} as never)]) {
      let caught: unknown;
      try {
        bad();
      } catch (err) {
        caught = err;
      }
      expect(isSandmeterError(caught, 'SANDMETER_INVALID_ARGUMENT')).toBe(true);
    }
  });

  it('serves GET /metrics and 404 elsewhere', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'web', 1).write({ memoryBytes: 3 });
    const server = await startPrometheusServer(createPrometheusRegistry(reg), { port: 0 });
    try {
      const res = await fetch(server.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toContain('sandmeter_memory_usage_bytes{sandbox_name="web",sandbox_id="1"} 3');
      expect((await fetch(server.url.replace('/metrics', '/other'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe("runExport('prometheus')", () => {
  it('serves the registry until stopped', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'svc', 9).write({ memoryBytes: 31 });
    const handle = await runExport('prometheus', { source: reg, port: 0, namespace: 'microsandbox', signals: false, logger: pino({ level: 'silent' }) });
    try {
      expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(await (await fetch(handle.url!)).text()).toContain('microsandbox_memory_usage_bytes{sandbox_name="svc",sandbox_id="9"} 31');
    } finally {
      await handle.stop();
    }
    await expect(fetch(handle.url!)).rejects.toThrow();
  });
});

describe('a real Prometheus server scraping the endpoint', () => {
  const binary = findPrometheus();
  const prometheus = new PrometheusProcess();
  let endpoint: PrometheusServer | undefined;
  let registry: Registry | undefined;
  const name = uniqueName();
  const why = 'no prometheus binary on PATH or in /usr/bin (install it with `apt-get install -y prometheus`)';
  // Said at collection time: hooks of a fully skipped suite never run.
  if (binary === undefined) console.warn(`SKIPPED the real-Prometheus test: ${why}`);

  beforeAll(async () => {
    if (binary === undefined) return;
    registry = Registry.create(name, { capacity: 8 });
    endpoint = await startPrometheusServer(createPrometheusRegistry(registry), { port: 0 });
    await prometheus.start(binary, new URL(endpoint.url).host);
  });

  afterAll(async () => {
    await prometheus.stop();
    await endpoint?.close();
    registry?.close();
    Registry.unlink(name, { missingOk: true });
  });

  const title = `stores the series of a sandbox, queryable over its HTTP API${binary === undefined ? ` (skipped: ${why})` : ''}`;
  it.skipIf(binary === undefined)(title, async () => {
    const w = startSandbox(registry!, 'scraped', 77, { memoryLimitBytes: 512 * 1024 * 1024 });
    w.write(fullSample(5));
    const query = async (q: string) => {
      const res = await fetch(`${prometheus.api}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
      if (res === undefined || !res.ok) return undefined;
      const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return body.data.result;
    };
    const found = await waitFor(
      () => `Prometheus to store the series; its log:\n${prometheus.log}`,
      async () => {
        const rows = await query('sandmeter_memory_usage_bytes{sandbox_name="scraped"}');
        return rows !== undefined && rows.length > 0 ? rows : undefined;
      },
      60_000,
      250,
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.metric).toMatchObject({ __name__: 'sandmeter_memory_usage_bytes', sandbox_name: 'scraped', sandbox_id: '77', job: 'sandmeter' });
    expect(Number(found[0]!.value[1])).toBe(100_000_005);
    const counter = await query('sandmeter_network_bytes_sent_total{sandbox_id="77"}');
    expect(Number(counter?.[0]?.value[1])).toBe(20_000);
    const up = await query('up{job="sandmeter"}');
    expect(up?.[0]?.value[1]).toBe('1');
  });
});
