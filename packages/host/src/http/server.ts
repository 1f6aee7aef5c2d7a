// The control API's HTTP servers: a unix socket (0600, in a 0700 directory)
// and, when asked, a loopback TCP port. One router serves both. A handler
// that throws becomes a JSON error; nothing a client sends can crash the host.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import { unlinkSync } from 'node:fs';
import type { TcpListen } from '../host-options.js';
import type { Host } from '../host.js';
import { HostError } from '../errors.js';
import { claimSocketPath, prepareSocketDir, restrictSocket } from '../socket-path.js';
import type { EventStream } from './events.js';
import { sendError } from './respond.js';
import { buildRoutes } from './routes.js';
import type { Router } from './router.js';

export interface ApiServer {
  socketPath: string | undefined;
  tcp: { host: string; port: number } | undefined;
  close(): Promise<void>;
}

export interface ApiListen {
  socketPath?: string | undefined;
  tcp?: TcpListen | undefined;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function handler(host: Host, router: Router) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    const done = (status: number): void => {
      host.logger.debug({ event: 'http.request', method: req.method, path: url.pathname, status, ms: +(performance.now() - started).toFixed(2) }, 'request');
    };
    const fail = (err: unknown): void => {
      if (!(err instanceof HostError) && (err as { code?: unknown }).code === undefined) {
        host.logger.error({ err, method: req.method, path: url.pathname }, 'request handler failed');
      }
      const headers: Record<string, string> = {};
      if (err instanceof HostError && err.code === 'SANDMETER_METHOD_NOT_ALLOWED') {
        headers.allow = ((err.details as { allow?: string[] } | undefined)?.allow ?? []).join(', ');
      }
      done(sendError(res, err, headers));
    };
    try {
      const { handler: h, params } = router.match(req.method ?? 'GET', url.pathname);
      const result = h({ req, res, params, query: url.searchParams });
      if (result instanceof Promise) result.then(() => done(res.statusCode), fail);
      else done(res.statusCode);
    } catch (err) {
      fail(err);
    }
  };
}

function listen(server: Server, arg: { path: string } | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(arg, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startApi(host: Host, opts: ApiListen): Promise<ApiServer> {
  const streams = new Set<EventStream>();
  const router = buildRoutes(host, streams);
  const servers: Server[] = [];
  const api: ApiServer = { socketPath: undefined, tcp: undefined, close: async () => undefined };
  const make = (): Server => {
    const server = createServer(handler(host, router));
    // Slow or stuck clients cannot hold a connection forever.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      else socket.destroy();
    });
    servers.push(server);
    return server;
  };
  api.close = async () => {
    for (const s of [...streams]) s.close();
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
          }),
      ),
    );
    if (api.socketPath !== undefined) {
      try {
        unlinkSync(api.socketPath);
      } catch {
        // Already gone.
      }
    }
  };
  try {
    if (opts.socketPath !== undefined) {
      prepareSocketDir(dirname(opts.socketPath));
      await claimSocketPath(opts.socketPath);
      await listen(make(), { path: opts.socketPath });
      api.socketPath = opts.socketPath;
      restrictSocket(opts.socketPath);
    }
    if (opts.tcp !== undefined) {
      const hostName = opts.tcp.host ?? '127.0.0.1';
      if (!LOOPBACK.has(hostName)) {
        throw new HostError('SANDMETER_USAGE', 400, `the control API listens on loopback only (127.0.0.1 or ::1), not ${hostName}`);
      }
      const server = make();
      await listen(server, { host: hostName, port: opts.tcp.port });
      const addr = server.address();
      api.tcp = { host: hostName, port: typeof addr === 'object' && addr !== null ? addr.port : opts.tcp.port };
    }
  } catch (err) {
    await api.close();
    throw err;
  }
  return api;
}
