// The control API's routes, bound to one host.
import { createPrometheusRegistry } from '@sandmeter/export';
import { HostError } from '../errors.js';
import type { Host } from '../host.js';
import { MAX_BODY_BYTES } from '../schemas.js';
import type { SandboxStatus } from '../types.js';
import { parseJson, readBody } from './body.js';
import { openEventStream, parseEventQuery, type EventStream } from './events.js';
import { sendJson } from './respond.js';
import { Router } from './router.js';

const STATUSES: readonly SandboxStatus[] = ['running', 'stopping', 'exited', 'unregistered'];

function idParam(params: Record<string, string>): number {
  const raw = params.id ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) > 0x7fffffff) {
    throw new HostError('SANDMETER_SANDBOX_NOT_FOUND', 404, `no sandbox ${JSON.stringify(raw)}: sandbox ids are positive integers`);
  }
  return Number(raw);
}

function onlyParams(query: URLSearchParams, allowed: readonly string[]): void {
  for (const key of query.keys()) {
    if (!allowed.includes(key)) {
      throw new HostError('SANDMETER_VALIDATION_FAILED', 400, `query parameter ${key} is not known here${allowed.length > 0 ? ` (known: ${allowed.join(', ')})` : ''}`, [
        { path: `?${key}`, message: 'unknown parameter' },
      ]);
    }
  }
}

export function buildRoutes(host: Host, streams: Set<EventStream>): Router {
  const prometheus = createPrometheusRegistry(host.registry);
  return new Router()
    .on('POST', '/v1/sandboxes', async ({ req, res, query }) => {
      onlyParams(query, []);
      const body = parseJson(await readBody(req, MAX_BODY_BYTES));
      sendJson(res, 201, { sandbox: host.register(body as never) });
    })
    .on('GET', '/v1/sandboxes', ({ res, query }) => {
      onlyParams(query, ['status']);
      const status = query.get('status');
      if (status !== null && !STATUSES.includes(status as SandboxStatus)) {
        throw new HostError('SANDMETER_VALIDATION_FAILED', 400, `status must be one of ${STATUSES.join(', ')}`, [{ path: '?status', message: 'unknown status' }]);
      }
      const sandboxes = host.list().filter((r) => status === null || r.status === status);
      sendJson(res, 200, { sandboxes });
    })
    .on('GET', '/v1/sandboxes/:id', ({ res, params, query }) => {
      onlyParams(query, []);
      const id = idParam(params);
      const sandbox = host.get(id);
      if (sandbox === undefined) throw new HostError('SANDMETER_SANDBOX_NOT_FOUND', 404, `no sandbox with id ${id}`);
      sendJson(res, 200, { sandbox });
    })
    .on('DELETE', '/v1/sandboxes/:id', async ({ res, params, query }) => {
      onlyParams(query, []);
      sendJson(res, 200, { sandbox: await host.unregister(idParam(params)) });
    })
    .on('GET', '/v1/sandboxes/:id/metrics', ({ res, params, query }) => {
      onlyParams(query, []);
      sendJson(res, 200, { metrics: host.metrics(idParam(params)) });
    })
    .on('GET', '/v1/metrics', ({ res, query }) => {
      onlyParams(query, []);
      sendJson(res, 200, { atMs: Date.now(), sandboxes: host.fleet() });
    })
    .on('GET', '/v1/events', ({ req, res, query }) => {
      const opts = parseEventQuery(query, host.intervalMs);
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' }).end();
        return;
      }
      const stream = openEventStream(host, res, opts, () => streams.delete(stream));
      streams.add(stream);
    })
    .on('GET', '/metrics', async ({ res, query }) => {
      onlyParams(query, []);
      const text = await prometheus.metrics();
      res.writeHead(200, { 'content-type': prometheus.contentType, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
    })
    .on('GET', '/healthz', ({ res, query }) => {
      onlyParams(query, []);
      const health = host.health();
      sendJson(res, health.status === 'ok' ? 200 : 503, health);
    });
}
