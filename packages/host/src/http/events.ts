// GET /v1/events: a server-sent-events stream. Every new sample the host
// sees is one `sample` event (polled from the registry at the stream's
// interval), every lifecycle change one `lifecycle` event; a comment line
// every 15 s keeps proxies from closing an idle stream.
import type { ServerResponse } from 'node:http';
import { toReport } from '@sandmeter/reader';
import type { SandboxMetrics } from '@sandmeter/registry';
import { HostError } from '../errors.js';
import type { LifecycleNotice } from '../host.machine.js';
import type { Host } from '../host.js';
import { toMetricsView } from '../metrics-view.js';

const HEARTBEAT_MS = 15_000;

export interface EventStreamOptions {
  /** Only this sandbox id. */
  id: number | undefined;
  intervalMs: number;
}

export function parseEventQuery(query: URLSearchParams, defaultIntervalMs: number): EventStreamOptions {
  const id = query.get('id');
  const interval = query.get('intervalMs');
  const opts: EventStreamOptions = { id: undefined, intervalMs: defaultIntervalMs };
  if (id !== null) {
    if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 0x7fffffff) throw badQuery('id', 'a sandbox id (positive integer)');
    opts.id = Number(id);
  }
  if (interval !== null) {
    if (!/^\d{1,7}$/.test(interval) || Number(interval) < 100) throw badQuery('intervalMs', 'a whole number of ms from 100 to 9999999');
    opts.intervalMs = Number(interval);
  }
  for (const key of query.keys()) if (key !== 'id' && key !== 'intervalMs') throw badQuery(key, 'not a parameter of this route (id, intervalMs)');
  return opts;
}

function badQuery(name: string, expected: string): HostError {
  return new HostError('SANDMETER_VALIDATION_FAILED', 400, `query parameter ${name}: expected ${expected}`, [{ path: `?${name}`, message: expected }]);
}

export interface EventStream {
  close(): void;
}

export function openEventStream(host: Host, res: ServerResponse, opts: EventStreamOptions, onClose: () => void): EventStream {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write(`retry: 2000\n: sandmeter events, every ${opts.intervalMs} ms\n\n`);
  const seen = new Map<string, number>();
  const send = (event: string, data: unknown): void => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const poll = (): void => {
    let rows: SandboxMetrics[];
    try {
      rows = host.registry.snapshot();
    } catch {
      return; // Closing down; the stream ends with the server.
    }
    const now = Date.now();
    const next = new Map<string, number>();
    for (const row of rows) {
      if (opts.id !== undefined && row.sandboxId !== opts.id) continue;
      const key = `${row.slot}/${row.runId}`;
      next.set(key, row.sampledAtMs);
      if (seen.get(key) === row.sampledAtMs) continue;
      send('sample', toMetricsView(toReport(row, now, host.intervalMs), undefined));
    }
    seen.clear();
    for (const [k, v] of next) seen.set(k, v);
  };
  const onLifecycle = (notice: LifecycleNotice): void => {
    if (opts.id !== undefined && notice.record.id !== opts.id) return;
    send('lifecycle', { change: notice.change, sandbox: notice.record });
  };
  host.on('lifecycle', onLifecycle);
  poll();
  const timer = setInterval(poll, opts.intervalMs);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(timer);
    clearInterval(heartbeat);
    host.off('lifecycle', onLifecycle);
    res.end();
    onClose();
  };
  res.on('close', close);
  return { close };
}
