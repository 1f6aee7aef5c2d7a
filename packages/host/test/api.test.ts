// The control API over a real unix socket (and loopback TCP): every route,
// and bad requests that must get a 4xx JSON error while the host keeps serving.
import { request } from 'node:http';
import { connect } from 'node:net';
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HostClient } from '../src/client.js';
import { sleeper, socketIn, startHost, tempDir, until } from './helpers.js';

async function apiHost(extra: Parameters<typeof startHost>[0] = {}) {
  const socketPath = socketIn(tempDir('api'));
  const host = await startHost({ socketPath, ...extra });
  return { host, socketPath, client: new HostClient({ socketPath }) };
}

/** A raw HTTP exchange over the socket, for requests a well-behaved client would not send. */
function raw(socketPath: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    const chunks: Buffer[] = [];
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    sock.on('error', reject);
    sock.end(text);
  });
}

const errorCode = (body: unknown): string | undefined => (body as { error?: { code?: string } }).error?.code;

describe('the control API', () => {
  it('listens on a socket only its user can use (0600 in a 0700 directory)', async () => {
    const { socketPath, host } = await apiHost();
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(host.addresses.socketPath).toBe(socketPath);
  });

  it('registers, shows, lists, reports metrics for and unregisters a sandbox', async () => {
    const { client } = await apiHost();
    const p = sleeper();
    const reg = await client.request('POST', '/v1/sandboxes', { name: 'api-1', pid: p.pid, labels: { tier: 'web' }, maxCpus: 2, intervalMs: 100 });
    expect(reg.status).toBe(201);
    const sandbox = (reg.body as { sandbox: { id: number } }).sandbox;
    expect(sandbox).toMatchObject({ name: 'api-1', status: 'running', maxCpus: 2, labels: { tier: 'web' } });

    expect((await client.request('GET', `/v1/sandboxes/${sandbox.id}`)).body).toMatchObject({ sandbox: { id: sandbox.id } });
    const list = await client.request('GET', '/v1/sandboxes?status=running');
    expect((list.body as { sandboxes: unknown[] }).sandboxes).toHaveLength(1);

    const metrics = await until(async () => {
      const res = await client.request('GET', `/v1/sandboxes/${sandbox.id}/metrics`);
      return res.status === 200 ? (res.body as { metrics: Record<string, unknown> }).metrics : undefined;
    }, 'metrics');
    expect(metrics).toMatchObject({ id: sandbox.id, name: 'api-1', state: 'running', pid: p.pid });
    expect((metrics.memory as { usedBytes: number }).usedBytes).toBeGreaterThan(0);
    // Rates appear once the host has seen two samples.
    const withRates = await until(async () => {
      const res = await client.request('GET', `/v1/sandboxes/${sandbox.id}/metrics`);
      const m = (res.body as { metrics: { disk: { writeBytesPerSec: number | null } } }).metrics;
      return m.disk.writeBytesPerSec !== null ? m : undefined;
    }, 'rates');
    expect(withRates.disk.writeBytesPerSec).toBe(0);

    const fleet = await client.request('GET', '/v1/metrics');
    expect((fleet.body as { sandboxes: Array<{ name: string }> }).sandboxes.map((s) => s.name)).toEqual(['api-1']);

    const del = await client.request('DELETE', `/v1/sandboxes/${sandbox.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ sandbox: { status: 'unregistered' } });
    const after = await client.request('GET', `/v1/sandboxes/${sandbox.id}/metrics`);
    expect(after.body).toMatchObject({ metrics: { state: 'exited' } });
  });

  it('answers 409 SANDMETER_NAME_TAKEN for a running name', async () => {
    const { client } = await apiHost();
    const p = sleeper();
    expect((await client.request('POST', '/v1/sandboxes', { name: 'dup', pid: p.pid })).status).toBe(201);
    const res = await client.request('POST', '/v1/sandboxes', { name: 'dup', pid: p.pid });
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe('SANDMETER_NAME_TAKEN');
  });

  it('turns every kind of bad request into a 4xx JSON error and keeps serving', async () => {
    const { client, socketPath } = await apiHost();
    const p = sleeper();
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/v1/sandboxes', '{"name": "x", "pid": ', 400, 'SANDMETER_BAD_JSON'],
      ['POST', '/v1/sandboxes', '', 400, 'SANDMETER_BAD_JSON'],
      ['POST', '/v1/sandboxes', '[1,2]', 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', 'null', 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', { name: 'x', pid: p.pid, colour: 'red' }, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', { name: 42, pid: 'abc' }, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', { name: 'x' }, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', { name: 'x', pid: 1.5 }, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', { name: 'x', pid: p.pid, intervalMs: 1 }, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', { name: 'x', pid: p.pid, labels: { 'bad key!': 'v' } }, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['POST', '/v1/sandboxes', { name: 'x', pid: 0x7ffffff0 }, 422, 'SANDMETER_PROCESS_NOT_FOUND'],
      ['POST', '/v1/sandboxes', { name: 'a\u0000b', pid: p.pid }, 400, 'SANDMETER_INVALID_ARGUMENT'],
      ['POST', '/v1/sandboxes', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 400, 'SANDMETER_BAD_JSON'],
      ['POST', '/v1/sandboxes', JSON.stringify({ name: 'x', pid: p.pid, labels: { a: 'x'.repeat(70_000) } }), 413, 'SANDMETER_BODY_TOO_LARGE'],
      ['GET', '/v1/sandboxes/12345', undefined, 404, 'SANDMETER_SANDBOX_NOT_FOUND'],
      ['GET', '/v1/sandboxes/abc', undefined, 404, 'SANDMETER_SANDBOX_NOT_FOUND'],
      ['DELETE', '/v1/sandboxes/12345', undefined, 404, 'SANDMETER_SANDBOX_NOT_FOUND'],
      ['GET', '/v1/sandboxes/12345/metrics', undefined, 404, 'SANDMETER_SANDBOX_NOT_FOUND'],
      ['GET', '/v1/nothing', undefined, 404, 'SANDMETER_ROUTE_NOT_FOUND'],
      ['PUT', '/v1/sandboxes', '{}', 405, 'SANDMETER_METHOD_NOT_ALLOWED'],
      ['DELETE', '/v1/sandboxes', undefined, 405, 'SANDMETER_METHOD_NOT_ALLOWED'],
      ['POST', '/healthz', '{}', 405, 'SANDMETER_METHOD_NOT_ALLOWED'],
      ['GET', '/v1/sandboxes?status=zombie', undefined, 400, 'SANDMETER_VALIDATION_FAILED'],
      ['GET', '/v1/metrics?x=1', undefined, 400, 'SANDMETER_VALIDATION_FAILED'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await client.request(method, path, body);
      expect({ method, path, status: res.status, code: errorCode(res.body) }).toEqual({ method, path, status, code });
      expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    }
    const wrong = await client.request('PUT', '/v1/sandboxes', '{}');
    expect(wrong.headers.allow).toBe('POST, GET, HEAD');
    // A body that never fits, sent without Content-Length (chunked): still 413.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request({ socketPath, method: 'POST', path: '/v1/sandboxes', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write(Buffer.alloc(8192, 0x20));
      req.end();
    });
    expect(chunked).toBe(413);
    // Garbage that is not HTTP at all.
    expect(await raw(socketPath, 'HELLO\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    // Still serving, nothing registered, nothing leaked.
    const health = await client.request('GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', sandboxes: { running: 0 }, registry: { usage: { active: 0, reserved: 0 } }, actors: { samplers: 0 } });
  });

  it('serves Prometheus exposition made by prom-client', async () => {
    const { client } = await apiHost();
    const p = sleeper();
    await client.register({ name: 'prom', pid: p.pid as number, memoryLimitBytes: 1 << 30 });
    const text = await until(async () => {
      const res = await client.request('GET', '/metrics');
      return res.text.includes('sandbox_name="prom"') ? res : undefined;
    }, 'a series');
    expect(String(text.headers['content-type'])).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text.text).toMatch(/^# TYPE sandmeter_memory_limit_bytes gauge$/m);
    expect(text.text).toMatch(/^sandmeter_memory_limit_bytes\{sandbox_name="prom",sandbox_id="1"\} 1073741824$/m);
  });

  it('streams samples and lifecycle changes as server-sent events', async () => {
    const { client, socketPath } = await apiHost();
    const events: Array<{ event: string; data: Record<string, unknown> }> = [];
    const req = request({ socketPath, path: '/v1/events?intervalMs=100' });
    const opened = new Promise<void>((resolve, reject) => {
      req.on('response', (res) => {
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let at: number;
          while ((at = buf.indexOf('\n\n')) !== -1) {
            const block = buf.slice(0, at);
            buf = buf.slice(at + 2);
            const ev = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (ev !== undefined && data !== undefined) events.push({ event: ev, data: JSON.parse(data) as Record<string, unknown> });
          }
        });
        resolve();
      });
      req.on('error', reject);
    });
    req.end();
    await opened;
    try {
      const p = sleeper();
      const r = await client.register({ name: 'sse', pid: p.pid as number, intervalMs: 100 });
      await until(() => events.filter((e) => e.event === 'sample' && e.data.name === 'sse').length >= 2, 'two samples');
      await client.unregister(r.id);
      await until(() => events.find((e) => e.event === 'lifecycle' && e.data.change === 'unregistered'), 'the unregistered event');
      expect(events.find((e) => e.event === 'lifecycle')?.data).toMatchObject({ change: 'registered', sandbox: { name: 'sse' } });
    } finally {
      req.destroy();
    }
  });

  it('also serves on loopback TCP when asked, and only there', async () => {
    const { host } = await apiHost({ tcp: { port: 0 } });
    const tcp = host.addresses.tcp;
    expect(tcp?.host).toBe('127.0.0.1');
    const client = new HostClient({ baseUrl: `http://127.0.0.1:${tcp?.port}` });
    expect((await client.request('GET', '/healthz')).status).toBe(200);
    await expect(startHost({ tcp: { port: 0, host: '0.0.0.0' as never } })).rejects.toMatchObject({ code: 'SANDMETER_USAGE' });
  });

  it('refuses a socket where a live host listens, and replaces one a dead host left', async () => {
    const { socketPath } = await apiHost();
    await expect(startHost({ socketPath })).rejects.toMatchObject({ code: 'SANDMETER_HOST_RUNNING' });
  });
});
