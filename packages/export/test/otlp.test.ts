import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { OtelCollector } from '../src/index.js';
import { cleanupRegistries, freshRegistry, fullSample, startSandbox, waitFor } from './helpers.js';
import { OtlpReceiver } from './otlp-receiver.js';

const receivers: OtlpReceiver[] = [];
const collectors: OtelCollector[] = [];

afterEach(async () => {
  await Promise.all(collectors.splice(0).map((c) => c.drain()));
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
  cleanupRegistries();
});

async function receiver(): Promise<OtlpReceiver> {
  const r = new OtlpReceiver();
  await r.start();
  receivers.push(r);
  return r;
}

function collector(...args: ConstructorParameters<typeof OtelCollector>): OtelCollector {
  const c = new OtelCollector(args[0], { logger: pino({ level: 'silent' }), ...args[1] });
  collectors.push(c);
  return c;
}

describe('OTLP export', () => {
  it('ships every metric with its name, unit, value and attributes', async () => {
    const rx = await receiver();
    const reg = freshRegistry();
    const started = Date.now() - 42_000;
    startSandbox(reg, 'web', 7, { memoryLimitBytes: 2 ** 31, startedAtMs: started }).write({ ...fullSample(3), sampledAtMs: started + 42_000 });
    const db = startSandbox(reg, 'db', 8);
    db.write({ memoryBytes: 5 }); // no disk, network, cpu or upper: those stay absent
    const c = collector(reg, { endpoint: rx.url, registryName: reg.name, resourceAttributes: { 'deployment.environment': 'test' } });
    await c.collectNow();
    await waitFor('one export', () => rx.requests.length >= 1);

    const [req] = rx.requests[0]!;
    expect(req!.resource).toMatchObject({ 'service.name': 'sandmeter-export', 'sandmeter.registry': reg.name, 'deployment.environment': 'test' });
    expect(req!.scope).toBe('@sandmeter/export');
    const byName = new Map(req!.metrics.map((m) => [m.name, m]));
    const expected: [string, string, 'gauge' | 'sum', number][] = [
      ['sandmeter.cpu.utilization', '1', 'gauge', 0.53],
      ['sandmeter.memory.usage', 'By', 'gauge', 100_000_003],
      ['sandmeter.memory.limit', 'By', 'gauge', 2 ** 31],
      ['sandmeter.disk.bytes_read', 'By', 'sum', 3000],
      ['sandmeter.disk.bytes_written', 'By', 'sum', 6000],
      ['sandmeter.network.bytes_received', 'By', 'sum', 9000],
      ['sandmeter.network.bytes_sent', 'By', 'sum', 12000],
      ['sandmeter.upper.used', 'By', 'gauge', 5003],
      ['sandmeter.upper.free', 'By', 'gauge', 6003],
      ['sandmeter.upper.host_allocated', 'By', 'gauge', 8192],
      ['sandmeter.uptime', 's', 'gauge', 42],
    ];
    for (const [name, unit, kind, value] of expected) {
      const m = byName.get(name);
      expect(m, name).toBeDefined();
      expect(m!.unit, name).toBe(unit);
      expect(m!.kind, name).toBe(kind);
      if (kind === 'sum') expect(m!.isMonotonic && m!.aggregationTemporality === 2, name).toBe(true); // cumulative
      const web = m!.points.find((p) => p.attributes['sandbox.name'] === 'web');
      expect(web?.value, name).toBeCloseTo(value, 5);
      expect(web?.attributes).toEqual({ 'sandbox.name': 'web', 'sandbox.id': 7 }); // no run id, no pid unless asked
    }
    expect(byName.get('sandmeter.memory.usage')!.points.find((p) => p.attributes['sandbox.name'] === 'db')?.value).toBe(5);
    expect(byName.get('sandmeter.disk.bytes_read')!.points.some((p) => p.attributes['sandbox.name'] === 'db')).toBe(false);
    expect(byName.get('sandmeter.cpu.utilization')!.points.some((p) => p.attributes['sandbox.name'] === 'db')).toBe(false);
    expect(byName.has('sandmeter.exporter.exports.succeeded')).toBe(true);
  });

  it('adds run id and pid only when asked, and uses the namespace', async () => {
    const rx = await receiver();
    const reg = freshRegistry();
    startSandbox(reg, 'job', 3, { runId: 99 }).write({ memoryBytes: 1 });
    const c = collector(reg, { endpoint: rx.url, includeRunId: true, includePid: true, namespace: 'microsandbox', selfMetrics: false });
    await c.collectNow();
    await waitFor('one export', () => rx.requests.length >= 1);
    const got = rx.latest('microsandbox.memory.usage', 'job');
    expect(got?.point.attributes).toEqual({ 'sandbox.name': 'job', 'sandbox.id': 3, 'sandbox.run_id': 99, 'process.pid': process.pid });
    expect(rx.requests[0]![0]!.metrics.every((m) => m.name.startsWith('microsandbox.'))).toBe(true);
  });

  it('stops shipping a sandbox once its slot is gone', async () => {
    const rx = await receiver();
    const reg = freshRegistry();
    const w = startSandbox(reg, 'brief', 1);
    w.write({ memoryBytes: 1, diskReadBytes: 1, diskWriteBytes: 1 });
    startSandbox(reg, 'stays', 2).write({ memoryBytes: 2 });
    const c = collector(reg, { endpoint: rx.url });
    await c.collectNow();
    await waitFor('first export', () => rx.requests.length === 1);
    expect(rx.latest('sandmeter.disk.bytes_read', 'brief')).toBeDefined();
    w.release('free');
    await c.collectNow();
    await waitFor('second export', () => rx.requests.length === 2);
    const second = rx.requests[1]![0]!;
    const names = second.metrics.flatMap((m) => m.points.map((p) => p.attributes['sandbox.name']));
    expect(names).toContain('stays');
    expect(names).not.toContain('brief');
  });

  it('buffers while the receiver is down, drops the oldest, backs off, and resumes', async () => {
    const rx = await receiver();
    const reg = freshRegistry();
    const w = startSandbox(reg, 'steady', 1);
    let n = 0;
    const feed = setInterval(() => w.write(fullSample(++n)), 20);
    try {
      const c = collector(reg, {
        endpoint: rx.url,
        intervalMs: 50,
        bufferSize: 4,
        exportTimeoutMs: 500,
        backoff: { initialMs: 50, maxMs: 400 },
      });
      c.start();
      await waitFor('exports while up', () => c.stats().exportsSucceeded >= 3);
      const port = rx.port;

      await rx.stop();
      const failedBefore = c.stats().exportsFailed;
      await waitFor('failures and drops while down', () => {
        const s = c.stats();
        return s.exportsFailed > failedBefore && s.consecutiveFailures >= 3 && s.collectionsDropped >= 3 && s.buffered === 4;
      });
      const lastSuccess = c.stats().lastSuccessMs!;
      const requestsWhileDown = rx.requests.length;

      await rx.start(port);
      await waitFor('exports after recovery', () => rx.requests.length >= requestsWhileDown + 5);
      const s = c.stats();
      expect(s.lastSuccessMs).toBeGreaterThan(lastSuccess);
      expect(s.collectionsDropped).toBeGreaterThanOrEqual(3);
      expect(s.consecutiveFailures).toBe(0);
      // The newest data made it through after the outage.
      const after = rx.latest('sandmeter.memory.usage', 'steady');
      expect(after?.point.value).toBeGreaterThan(100_000_000);

      const final = await c.drain();
      expect(final.buffered).toBe(0);
      expect(final.exportsSucceeded).toBeGreaterThan(s.exportsSucceeded - 1);
    } finally {
      clearInterval(feed);
    }
  });

  it('counts an HTTP error from the backend as a failure', async () => {
    const rx = await receiver();
    rx.failWith = 400;
    const reg = freshRegistry();
    startSandbox(reg, 'x', 1).write({});
    const c = collector(reg, { endpoint: rx.url, backoff: { initialMs: 10_000 } });
    await c.collectNow();
    await waitFor('a refused export', () => c.stats().exportsFailed === 1);
    expect(c.stats()).toMatchObject({ exportsSucceeded: 0, buffered: 1, lastSuccessMs: undefined });
    rx.failWith = undefined;
    const final = await c.drain(); // drain tries the backlog at once, backoff or not, then a last collection
    expect(final).toMatchObject({ exportsSucceeded: 2, buffered: 0 });
    expect(rx.requests).toHaveLength(2);
  });

  it('drain gives up after the first failure and counts the rest as dropped', async () => {
    const reg = freshRegistry();
    startSandbox(reg, 'x', 1).write({});
    const rx = await receiver();
    const url = rx.url;
    await rx.stop(); // nothing listens there now
    const c = collector(reg, { endpoint: url, exportTimeoutMs: 200, backoff: { initialMs: 60_000, maxMs: 60_000 } });
    await c.collectNow();
    await c.collectNow();
    await waitFor('the first failure', () => c.stats().exportsFailed >= 1);
    const final = await c.drain();
    expect(final.buffered).toBe(0);
    expect(final.collectionsDropped).toBe(3); // two waiting plus the final collection
    expect(final.exportsFailed).toBe(2);
  });
});
