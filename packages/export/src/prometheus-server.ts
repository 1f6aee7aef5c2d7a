// The exposition endpoint: GET /metrics on a loopback (by default) port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry as PromRegistry } from 'prom-client';

export interface PrometheusServerOptions {
  /** Default 127.0.0.1: metrics of every sandbox on the host are not for the whole network unless asked. */
  host?: string;
  /** Default 9464 (the OpenTelemetry Prometheus exporter's port); 0 picks a free one. */
  port?: number;
}

export const DEFAULT_PROMETHEUS_PORT = 9464;

export interface PrometheusServer {
  /** e.g. http://127.0.0.1:9464/metrics */
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function startPrometheusServer(
  registry: PromRegistry,
  options: PrometheusServerOptions = {},
): Promise<PrometheusServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: scrape GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`collection failed: ${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PROMETHEUS_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/metrics`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
